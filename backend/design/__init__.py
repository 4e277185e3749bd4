"""The shared core: the design document and pure operations on it (no web, no database)."""
