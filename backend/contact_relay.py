"""The masked contact relay the settings describe (``ROOMWRIGHT_CONTACT_RELAY``): none, the recording test
relay, or a provider's relay named as ``module:factory``."""

from __future__ import annotations

from backend.commerce.relay import ContactRelay, RecordingRelay
from backend.plugins import make_plugin


def make_relay(spec: str) -> ContactRelay | None:
    """``none`` (no relay: contact goes through the store), ``test`` (``RecordingRelay``), or
    ``package.module:factory`` naming a callable that returns a relay."""
    if spec == "none":
        return None
    if spec == "test":
        return RecordingRelay()
    relay: ContactRelay = make_plugin(spec, "ROOMWRIGHT_CONTACT_RELAY", "'none', 'test'")
    return relay
