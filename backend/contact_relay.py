"""The masked contact relay the settings describe (``ROOMWRIGHT_CONTACT_RELAY``): none, the recording test
relay, or a provider's relay named as ``module:factory``."""

from __future__ import annotations

import importlib

from backend.commerce.relay import ContactRelay, RecordingRelay


def make_relay(spec: str) -> ContactRelay | None:
    """``none`` (no relay: contact goes through the store), ``test`` (``RecordingRelay``), or
    ``package.module:factory`` naming a callable that returns a relay."""
    if spec == "none":
        return None
    if spec == "test":
        return RecordingRelay()
    module, _, name = spec.partition(":")
    if not name:
        raise ValueError(f"ROOMWRIGHT_CONTACT_RELAY must be 'none', 'test' or 'module:factory', not {spec!r}")
    relay: ContactRelay = getattr(importlib.import_module(module), name)()
    return relay
