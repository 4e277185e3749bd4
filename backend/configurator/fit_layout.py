"""Fit a published layout onto another plan ("use this layout" on one's own home).

A gallery design was drawn for someone else's rooms; copying it whole gives its owner's plan, not the
user's. :func:`fit_layout` keeps the user's plan and carries the layout over room by room: each room of the
source that holds furniture is matched with a room of the same type in the target (largest with largest),
each wall run of it (the units along one wall, base and wall units together, in their order as seen from the
front and at their heights) goes onto the longest free stretch of a wall facing the matched room, from the
stretch's left end, and what does not fit (past the stretch's end, into a door's swing, or in any blocking
finding) is left out and counted. Finishes (carcass, fronts, worktop, handle) come with the layout. Where a
kitchen or wardrobe room keeps less than half of its run length that way, auto-fill fills the room instead
and the alternative whose units are most like the source's is taken. Free-standing units are not placed (a
position in someone else's room means nothing in this one); they are counted as left out.

Pure: no database, no web framework; the caller prices and saves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from backend.configurator import autofill
from backend.configurator.catalog import Catalog
from backend.configurator.placement import footprint
from backend.configurator.validation import validate
from backend.design.model import Design, PlacedCabinet, PlacedItem, Room, WallPlacement

Placeable = PlacedCabinet | PlacedItem
PriceOf = Callable[[Sequence[PlacedCabinet]], int]

OVERHANG_MM = 100.0
"""How far a unit may reach past the free stretch it is copied onto, for the validation rules to judge (a
source layout drawn to its walls' faces may run a few cm past where auto-fill would stop for the room)."""
KEEP_SHARE = 0.5
"""A kitchen or wardrobe room whose copied runs keep less than this share of their length is auto-filled."""


@dataclass
class RoomFit:
    """How one source room came over: the target room it went into (None: no room of its type), the units
    it had and how many were placed, and whether auto-fill planned it."""

    room_type: str
    source_room: str
    target_room: str | None
    units: int
    placed: int
    autofilled: bool = False


@dataclass
class FitResult:
    design: Design
    rooms: list[RoomFit] = field(default_factory=list)
    free_standing: int = 0
    """Free-standing units of the source, not placed."""

    @property
    def units(self) -> int:
        return sum(r.units for r in self.rooms) + self.free_standing

    @property
    def placed(self) -> int:
        return sum(r.placed for r in self.rooms)


def _room_of(design: Design, obj: Placeable, catalog: Catalog) -> Room | None:
    """The room the unit stands in: the one holding most of its footprint."""
    shape = footprint(obj, design.plan, catalog)
    best, best_area = None, 0.0
    for room in design.plan.rooms:
        area = room.shape().intersection(shape).area
        if area > best_area:
            best, best_area = room, area
    return best


def _runs(source: Design, room: Room, objs: list[Placeable]) -> list[list[tuple[float, Placeable]]]:
    """The units grouped by wall (and side), longest run first, each with its distance from the left end (seen
    from the front) of the stretch of its wall that faces the room, so a run that starts a few mm off its
    corner (the second leg of an L beside a blind corner unit) keeps that relation."""
    by_wall: dict[tuple[str, str], list[Placeable]] = {}
    for obj in objs:
        assert isinstance(obj.placement, WallPlacement)
        by_wall.setdefault((obj.placement.wall_id, obj.placement.side), []).append(obj)
    out = []
    for (wall_id, side), run in by_wall.items():
        stretches = [r for r in autofill.plan_runs(source, [wall_id], room=room) if r.side == side]
        lo = min(o.placement.offset_mm for o in run if isinstance(o.placement, WallPlacement))
        hi = max(o.placement.offset_mm + o.width_mm for o in run if isinstance(o.placement, WallPlacement))
        start, end = (stretches[0].start_mm, stretches[0].end_mm) if stretches else (lo, hi)
        positioned = []
        for o in run:
            assert isinstance(o.placement, WallPlacement)
            pos = o.placement.offset_mm - start if side == "right" else end - o.placement.offset_mm - o.width_mm
            positioned.append((pos, o))
        out.append(sorted(positioned, key=lambda p: (p[0], p[1].elevation_mm)))
    return sorted(out, key=lambda run: -max(p + o.width_mm for p, o in run))


class _Fitter:
    def __init__(self, source: Design, target: Design, catalog: Catalog) -> None:
        self.source, self.catalog = source, catalog
        settings = target.settings.model_copy(update={
            "carcass_material": source.settings.carcass_material, "front_material": source.settings.front_material,
            "countertop_material": source.settings.countertop_material, "handle": source.settings.handle})
        self.design = target.model_copy(update={"settings": settings})
        self.walls = {w.id: w for w in target.plan.walls}
        used = {c.id for c in target.cabinets} | {i.id for i in target.items}
        self._ids = {"cab": (f"cab-g{n}" for n in range(1, 100_000) if f"cab-g{n}" not in used),
                     "item": (f"item-g{n}" for n in range(1, 100_000) if f"item-g{n}" not in used)}

    def new_id(self, obj: Placeable) -> str:
        return next(self._ids["cab" if isinstance(obj, PlacedCabinet) else "item"])

    def stretches(self, room: Room, free: bool) -> list[tuple[autofill.Run, float, float]]:
        """The stretches of the walls facing ``room``, longest first: with ``free``, only what doors' swings
        and what stands there leave free; else each wall's whole stretch facing the room."""
        walls = {w.id: w for w in self.design.plan.walls}
        out = []
        for wid in autofill.room_walls(self.design, room):
            for run in autofill.plan_runs(self.design, [wid], room=room):
                if not free:
                    out.append((run, run.start_mm, run.end_mm))
                    continue
                wall = walls[run.wall_id]
                taken = autofill.door_blocks(self.design, run, wall)
                taken += autofill.occupied_blocks(self.design, self.catalog, run, wall, (0.0, 10_000.0))
                out += [(run, a, b) for a, b in autofill._free_intervals(run, wall, taken)]
        return sorted(out, key=lambda s: -(s[2] - s[1]))

    def place_run(self, run: list[tuple[float, Placeable]],
                  stretch: tuple[autofill.Run, float, float]) -> list[Placeable]:
        """The run's units on ``stretch`` from its left end, as far as they fit."""
        target, a, b = stretch
        out: list[Placeable] = []
        for pos, obj in run:
            if pos < -OVERHANG_MM or pos + obj.width_mm > b - a + OVERHANG_MM:
                continue
            offset = a + pos if target.side == "right" else b - pos - obj.width_mm
            if offset < 0 or offset + obj.width_mm > self.walls[target.wall_id].length_mm:
                continue
            placement = WallPlacement(wall_id=target.wall_id, offset_mm=round(offset, 1), side=target.side)
            out.append(obj.model_copy(update={"id": self.new_id(obj), "placement": placement}))
        return out

    def keep_valid(self, new: list[Placeable]) -> list[Placeable]:
        """``new`` without the units that take part in a blocking finding (a few rounds)."""
        for _ in range(4):
            ids = {o.id for o in new}
            trial = self.with_units(new)
            bad = {i for f in validate(trial, self.catalog, fixes=False) if f.severity == "error"
                   for i in f.object_ids if i in ids}
            if not bad:
                return new
            new = [o for o in new if o.id not in bad]
        return []

    def with_units(self, new: list[Placeable]) -> Design:
        cabinets = [o for o in new if isinstance(o, PlacedCabinet)]
        items = [o for o in new if isinstance(o, PlacedItem)]
        return self.design.model_copy(update={"cabinets": [*self.design.cabinets, *cabinets],
                                              "items": [*self.design.items, *items]})

    def copy_room(self, source_room: Room, objs: list[Placeable], room: Room) -> list[Placeable]:
        """The source room's runs on the target room's longest stretches, run by run, the units that fit and
        make no blocking finding. Two ways are tried, keeping the one that keeps more: runs laid on the free
        stretches (after a door at a wall's end, say) and runs laid on the walls' whole stretches (a unit the
        source had closer to a door than auto-fill's margin is judged by the rules themselves)."""
        runs = _runs(self.source, source_room, objs)
        best: list[Placeable] = []
        for free in (True, False):
            placed: list[Placeable] = []
            for run, stretch in zip(runs, self.stretches(room, free), strict=False):
                placed += self.place_run(run, stretch)
            kept = self.keep_valid(placed)
            if sum(o.width_mm for o in kept) > sum(o.width_mm for o in best) + 0.5:
                best = kept
        return best

    def autofill_room(self, objs: list[Placeable], room: Room, furniture: str,
                      price: PriceOf) -> list[Placeable] | None:
        """Auto-fill's alternative for ``room`` whose units are most like ``objs`` (by family), if any."""
        wanted = Counter(o.family for o in objs if isinstance(o, PlacedCabinet))
        result = autofill.fill(self.design, self.catalog, price=price, room_id=room.id, furniture=furniture)
        if not result.alternatives:
            return None

        def likeness(alt: autofill.Alternative) -> tuple[float, int]:
            got = Counter(c.family for c in alt.cabinets)
            common = sum((got & wanted).values())
            return (common / max(1, sum((got | wanted).values())), -alt.rank)
        best = max(result.alternatives, key=likeness)
        return [*best.cabinets, *best.items]


def fit_layout(source: Design, target: Design, catalog: Catalog, price: PriceOf) -> FitResult:
    """``target`` (its plan, region, currency, ceiling and what already stands in it) with ``source``'s
    furniture and finishes carried over room by room, as far as they fit (see the module's words)."""
    fitter = _Fitter(source, target, catalog)
    groups: dict[str, tuple[Room, list[Placeable]]] = {}
    free = 0
    objects: list[Placeable] = [*source.cabinets, *source.items]
    for obj in objects:
        room = _room_of(source, obj, catalog)
        if not isinstance(obj.placement, WallPlacement) or room is None:
            free += 1
            continue
        groups.setdefault(room.id, (room, []))[1].append(obj)
    # rooms of a type pair off largest with largest
    targets: dict[str, list[Room]] = {}
    for room in sorted(fitter.design.plan.rooms, key=lambda r: -r.area_m2):
        targets.setdefault(room.type, []).append(room)
    fits: list[RoomFit] = []
    for room, objs in sorted(groups.values(), key=lambda g: -g[0].area_m2):
        candidates = targets.get(room.type, [])
        if not candidates:
            fits.append(RoomFit(room.type, room.name, None, len(objs), 0))
            continue
        into = candidates.pop(0)
        placed = fitter.copy_room(room, objs, into)
        autofilled = False
        furniture = ("kitchen" if room.type == "kitchen" else
                     "wardrobe" if any(isinstance(o, PlacedCabinet) and o.family in catalog.families
                                       and catalog.families[o.family].room == "wardrobe" for o in objs) else None)
        wanted = sum(o.width_mm for o in objs)
        if furniture is not None and sum(o.width_mm for o in placed) < KEEP_SHARE * wanted:
            planned = fitter.autofill_room(objs, into, furniture, price)
            if planned and sum(o.width_mm for o in planned) > sum(o.width_mm for o in placed):
                placed, autofilled = planned, True
        fitter.design = fitter.with_units(placed)
        fits.append(RoomFit(room.type, room.name, into.id, len(objs), len(placed), autofilled))
    return FitResult(fitter.design, fits, free)
