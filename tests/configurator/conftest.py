"""Fixtures for the configurator tests."""

from __future__ import annotations

import pytest

from backend.configurator.catalog import Catalog, load_catalog
from backend.design.model import DesignSettings


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def settings() -> DesignSettings:
    return DesignSettings()
