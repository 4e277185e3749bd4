"""ROOMWRIGHT_GC_TUNE: an app process freezes what start-up made and raises the collector's thresholds,
once per process (docs/scaling.md, "The tail at 50 users"); turned off, the collector is left as it is."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend import main
from backend.main import create_app
from backend.settings import Settings
from support.db import close_app


@pytest.fixture
def untuned(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process whose collector nobody tuned yet (an earlier test's app may have); put back as found."""
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    monkeypatch.setattr(main, "_gc_tuned", False)
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*thresholds)
    if frozen:
        gc.freeze()
    else:
        gc.unfreeze()


def started(settings: Settings) -> None:
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            assert client.get("/api/health").status_code == 200
    finally:
        close_app(app)


def test_start_up_is_frozen_and_the_thresholds_raised_once_per_process(untuned: None, settings: Settings) -> None:
    assert settings.gc_tune  # the default
    assert gc.get_freeze_count() == 0
    started(settings)
    frozen = gc.get_freeze_count()
    assert frozen > 50_000  # the app's modules, routes and schemas at least
    assert gc.get_threshold() == main.GC_THRESHOLDS == (10_000, 10, 10)
    gc.collect()
    assert len(gc.get_objects()) < frozen  # a full collection no longer scans what start-up made
    gc.set_threshold(700, 10, 10)
    started(settings)  # a second app in the same process changes nothing
    assert gc.get_threshold() == (700, 10, 10)
    assert main.tune_gc() is False


def test_turned_off_the_collector_is_left_alone(untuned: None, settings: Settings) -> None:
    started(settings.model_copy(update={"gc_tune": False}))
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == (700, 10, 10)
    assert main.tune_gc() is True  # still untuned: the first app that tunes does it
    assert gc.get_freeze_count() > 0
