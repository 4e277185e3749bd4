"""The design gallery, as pure rules: what a published design shows (no personal data), its budget band,
and the filters. ``backend.services.gallery`` stores it."""
