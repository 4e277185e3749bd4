"""Shared fixtures. Package-specific fixtures live in the conftest.py of each tests/ sub-folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the project (real floor plans, nesting instances)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
