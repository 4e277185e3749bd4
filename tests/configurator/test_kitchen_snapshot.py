"""The kitchen families are presets of the general cabinet model: their panels (ids, sizes, materials,
edges, places, machining), hardware and quote totals at minimum, default and maximum sizes are exactly
those of the snapshot taken from the kitchen recipes before they became presets."""

from __future__ import annotations

import json

import pytest

from backend.configurator.catalog import load_catalog
from tests.configurator.kitchen_snapshot import SNAPSHOT, snapshot


@pytest.fixture(scope="module")
def now() -> dict[str, object]:
    return snapshot(load_catalog())


BEFORE = json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_every_kitchen_family_is_snapshotted(now: dict[str, object]) -> None:
    assert sorted(now) == sorted(BEFORE)
    assert len(BEFORE) == 24 * 3


@pytest.mark.parametrize("key", sorted(BEFORE))
def test_kitchen_family_unchanged(now: dict[str, object], key: str) -> None:
    assert now[key] == BEFORE[key]
