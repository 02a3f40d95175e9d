"""Pages for the participant."""
