"""Babel extraction of the catalog's names (``assets/models/catalog/*.json``): every ``"name"`` of a
family, material, edge band, handle, hinge, slide, leg, fitting and rule pack is a message, so
``make messages`` lists it and the catalog check (tests/web/test_i18n.py) fails on one without a
Chinese translation. Pages and the catalog API show the names through the page's ``gettext``.

Registered in ``babel.cfg`` (``[extractors]`` catalog = this module's extract_catalog); Babel has no
JSON extractor of its own, hence this one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any


def _names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "name" and isinstance(value, str) and value.strip():
                yield value
            else:
                yield from _names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _names(value)


def extract_catalog(fileobj: IO[bytes], keywords: object, comment_tags: object,
                    options: object) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extraction-method signature: (line number, function name, message, comments)."""
    del keywords, comment_tags, options
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    for name in _names(json.loads(text)):
        needle = json.dumps(name, ensure_ascii=False)
        lineno = next((i + 1 for i, line in enumerate(lines) if needle in line), 1)
        yield lineno, None, name, ["catalog name"]
