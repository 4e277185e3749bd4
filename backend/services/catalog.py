"""The catalog, loaded and validated once per process (catalog data lives in assets/models/)."""

from __future__ import annotations

from functools import cache

from backend.configurator.catalog import Catalog, load_catalog


@cache
def catalog() -> Catalog:
    return load_catalog()
