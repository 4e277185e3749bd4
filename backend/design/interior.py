"""A cabinet's interior as document data: a tree of zones, each leaf holding one insert, and fronts.

The configurator (``backend.configurator.cabinet``) turns the tree into panels; the design document
stores it on a placed cabinet (``PlacedCabinet.interior``; ``None`` means the catalog preset's tree).

* A :class:`Split` divides its zone ``horizontal``-ly (boards across; its ``zones`` stacked bottom to
  top) or ``vertical``-ly (partitions; its ``zones`` from left to right, seen from the front).
* Every child zone takes ``size_mm`` (measured on the front grid: from the zone's outer edge or the
  centre of the board before it to the centre of the board after it) or else a ``share`` of what the
  fixed sizes leave.
* A :class:`Leaf` holds one :class:`Insert`.
* A :class:`Front` may sit on any zone (a leaf, or a split: then it covers all its zones); a zone under
  a front has none of its own. Drawers with fronts are their own fronts.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

InsertKind = Literal["shelves", "fixed_shelves", "drawers", "rail", "trouser_rack", "shoe_shelves", "basket",
                     "niche"]
FrontKind = Literal["hinged", "lift", "sliding", "lid"]
INSERT_KINDS: tuple[InsertKind, ...] = ("shelves", "fixed_shelves", "drawers", "rail", "trouser_rack",
                                        "shoe_shelves", "basket", "niche")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Insert(_Model):
    """What fills a leaf zone.

    ``shelves`` (adjustable, on pins) and ``fixed_shelves`` (screwed), ``shoe_shelves`` (sloped on
    brackets, with a fence), ``basket`` (pull-out wire baskets): ``count`` of them.  ``drawers``:
    ``count`` drawers, ``internal`` ones behind a door, else each with its own drawer front.  ``rail``:
    a hanging rail for a ``long`` or ``short`` hang.  ``trouser_rack``: a pull-out trouser rack.
    ``niche``: open space (also a knee space or an appliance niche).
    """

    kind: InsertKind
    count: Annotated[int, Field(ge=0, le=12)] = 0
    internal: bool = False
    hang: Literal["long", "short"] = "long"


class Front(_Model):
    """How a zone is closed.

    ``hinged``: ``leaves`` (1, 2 or ``auto``: one up to 600 mm wide, else two; more for a wide top
    box) with a handle or ``push``-to-open, ``hinge_side`` for one leaf, an optional ``hinge`` code
    (e.g. 170° so internal drawers clear the door), ``glass`` for a framed glass door.  ``lift``: one
    lift-up door.  ``sliding``: 2 or 3 leaves on a top and bottom track, overlapping by ``overlap_mm``
    (only on the whole cabinet; the carcass is set back to take the tracks).  ``lid``: lift-up lids on
    top (platforms).
    """

    kind: FrontKind
    leaves: Literal[1, 2, 3, 4, "auto"] = "auto"
    opening: Literal["handle", "push"] = "handle"
    hinge_side: Literal["left", "right"] = "left"
    hinge: str | None = Field(default=None, max_length=80)
    glass: bool = False
    overlap_mm: Annotated[float, Field(ge=0, le=200)] = 40


class _ZoneBase(_Model):
    size_mm: Annotated[float, Field(gt=0, le=10_000)] | None = None
    share: Annotated[float, Field(gt=0, le=100)] = 1
    front: Front | None = None


class Leaf(_ZoneBase):
    kind: Literal["leaf"] = "leaf"
    insert: Insert = Insert(kind="niche")


class Split(_ZoneBase):
    kind: Literal["split"] = "split"
    axis: Literal["horizontal", "vertical"]
    zones: list[Zone] = Field(min_length=2, max_length=12)

    @model_validator(mode="after")
    def _check(self) -> Split:
        if self.front is not None:
            for zone in self.zones:
                if zone.front is not None:
                    raise ValueError("a zone under a front cannot have a front of its own")
        return self


Zone = Annotated[Leaf | Split, Field(discriminator="kind")]
Split.model_rebuild()

Path = tuple[int, ...]
"""A zone's place in the tree: the child indices from the root (``()`` is the root)."""


def zone_at(root: Zone, path: Path) -> Zone:
    """The zone at ``path``; raises KeyError naming the first step that does not exist."""
    zone = root
    for depth, i in enumerate(path):
        if not isinstance(zone, Split) or not 0 <= i < len(zone.zones):
            raise KeyError(".".join(str(p) for p in path[:depth + 1]))
        zone = zone.zones[i]
    return zone


def replace_at(root: Zone, path: Path, new: Zone) -> Zone:
    """A copy of the tree with the zone at ``path`` replaced (validated again)."""
    if not path:
        return new
    assert isinstance(root, Split)
    children = list(root.zones)
    children[path[0]] = replace_at(children[path[0]], path[1:], new)
    return Split.model_validate({**root.model_dump(), "zones": [c.model_dump() for c in children]})


def leaves(root: Zone, path: Path = ()) -> list[tuple[Path, Leaf]]:
    """Every leaf with its path, in tree order."""
    if isinstance(root, Leaf):
        return [(path, root)]
    out: list[tuple[Path, Leaf]] = []
    for i, zone in enumerate(root.zones):
        out += leaves(zone, (*path, i))
    return out


def path_text(path: Path) -> str:
    """``(1, 0)`` → ``interior.zones.1.zones.0`` (the field of a problem document)."""
    return ".".join(["interior", *(f"zones.{i}" for i in path)])
