"""Plans: weekly schedules, session structure, cycles and deloads (pure functions)."""
