"""Research exports, one module per format."""
