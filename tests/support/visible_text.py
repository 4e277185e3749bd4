"""What a person reads on a page, and the internal ids and codes that must never be among it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from backend.configurator.catalog import Catalog

ID_PATTERN = re.compile(r"\b(?:cab|wall|win|room|door|part|item|opening|des|ord|bkg|pre|promo|pkg|store|hold)"
                        r"-(?:[a-z-]*\d[\w-]*|[0-9a-f]{6,})\b", re.I)
"""Prefixed ids as the design format writes them (cab-af10, wall-12, wall-top-1, win-3, room-2, des-1a2b3c…);
an id has a digit (or is a hex token): English words such as "wall-unit hangers" are not ids."""
CODE_PATTERN = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # in_production, base_2_doors, home_measurement
_HIDDEN = {"script", "style", "template", "noscript", "title", "head"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Visible(HTMLParser):
    """Text nodes outside scripts, styles and ``hidden`` elements, plus what buttons and inputs show."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it (or an ancestor) hidden

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        hidden = bool(self._stack and self._stack[-1]) or tag in _HIDDEN or "hidden" in data \
            or data.get("aria-hidden") == "true"
        if tag == "input" and not hidden and data.get("type") in ("submit", "button") and data.get("value"):
            self.parts.append(str(data["value"]))
        if tag in ("input", "textarea") and not hidden and data.get("placeholder"):
            self.parts.append(str(data["placeholder"]))
        if tag not in _VOID:
            self._stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1]) and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def catalog_codes(catalog: Catalog) -> set[str]:
    """The catalog's codes a person must never read (families, materials, handles, edge bands)."""
    codes = {*catalog.families, *catalog.materials, *catalog.handles, *catalog.edge_bands, *catalog.hinges,
             *catalog.slides, *catalog.legs, *catalog.fittings}
    return {c for c in codes if not c.isalpha()}  # "oak" is a word; "oak_veneer_18" is a code


def internal_ids(text: str, codes: set[str]) -> list[str]:
    """The internal ids, status or catalog codes in ``text`` (e-mail addresses and URLs aside)."""
    text = re.sub(r"\S+@\S+|https?://\S+|/\S+", " ", text)
    found = ID_PATTERN.findall(text) + CODE_PATTERN.findall(text)
    found += [c for c in codes if re.search(rf"\b{re.escape(c)}\b", text)]
    return sorted(set(found))
