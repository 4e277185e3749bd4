"""Pluggable providers named in the settings as ``package.module:factory`` (an SMS sender, a contact relay):
one loader for all of them, on the standard library's ``pkgutil.resolve_name``."""

from __future__ import annotations

import pkgutil
from typing import Any


def make_plugin(spec: str, setting: str, builtins: str) -> Any:
    """Call the factory ``spec`` names (``package.module:factory``) and return what it makes. ``setting`` and
    ``builtins`` (the setting's built-in choices, for example ``'log'``) only word the error for a bad value."""
    if ":" not in spec:
        raise ValueError(f"{setting} must be {builtins} or 'module:factory', not {spec!r}")
    return pkgutil.resolve_name(spec)()
