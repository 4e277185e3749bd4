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
