"""A running session: its event log, the state folded from it, and the live updates."""
