"""Form from pose sequences: angles, reps, metrics and faults (pure NumPy)."""
