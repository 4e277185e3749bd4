"""Use cases: load from storage, call the pure core, store. No FastAPI here; the request scope commits."""
