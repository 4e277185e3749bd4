"""Shared fixtures. Package-specific fixtures live in the conftest.py of each tests/ sub-folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.services import passwords

# Still argon2id, with the smallest parameters: the suite hashes hundreds of passwords.
passwords.use_parameters(time_cost=1, memory_cost_kib=256, parallelism=1)

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared").is_dir()), ROOT.parent / "shared")
"""The ../shared folder beside the project (or beside the folder of a git worktree)."""


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the project (real floor plans, nesting instances)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
