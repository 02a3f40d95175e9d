"""Pages for the screen."""
