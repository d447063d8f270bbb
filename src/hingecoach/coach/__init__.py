"""The coach: safety, assessment, prescription, progression and regression (pure functions)."""
