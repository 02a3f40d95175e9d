"""Pages for the facilitator."""
