"""What a published design is: a copy of one revision with the homeowner's own traces taken out (the
design's name becomes the title they give; the plan's source photo is dropped), its style, its room
types and its budget band. The band comes from the design's quote (the one price rule,
``backend.bom.pricing.quote``), so the gallery never prices anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.design.model import Design
from backend.errors import InvalidInput

STYLES = ("modern", "Nordic", "Chinese", "Mediterranean", "industrial", "minimalist", "classic")
BUDGET_BANDS: tuple[tuple[str, int | None], ...] = (
    ("under_20k", 2_000_000), ("20k_50k", 5_000_000), ("50k_100k", 10_000_000), ("over_100k", None))
"""(band, exclusive upper bound in cents); the last band has no bound."""
BUDGET_CODES = tuple(code for code, _ in BUDGET_BANDS)


def budget_band(total_cents: int) -> str:
    for code, upper in BUDGET_BANDS:
        if upper is None or total_cents < upper:
            return code
    raise AssertionError("the last band is open")


@dataclass(frozen=True)
class Listing:
    title: str
    style: str
    room_types: tuple[str, ...]
    document: Design


def listing(document: Design, title: str, style: str) -> Listing:
    """The published form of ``document``: checked title and style, and a copy without personal traces."""
    title = title.strip()
    if not title:
        raise InvalidInput("give the published design a title", field="title")
    if style not in STYLES:
        raise InvalidInput(f"style must be one of {', '.join(STYLES)}", field="style")
    if not document.cabinets:
        raise InvalidInput("a design without cabinets cannot be published", field="design_id")
    plan = document.plan.model_copy(update={"source": None})
    public = document.model_copy(update={"name": title[:200], "plan": plan})
    rooms = tuple(sorted({r.type for r in document.plan.rooms}))
    return Listing(title[:200], style, rooms, Design.model_validate(public.model_dump()))
