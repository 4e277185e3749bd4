"""Part numbers and plain names: what people read on a part's label, the cut list, the factory's order
page and the part page behind the label's QR code (pure).

A part's *label id* (``RW2612-0001-cab-3-drawer_side-1l``) names the cabinet and the panel's role:
it is what CNC scan-and-load software reads to open the part's DXF, and people never read it.  Its
*part number* is the order number and the part's place in the order's parts list, ``P01`` … (two
digits, more when an order has a hundred parts or more): ``RW2612-0001 · P07``, written
``RW2612-0001-P07`` in the part page's URL (``/p/RW2612-0001-P07``).  The parts list is a pure
function of the frozen order document, so the number of a part never changes once the order exists,
and every place that shows it derives the same one.

A part's *plain name* says what it is and which unit it belongs to: "Drawer 1 left side — the 600 mm
drawer unit, 2 from the left of its run", the unit named as findings name it
(:func:`backend.configurator.validation.names`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from backend.configurator import wording
from backend.configurator.catalog import Catalog
from backend.configurator.placement import placed_objects
from backend.configurator.validation import names
from backend.design.model import Design

_NUMBER = re.compile(r"^P(\d{2,})$")
_TRAILING = re.compile(r"(\d+)[a-z]?$")


def N_(message: str) -> str:
    """Marks a message for extraction (``make messages``); the lookup happens with the reader's gettext."""
    return message


NUMBERED_PART = N_("{number} · {name}")
"""A part named by its number and plain name: "RW2612-0001 · P07 · Drawer 1 left side — the 600 mm …"."""
NTH_PART_OF = N_("Part {n} of {unit}")
SOME_PART_OF = N_("A part of {unit}")
"""A part of an old label whose part is no longer in the order's parts list, named by its unit."""


def part_numbers(count: int) -> list[str]:
    """The numbers of an order's ``count`` parts in parts-list order: ``P01`` … ``P12`` (``P001`` …
    with a hundred parts or more, so the numbers sort as they are read)."""
    digits = max(2, len(str(count)))
    return [f"P{n:0{digits}d}" for n in range(1, count + 1)]


def part_ref(order_number: str | None, number: str) -> str:
    """The part's key in URLs and QR codes: ``RW2612-0001-P07`` (``P07`` without an order)."""
    return f"{order_number}-{number}" if order_number else number


def part_label(order_number: str | None, number: str) -> str:
    """The part number as people read it: ``RW2612-0001 · P07``."""
    return f"{order_number} · {number}" if order_number else number


def split_ref(ref: str) -> tuple[str, str] | None:
    """``RW2612-0001-P07`` → (``RW2612-0001``, ``P07``); None when ``ref`` is not a part number's key
    (a label id of a label printed before part numbers existed, for instance)."""
    order, sep, number = ref.rpartition("-")
    if not sep or not order or not _NUMBER.match(number):
        return None
    return order, number


def unit_names(design: Design, catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Every cabinet's name as :func:`backend.configurator.wording.name` parameters ("the 600 mm base
    unit left of the sink"), by cabinet id."""
    return names(placed_objects(design, catalog), design)


def plain_name(panel_name: str, unit: Mapping[str, Any] | None, _: wording.Gettext = str) -> str:
    """"Drawer 1 left side — the 600 mm drawer unit at the left end of its run" in the language of ``_``."""
    return wording.part_name(panel_name, unit, _)


def plain_names(parts: Sequence[Any], units: Mapping[str, Mapping[str, Any]],
                _: wording.Gettext = str) -> dict[str, str]:
    """:func:`plain_name` of every part (``backend.bom.parts.Part``), by part id."""
    return {p.id: plain_name(p.name, units.get(p.cabinet_id), _) for p in parts}


def label_cabinet(label_id: str, order_number: str | None, cabinet_ids: Sequence[str]) -> tuple[str, int | None] | None:
    """The cabinet a label id names (``RW2612-0001-cab-3-drawer_side-1l`` → ``cab-3``) and the panel's
    number in it when it has one (``1``), or None when ``label_id`` is not a label id of these cabinets."""
    rest = label_id
    if order_number:
        if not label_id.startswith(order_number + "-"):
            return None
        rest = label_id[len(order_number) + 1:]
    found = [c for c in cabinet_ids if rest.startswith(c + "-")]
    if not found:
        return None
    cabinet = max(found, key=len)  # one id may begin another (cab-1, cab-1-copy): the longer one
    number = _TRAILING.search(rest[len(cabinet) + 1:])
    return cabinet, int(number.group(1)) if number else None


def part_words(key: str, parts: Sequence[Any], order_number: str | None, units: Mapping[str, Mapping[str, Any]],
               _: wording.Gettext = str) -> str:
    """What a person reads for a part someone referred to by ``key`` (its number as read, ``RW2612-0001 ·
    P07``, its key, or the label id of a label printed before part numbers): its number and plain name;
    for an old label whose part the parts list no longer has, "Part 2 of the 600 mm drawer unit …" (the
    unit recovered from the id); else ``key`` as it was given."""
    ref = key.replace(" · ", "-")
    part = next((p for p in parts if ref in (p.ref, p.id)), None)
    if part is not None:
        return _fill(_(NUMBERED_PART), number=part.label, name=plain_name(part.name, units.get(part.cabinet_id), _))
    found = label_cabinet(key, order_number, list(units))
    if found is None:
        return key
    cabinet, n = found
    unit = wording.name(units[cabinet], _)
    return _fill(_(NTH_PART_OF if n is not None else SOME_PART_OF), n=n, unit=unit)


def _fill(template: str, **params: object) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
