"""Privacy by design: retention and purge of raw data, and researchers' read-only access."""
