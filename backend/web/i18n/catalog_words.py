"""A Babel extractor for the catalog's words: every family name in ``assets/models/catalog/*.json``.

``babel.cfg`` names it for the catalog files, so ``make messages`` lists the family names with the
templates' messages and the translation check (tests/web/test_i18n.py) asks for their Chinese text.
Babel has JSON no extractor of its own, hence these few lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

FAMILY_LISTS = ("families", "home_families")


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[
        tuple[int, str | None, str, list[str]]]:
    data = json.load(fileobj)
    for key in FAMILY_LISTS:
        for family in data.get(key, []):
            yield 1, None, str(family["name"]), []
