"""HTTP tests of the participant pages."""
