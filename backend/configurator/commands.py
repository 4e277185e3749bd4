"""Edits as commands: pure functions ``Design → (new Design, inverse command)``.

Every command is plain data (a frozen pydantic model with a ``kind``), so the editor can send it
as JSON, keep an undo stack of inverses and a redo stack of the commands themselves.  Applying a
command and then its inverse gives back the original design exactly (same cabinets, same order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backend.configurator.cabinet import MIN_FLEX_ZONE_MM
from backend.configurator.catalog import Catalog
from backend.configurator.construction import ZoneLayout, build_cabinet, interior_tree
from backend.configurator.placement import snap_free
from backend.configurator.validation import Finding, Fix, validate
from backend.design.interior import Front, Insert, Leaf, Split, Zone, path_text, replace_at, zone_at
from backend.design.model import (
    Design,
    FreePlacement,
    OptionValue,
    PlacedCabinet,
    PlacedItem,
    Placement,
    WallPlacement,
)
from backend.errors import InvalidInput, NotFound

CHANGEABLE = frozenset({"family", "options", "carcass_material", "front_material", "handle"})
"""What ``change_cabinet`` may change; the interior has its own commands (split_zone, set_insert, set_front)."""


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AddCabinet(_Command):
    kind: Literal["add_cabinet"] = "add_cabinet"
    cabinet: PlacedCabinet
    index: int | None = None


class DeleteCabinet(_Command):
    kind: Literal["delete_cabinet"] = "delete_cabinet"
    cabinet_id: str


class MoveCabinet(_Command):
    """Move a cabinet; with ``snap``, a free-standing placement is first snapped to the walls, room
    corners and neighbours near it, at any angle (:func:`~backend.configurator.placement.snap_free`)."""

    kind: Literal["move_cabinet"] = "move_cabinet"
    cabinet_id: str
    placement: Placement
    elevation_mm: float | None = None
    snap: bool = False


class ResizeCabinet(_Command):
    kind: Literal["resize_cabinet"] = "resize_cabinet"
    cabinet_id: str
    width_mm: float | None = None
    height_mm: float | None = None
    depth_mm: float | None = None


class ChangeCabinet(_Command):
    """Change family, options (the whole dict), materials or handle; a value of None means the default."""

    kind: Literal["change_cabinet"] = "change_cabinet"
    cabinet_id: str
    changes: dict[str, str | dict[str, OptionValue] | None]


class DuplicateCabinet(_Command):
    kind: Literal["duplicate_cabinet"] = "duplicate_cabinet"
    cabinet_id: str
    new_id: str
    placement: Placement


class AddItem(_Command):
    kind: Literal["add_item"] = "add_item"
    item: PlacedItem
    index: int | None = None


class DeleteItem(_Command):
    kind: Literal["delete_item"] = "delete_item"
    item_id: str


class MoveItem(_Command):
    kind: Literal["move_item"] = "move_item"
    item_id: str
    placement: Placement


class SplitZone(_Command):
    """Split the leaf zone at ``path`` (child indices from the root) in two: ``horizontal``-ly (a board
    across, ``at_mm`` above the zone's bottom on the front grid) or ``vertical``-ly (a partition
    ``at_mm`` from its left); without ``at_mm`` in halves.  The lower/left zone keeps the insert, the
    other is an open niche; the zone's front (if any) now covers both."""

    kind: Literal["split_zone"] = "split_zone"
    cabinet_id: str
    path: list[int] = Field(default_factory=list, max_length=12)
    axis: Literal["horizontal", "vertical"]
    at_mm: float | None = Field(default=None, gt=0, le=10_000)


class SetInsert(_Command):
    """Fill the leaf zone at ``path`` with ``insert`` (shelves, drawers, a hanging rail …)."""

    kind: Literal["set_insert"] = "set_insert"
    cabinet_id: str
    path: list[int] = Field(default_factory=list, max_length=12)
    insert: Insert


class SetFront(_Command):
    """Close the zone at ``path`` with ``front`` (hinged doors, lift-up, sliding, lid) or leave it open
    (``None``); fronts of the zones inside it are removed (one front covers them all)."""

    kind: Literal["set_front"] = "set_front"
    cabinet_id: str
    path: list[int] = Field(default_factory=list, max_length=12)
    front: Front | None = None


class MoveDivider(_Command):
    """Move the board (or partition) between zones ``index`` and ``index + 1`` of the split at ``path`` to
    ``at_mm`` from the split's bottom (a split across) or its left (side by side), on the front grid.
    Both zones keep what fills and closes them; the split's other zones keep their places. Each of the
    two must keep at least ``MIN_FLEX_ZONE_MM``."""

    kind: Literal["move_divider"] = "move_divider"
    cabinet_id: str
    path: list[int] = Field(default_factory=list, max_length=12)
    index: int = Field(ge=0, le=100)
    at_mm: float = Field(gt=0, le=10_000)


class SetInterior(_Command):
    """Replace a cabinet's whole zone tree (``None``: back to the catalog preset's); the inverse of the
    zone commands."""

    kind: Literal["set_interior"] = "set_interior"
    cabinet_id: str
    interior: Zone | None = None


class Batch(_Command):
    """Several commands applied in order as one undoable step."""

    kind: Literal["batch"] = "batch"
    commands: list[Command]


Command = Annotated[AddCabinet | DeleteCabinet | MoveCabinet | ResizeCabinet | ChangeCabinet | DuplicateCabinet
                    | AddItem | DeleteItem | MoveItem | SplitZone | SetInsert | SetFront | MoveDivider | SetInterior
                    | Batch,
                    Field(discriminator="kind")]
ZoneCommand = SplitZone | SetInsert | SetFront
Batch.model_rebuild()


def _with(design: Design, **update: Any) -> Design:
    """A new, validated Design (pydantic's model_copy would skip validation)."""
    data = {"schema_version": design.schema_version, "name": design.name, "plan": design.plan,
            "cabinets": design.cabinets, "items": design.items, "settings": design.settings, **update}
    try:
        return Design(**data)
    except ValidationError as err:
        first = err.errors()[0]
        raise InvalidInput(str(first["msg"]).removeprefix("Value error, "),
                           field=".".join(str(p) for p in first["loc"]) or None) from None


def _index(design: Design, cabinet_id: str) -> int:
    for i, cab in enumerate(design.cabinets):
        if cab.id == cabinet_id:
            return i
    raise NotFound(f"no cabinet '{cabinet_id}' in the design", field="cabinet_id")


def _replace(design: Design, cabinet_id: str, **fields: Any) -> tuple[Design, PlacedCabinet]:
    i = _index(design, cabinet_id)
    old = design.cabinets[i]
    try:
        new = PlacedCabinet.model_validate({**old.model_dump(), **fields})
    except ValidationError as err:
        first = err.errors()[0]
        raise InvalidInput(str(first["msg"]), field=".".join(str(p) for p in first["loc"])) from None
    cabinets = [*design.cabinets[:i], new, *design.cabinets[i + 1:]]
    return _with(design, cabinets=cabinets), old


def apply(design: Design, command: Command, catalog: Catalog | None = None) -> tuple[Design, Command]:
    """Apply one command; returns the new design and the command that undoes it.  The zone commands
    need the ``catalog`` when the cabinet still has its preset's interior (the tree comes from it)."""
    if isinstance(command, SetInterior):
        new, old = _replace(design, command.cabinet_id, interior=command.interior)
        return new, SetInterior(cabinet_id=old.id, interior=old.interior)
    if isinstance(command, SplitZone | SetInsert | SetFront):
        return _apply_zone(design, command, catalog)
    if isinstance(command, MoveDivider):
        return _move_divider(design, command, catalog)
    if isinstance(command, AddCabinet):
        index = len(design.cabinets) if command.index is None else command.index
        cabinets = [*design.cabinets[:index], command.cabinet, *design.cabinets[index:]]
        return _with(design, cabinets=cabinets), DeleteCabinet(cabinet_id=command.cabinet.id)
    if isinstance(command, DeleteCabinet):
        i = _index(design, command.cabinet_id)
        cabinets = [*design.cabinets[:i], *design.cabinets[i + 1:]]
        return _with(design, cabinets=cabinets), AddCabinet(cabinet=design.cabinets[i], index=i)
    if isinstance(command, MoveCabinet):
        elevation = {} if command.elevation_mm is None else {"elevation_mm": command.elevation_mm}
        placement = command.placement
        if command.snap and isinstance(placement, FreePlacement):
            cab = design.cabinets[_index(design, command.cabinet_id)]
            placement = snap_free(design, placement, cab.width_mm, cab.depth_mm, exclude_id=cab.id)
        new, old = _replace(design, command.cabinet_id, placement=placement, **elevation)
        return new, MoveCabinet(cabinet_id=old.id, placement=old.placement, elevation_mm=old.elevation_mm)
    if isinstance(command, ResizeCabinet):
        sizes = {k: v for k, v in (("width_mm", command.width_mm), ("height_mm", command.height_mm),
                                   ("depth_mm", command.depth_mm)) if v is not None}
        new, old = _replace(design, command.cabinet_id, **sizes)
        return new, ResizeCabinet(cabinet_id=old.id, width_mm=old.width_mm, height_mm=old.height_mm,
                                  depth_mm=old.depth_mm)
    if isinstance(command, ChangeCabinet):
        unknown = set(command.changes) - CHANGEABLE
        if unknown:
            raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} this way", field="changes")
        changes = {k: ({} if k == "options" and v is None else v) for k, v in command.changes.items()}
        new, old = _replace(design, command.cabinet_id, **changes)
        return new, ChangeCabinet(cabinet_id=old.id, changes={k: getattr(old, k) for k in command.changes})
    if isinstance(command, DuplicateCabinet):
        source = design.cabinets[_index(design, command.cabinet_id)]
        copy = PlacedCabinet.model_validate({**source.model_dump(), "id": command.new_id,
                                             "placement": command.placement})
        return apply(design, AddCabinet(cabinet=copy))
    if isinstance(command, AddItem):
        index = len(design.items) if command.index is None else command.index
        items = [*design.items[:index], command.item, *design.items[index:]]
        return _with(design, items=items), DeleteItem(item_id=command.item.id)
    if isinstance(command, MoveItem):
        for i, item in enumerate(design.items):
            if item.id == command.item_id:
                moved = PlacedItem.model_validate({**item.model_dump(), "placement": command.placement})
                items = [*design.items[:i], moved, *design.items[i + 1:]]
                return _with(design, items=items), MoveItem(item_id=item.id, placement=item.placement)
        raise NotFound(f"no item '{command.item_id}' in the design", field="item_id")
    if isinstance(command, DeleteItem):
        for i, item in enumerate(design.items):
            if item.id == command.item_id:
                return _with(design, items=[*design.items[:i], *design.items[i + 1:]]), AddItem(item=item, index=i)
        raise NotFound(f"no item '{command.item_id}' in the design", field="item_id")
    return _apply_batch(design, command, catalog)


def _apply_zone(design: Design, command: ZoneCommand, catalog: Catalog | None) -> tuple[Design, Command]:
    cab = design.cabinets[_index(design, command.cabinet_id)]
    if cab.interior is None and catalog is None:
        raise InvalidInput("the catalog is needed to edit a preset's interior", field="cabinet_id")
    tree = cab.interior if cab.interior is not None else interior_tree(cab, catalog, design.settings)  # type: ignore[arg-type]
    path = tuple(command.path)
    try:
        zone = zone_at(tree, path)
    except KeyError as err:
        raise InvalidInput(f"the cabinet has no zone {err.args[0]}", field="path") from None
    if isinstance(command, SetFront):
        new_zone: Zone = _without_fronts(zone).model_copy(update={"front": command.front})
    elif isinstance(zone, Split):
        raise InvalidInput("this zone is already divided: split or fill one of its zones", field="path")
    elif isinstance(command, SetInsert):
        new_zone = Leaf.model_validate({**zone.model_dump(), "insert": command.insert.model_dump()})
    else:
        new_zone = _split(cab, catalog, design, tree, path, zone, command)
    try:
        new_tree = replace_at(tree, path, Split.model_validate(new_zone.model_dump()) if isinstance(
            new_zone, Split) else Leaf.model_validate(new_zone.model_dump()))
    except ValidationError as err:
        where = path_text(path) + (".front" if isinstance(command, SetFront) else "")
        raise InvalidInput(str(err.errors()[0]["msg"]).removeprefix("Value error, "), field=where) from None
    new, old = _replace(design, cab.id, interior=new_tree.model_dump())
    return new, SetInterior(cabinet_id=old.id, interior=old.interior)


@dataclass(frozen=True)
class Divider:
    """A board or partition the editor can drag: between zones ``index`` and ``index + 1`` of the split at
    ``path``. ``at_mm`` is where it is on the front grid (mm from the cabinet's bottom for a split across,
    from its left side by side), ``start_mm`` where the split starts (``MoveDivider.at_mm`` counts from
    there), ``lo_mm``–``hi_mm`` how far it may go, ``span`` the line it is drawn on across the split."""

    path: tuple[int, ...]
    index: int
    axis: Literal["horizontal", "vertical"]
    at_mm: float
    start_mm: float
    lo_mm: float
    hi_mm: float
    span: tuple[float, float]


def _extents(layouts: Sequence[ZoneLayout], path: tuple[int, ...], count: int, horizontal: bool
             ) -> list[tuple[float, float]] | None:
    """Each child's extent along the split (front grid) and the split's span across, from its leaves."""
    out = []
    for j in range(count):
        child = (*path, j)
        rects = [z.outer for z in layouts if z.path[:len(child)] == child]
        if not rects:
            return None
        lo = min(r[2] if horizontal else r[0] for r in rects)
        hi = max(r[3] if horizontal else r[1] for r in rects)
        out.append((lo, hi))
    return out


def zone_dividers(tree: Zone, layouts: Sequence[ZoneLayout]) -> list[Divider]:
    """Every divider between neighbouring zones of the cabinet's own tree (not of a top box), outermost
    first, from the zones as built (``build.zones``)."""
    out: list[Divider] = []

    def walk(zone: Zone, path: tuple[int, ...]) -> None:
        if not isinstance(zone, Split):
            return
        horizontal = zone.axis == "horizontal"
        ext = _extents(layouts, path, len(zone.zones), horizontal)
        if ext is not None:
            rects = [z.outer for z in layouts if z.path[:len(path)] == path and -1 not in z.path]
            span = (min(r[0] for r in rects), max(r[1] for r in rects)) if horizontal else (
                min(r[2] for r in rects), max(r[3] for r in rects))
            for i in range(len(zone.zones) - 1):
                out.append(Divider(path, i, zone.axis, ext[i][1], ext[0][0], ext[i][0] + MIN_FLEX_ZONE_MM,
                                   ext[i + 1][1] - MIN_FLEX_ZONE_MM, span))
        for j, child in enumerate(zone.zones):
            walk(child, (*path, j))

    walk(tree, ())
    return out


def _move_divider(design: Design, command: MoveDivider, catalog: Catalog | None) -> tuple[Design, Command]:
    if catalog is None:
        raise InvalidInput("the catalog is needed to move a divider", field="at_mm")
    cab = design.cabinets[_index(design, command.cabinet_id)]
    tree = cab.interior if cab.interior is not None else interior_tree(cab, catalog, design.settings)
    path = tuple(command.path)
    try:
        split = zone_at(tree, path)
    except KeyError as err:
        raise InvalidInput(f"the cabinet has no zone {err.args[0]}", field="path") from None
    if not isinstance(split, Split):
        raise InvalidInput("this zone is not divided: there is no divider to move", field="path")
    if command.index >= len(split.zones) - 1:
        raise InvalidInput(f"the split has {len(split.zones) - 1} divider(s)", field="index")
    built = build_cabinet(cab.model_copy(update={"interior": tree}), catalog, design.settings)
    divider = next((d for d in zone_dividers(tree, built.zones) if d.path == path and d.index == command.index),
                   None)
    if divider is None:
        raise InvalidInput("the cabinet has no such zone", field="path")
    at = divider.start_mm + command.at_mm
    if not divider.lo_mm - 0.5 <= at <= divider.hi_mm + 0.5:
        raise InvalidInput(f"a divider at {command.at_mm:g} mm leaves less than {MIN_FLEX_ZONE_MM:g} mm for a "
                           f"zone beside it: it may go from {divider.lo_mm - divider.start_mm:g} to "
                           f"{divider.hi_mm - divider.start_mm:g} mm", field="at_mm")
    ext = _extents(built.zones, path, len(split.zones), split.axis == "horizontal")
    assert ext is not None
    i = command.index
    sizes = {i: at - ext[i][0], i + 1: ext[i + 1][1] - at}
    flexible = [j for j, z in enumerate(split.zones) if z.size_mm is None]
    keep_flex = [j for j in (i + 1, i) if j in flexible]
    if flexible and set(flexible) <= {i, i + 1}:  # the split keeps a zone that takes up a resize
        sizes.pop(keep_flex[0])
    zones = [z.model_copy(update={"size_mm": float(round(sizes[j], 1))}) if j in sizes else z
             for j, z in enumerate(split.zones)]
    new_split = Split.model_validate({**split.model_dump(), "zones": [z.model_dump() for z in zones]})
    new_tree = replace_at(tree, path, new_split)
    new, old = _replace(design, cab.id, interior=new_tree.model_dump())
    build_cabinet(new.cabinets[_index(new, cab.id)], catalog, new.settings)  # what cannot be built is refused
    return new, SetInterior(cabinet_id=old.id, interior=old.interior)


def _without_fronts(zone: Zone) -> Zone:
    if isinstance(zone, Leaf):
        return zone
    return zone.model_copy(update={"zones": [_without_fronts(z).model_copy(update={"front": None})
                                             for z in zone.zones]})


def _split(cab: PlacedCabinet, catalog: Catalog | None, design: Design, tree: Zone, path: tuple[int, ...],
           leaf: Leaf, command: SplitZone) -> Zone:
    """The leaf split in two at ``at_mm`` (checked to lie inside the zone as built) or in halves."""
    sizes: list[dict[str, float]] = [{}, {}]
    if command.at_mm is not None:
        if catalog is None:
            raise InvalidInput("the catalog is needed to place a split", field="at_mm")
        built = build_cabinet(cab.model_copy(update={"interior": tree}), catalog, design.settings)
        layout = next((z for z in built.zones if z.path == path), None)
        if layout is None:
            raise InvalidInput("the cabinet has no such zone", field="path")
        x0, x1, z0, z1 = layout.outer
        extent = (z1 - z0) if command.axis == "horizontal" else (x1 - x0)
        if not MIN_FLEX_ZONE_MM <= command.at_mm <= extent - MIN_FLEX_ZONE_MM:
            raise InvalidInput(f"a split at {command.at_mm:g} mm is outside the zone: it must leave at least "
                               f"{MIN_FLEX_ZONE_MM:g} mm on each side of the {extent:g} mm zone", field="at_mm")
        sizes[0] = {"size_mm": float(command.at_mm)}
    first = Leaf(insert=leaf.insert, **sizes[0])
    return Split(axis=command.axis, zones=[first, Leaf(insert=Insert(kind="niche"))], front=leaf.front,
                 size_mm=leaf.size_mm, share=leaf.share)


def fix_command(design: Design, fix: Fix) -> Command | None:
    """The command that carries out a finding's fix (a move along the wall, or a resize), or None if
    the fix is advice only. Its inverse (from :func:`apply`) undoes it exactly."""
    if fix.object_id is None or not fix.changes:
        return None
    changes = fix.changes
    cabinet = next((c for c in design.cabinets if c.id == fix.object_id), None)
    item = next((i for i in design.items if i.id == fix.object_id), None)
    target = cabinet or item
    if target is None:
        return None
    if "offset_mm" in changes:
        if not isinstance(target.placement, WallPlacement):
            return None
        p = target.placement
        placement = WallPlacement(wall_id=p.wall_id, offset_mm=float(str(changes["offset_mm"])), side=p.side)
        if cabinet is not None:
            return MoveCabinet(cabinet_id=cabinet.id, placement=placement)
        return MoveItem(item_id=target.id, placement=placement)
    if "x_mm" in changes and "y_mm" in changes:
        if not isinstance(target.placement, FreePlacement):
            return None
        free = FreePlacement(x_mm=float(str(changes["x_mm"])), y_mm=float(str(changes["y_mm"])),
                             rotation_deg=target.placement.rotation_deg)
        if cabinet is not None:
            return MoveCabinet(cabinet_id=cabinet.id, placement=free)
        return MoveItem(item_id=target.id, placement=free)
    sizes = {k: float(str(v)) for k, v in changes.items() if k in ("width_mm", "height_mm", "depth_mm")}
    if cabinet is not None and sizes:
        return ResizeCabinet(cabinet_id=cabinet.id, **sizes)
    return None


def _apply_batch(design: Design, batch: Batch, catalog: Catalog | None = None) -> tuple[Design, Command]:
    inverses: list[Command] = []
    for cmd in batch.commands:
        design, inverse = apply(design, cmd, catalog)
        inverses.append(inverse)
    return design, Batch(commands=inverses[::-1])


def apply_checked(design: Design, command: Command, catalog: Catalog) -> tuple[Design, Command, list[Finding]]:
    """Apply a command, refuse cabinets the catalog cannot build, and return the new findings."""
    new, inverse = apply(design, command, catalog)
    before = {c.id: c for c in design.cabinets}
    for cab in new.cabinets:
        if before.get(cab.id) != cab:
            build_cabinet(cab, catalog, new.settings)  # raises InvalidInput naming the field
    return new, inverse, validate(new, catalog)
