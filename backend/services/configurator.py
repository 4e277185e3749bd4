"""The configurator as a service: catalog, findings, commands as revisions, auto-fill, scene, quote.

No web framework here: the API module (``backend.web.api.configurator``) only translates HTTP.
Commands are applied with ``configurator.commands.apply_checked`` and stored as a new revision
through ``services.designs.save_design`` (a stale base revision raises Conflict → 409).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from backend.bom import pricing
from backend.configurator import autofill as autofill_core
from backend.configurator import wording
from backend.configurator.cabinet_rules import hinge_edge, swinging_leaves
from backend.configurator.catalog import Catalog
from backend.configurator.commands import (
    Batch,
    Command,
    DeleteCabinet,
    DeleteItem,
    apply,
    apply_checked,
    fix_command,
    zone_dividers,
)
from backend.configurator.construction import CabinetBuild, cached_build_cabinet, interior_tree
from backend.configurator.placement import footprint
from backend.configurator.scene import build_scene_glb
from backend.configurator.validation import Finding, validate
from backend.configurator.wording import Gettext
from backend.design import walls as wall_words
from backend.design.model import Design, PlacedCabinet, PlacedItem, WallPlacement
from backend.design.units import TOL
from backend.errors import InvalidInput, NotFound
from backend.services import designs
from backend.services.actor import Actor
from backend.services.catalog import catalog
from backend.services.designs import DesignView

_COMMAND = TypeAdapter(Command)
MAX_ALTERNATIVES = 5


def get_catalog() -> Catalog:
    """The catalog, loaded and validated once per process (one cache: ``backend.services.catalog``)."""
    return catalog()


# ------------------------------------------------------------------------------------------------
# catalog for the editor


def catalog_summary(catalog: Catalog | None = None, gettext: Gettext | None = None) -> dict[str, Any]:
    """What the editor needs: families (sizes, options, defaults, names in the language of ``gettext``,
    the room they belong to), materials with colours, handles, and the default heights of each region's
    rule pack."""
    catalog = catalog or get_catalog()
    _ = gettext or _english
    families = []
    for fam in catalog.families.values():
        families.append({
            "code": fam.code, "name": _(fam.name), "category": fam.category, "body": fam.body,
            "room": fam.room, "room_name": _(fam.room), "elevation_mm": fam.elevation_mm,
            "appliance": fam.appliance, "has_fronts": fam.has_fronts,
            "width": fam.width.model_dump(), "height": fam.height.model_dump(), "depth": fam.depth.model_dump(),
            "options": {name: spec.model_dump(exclude_none=True) for name, spec in fam.options.items()},
        })
    materials = [{"code": m.code, "name": _(m.name), "kind": m.kind, "colour": m.colour, "texture": m.texture,
                  "thickness_mm": m.thickness_mm, "grain": m.grain, "styles": m.styles}
                 for m in catalog.materials.values()]
    handles = [{"code": h.code, "name": _(h.name), "colour": h.colour, "length_mm": h.length_mm,
                "price_cents": h.price_cents} for h in catalog.handles.values()]
    regions = {code: {"name": _(r.name), "plinth_height_mm": r.plinth_height_mm.value_mm,
                      "worktop_height_mm": r.worktop_height_mm.value_mm,
                      "wall_unit_elevation_mm": r.wall_unit_elevation_mm,
                      "aisle_min_mm": r.aisle_min_mm.value_mm}
               for code, r in catalog.rule_packs.items()}
    return {"version": catalog.version, "currency": catalog.currency, "families": families,
            "materials": materials, "handles": handles, "regions": regions}


# ------------------------------------------------------------------------------------------------
# findings


def finding_dict(finding: Finding, document: Design | None = None, gettext: Gettext | None = None) -> dict[str, Any]:
    """A finding as JSON: its ``code`` and ``params``, the ``message`` in the language of ``gettext``
    (English without), and its fix with the ``command`` that carries it out (given the document)."""
    _ = gettext or _english
    fix = None
    if finding.fix is not None:
        command = fix_command(document, finding.fix) if document is not None else None
        fix = {"description": wording.render(finding.fix.code, finding.fix.params, _) if finding.fix.code
               else finding.fix.description, "object_id": finding.fix.object_id,
               "changes": dict(finding.fix.changes), "code": finding.fix.code,
               "command": command.model_dump(mode="json") if command is not None else None}
    message = wording.render(finding.params.get("kind", finding.rule), finding.params, _) if finding.params \
        else finding.message
    return {"severity": finding.severity, "rule": finding.rule, "code": finding.rule, "params": finding.params,
            "source": finding.source, "object_ids": list(finding.object_ids), "message": message, "fix": fix,
            "walls": finding_walls(finding, document, _) if document is not None else []}


def finding_walls(finding: Finding, document: Design, gettext: Gettext) -> list[dict[str, str]]:
    """The walls a finding is about (a wall it names, the wall of a door or window it names), each with
    its name in words (room, side, length), for the list to show and the plan to highlight."""
    wall_of = {w.id: w.id for w in document.plan.walls}
    wall_of.update({o.id: w.id for w in document.plan.walls for o in w.openings})
    ids = list(dict.fromkeys(wall_of[i] for i in finding.object_ids if i in wall_of))
    if not ids:
        return []
    words = wall_words.named_walls(document.plan, _working_room(document), gettext)
    return [{"wall_id": i, "name": words[i]} for i in ids]


def _working_room(document: Design) -> str | None:
    """The room a design is worked in, for naming its walls: the kitchen, else the first room."""
    kitchen = next((r for r in document.plan.rooms if r.type == "kitchen"), None)
    return kitchen.id if kitchen is not None else None


def wall_labels(document: Design, gettext: Gettext | None = None) -> dict[str, dict[str, str]]:
    """Every wall's name in words for every room it may be worked from: ``{"": names from the
    kitchen (else the room facing each wall most), room_id: names from that room, …}``."""
    _ = gettext or _english
    out = {"": wall_words.named_walls(document.plan, _working_room(document), _)}
    for room in document.plan.rooms:
        out[room.id] = wall_words.named_walls(document.plan, room.id, _)
    return out


def room_wall_stretches(document: Design) -> dict[str, list[dict[str, Any]]]:
    """For each room, the stretches of wall facing it (wall id, side, from/to mm along the wall between
    the faces of the walls joining it): where the editor adds a catalog unit for that room."""
    out: dict[str, list[dict[str, Any]]] = {}
    for room in document.plan.rooms:
        rows: list[dict[str, Any]] = []
        walls = autofill_core.room_walls(document, room, min_mm=300)
        for run in autofill_core.plan_runs(document, walls, room=room):
            rows.append({"wall_id": run.wall_id, "side": run.side, "start_mm": run.start_mm, "end_mm": run.end_mm})
        out[room.id] = rows
    return out


def _english(message: str) -> str:
    return message


def findings_for(document: Design | Any, catalog: Catalog | None = None,
                 gettext: Gettext | None = None) -> list[dict[str, Any]]:
    """Findings of a stored or unsaved document (an unsaved one is validated first, naming the field),
    in the language of ``gettext``."""
    doc = designs.parse_document(document)
    return [finding_dict(f, doc, gettext) for f in validate(doc, catalog or get_catalog())]


def design_findings(db: Session, actor: Actor, design_id: str,
                    gettext: Gettext | None = None) -> tuple[DesignView, list[dict[str, Any]]]:
    view = designs.get_design(db, actor, design_id)
    return view, findings_for(view.document, gettext=gettext)


def cabinet_elevation(db: Session, actor: Actor, design_id: str, cabinet_id: str) -> dict[str, Any]:
    """The front elevation of one cabinet of the design's current revision, for the editor's zone view:
    its size, every leaf zone (path, outer rectangle on the front grid, insert, what closes it), the
    dividers between zones one can drag (``commands.zone_dividers``) and its fronts as rectangles (x0, x1,
    z0, z1 in mm from the cabinet's bottom-left, seen from the front); a hinged leaf's ``swing`` gives the
    x of its hinged edge (None: either) and its front face's depth, for the plan to draw its arc.
    ``editable`` is false for families without a zone tree (panels, fillers, the L corner) or a unit the
    catalog cannot build (``error`` says why)."""
    view = designs.get_design(db, actor, design_id)
    cab = next((c for c in view.document.cabinets if c.id == cabinet_id), None)
    if cab is None:
        raise NotFound(f"no cabinet '{cabinet_id}' in the design", field="cabinet_id")
    out: dict[str, Any] = {"cabinet_id": cab.id, "revision": view.row.current_revision, "width_mm": cab.width_mm,
                           "height_mm": cab.height_mm, "editable": False, "zones": [], "dividers": [], "fronts": [],
                           "error": None}
    try:
        build = cached_build_cabinet(cab, get_catalog(), view.document.settings)
    except InvalidInput as err:
        out["error"] = str(err)
        return out
    out["editable"] = bool(build.zones)
    out["zones"] = [{"path": list(z.path), "outer": list(z.outer), "insert": z.insert, "count": z.count,
                     "front": z.front, "hang": z.hang, "internal": z.internal, "editable": -1 not in z.path}
                    for z in build.zones]
    if build.zones:
        tree = cab.interior if cab.interior is not None else interior_tree(cab, get_catalog(),
                                                                           view.document.settings)
        out["dividers"] = [{"path": list(d.path), "index": d.index, "axis": d.axis, "at_mm": d.at_mm,
                            "start_mm": d.start_mm, "lo_mm": d.lo_mm, "hi_mm": d.hi_mm, "span": list(d.span)}
                           for d in zone_dividers(tree, build.zones)]
    out["fronts"] = _fronts(build)
    return out


def _fronts(build: CabinetBuild) -> list[dict[str, Any]]:
    """A cabinet's fronts as rectangles seen from the front (x0, x1, z0, z1 in mm); a hinged leaf's
    ``swing`` gives the x of its hinged edge (None: either) and its front face's depth."""
    swinging = {p.id: p for p in swinging_leaves(build)}
    return [{"id": p.id, "role": p.role, "rect": [p.box.origin[0], p.box.max[0], p.box.origin[2], p.box.max[2]],
             "swing": {"hinge_x": hinge_edge(p), "front_mm": p.box.max[1]} if p.id in swinging else None}
            for p in build.panels if p.role in ("door", "drawer_front", "blind_panel") and p.thickness_axis == "y"]


def design_swings(db: Session, actor: Actor, design_id: str, revision: int | None = None) -> dict[str, Any]:
    """The hinged leaves of every unit of a revision (the current one by default), for the plan to draw
    the quarter circle each sweeps: per cabinet id, its leaves as :func:`cabinet_elevation` gives its
    fronts (only those with a ``swing``; units without hinged doors, or that cannot be built, are left
    out).  The builds come from the content-keyed build cache, so this costs little after an edit."""
    number, document = revision_document(db, actor, design_id, revision)
    catalog = get_catalog()
    units: dict[str, list[dict[str, Any]]] = {}
    for cab in document.cabinets:
        try:
            build = cached_build_cabinet(cab, catalog, document.settings)
        except InvalidInput:
            continue
        leaves = [f for f in _fronts(build) if f["swing"] is not None]
        if leaves:
            units[cab.id] = leaves
    return {"revision": number, "cabinets": units}


# ------------------------------------------------------------------------------------------------
# commands


@dataclass(frozen=True)
class CommandResult:
    view: DesignView
    inverse: dict[str, Any]
    findings: list[dict[str, Any]]
    message: str


def parse_command(data: Any) -> Command:
    try:
        command: Command = _COMMAND.validate_python(data)
    except ValidationError as exc:
        raise designs.invalid_from_validation(exc, prefix="command") from exc
    return command


def describe(command: Command, document: Design | None = None,
             catalog: Catalog | None = None) -> designs.Message:
    """A short revision message for a command, naming the unit by what it is and its width (people read
    the history; ids are for code): "Resize cabinet: Base unit, 2 doors, 600 mm", as a key and
    parameters so each reader reads it in their language."""
    kind = command.kind
    target = getattr(command, "cabinet_id", None) or getattr(command, "item_id", None)
    cabinet = getattr(command, "cabinet", None)
    if target is None and cabinet is not None:
        target = cabinet.id
    if target is None and hasattr(command, "commands"):
        return designs.Message("changes", {"n": len(command.commands)})
    if target is None:
        return designs.Message("change_only", {"change": kind})
    found = cabinet or next((c for c in (document.cabinets if document else []) if c.id == target), None)
    families = (catalog or get_catalog()).families
    if found is not None and found.family in families:
        return designs.Message("change", {"change": kind, "unit": families[found.family].name,
                                          "width": round(found.width_mm)})
    item = next((i for i in (document.items if document else []) if i.id == target), None)
    if item is not None:
        return designs.Message("change_item", {"change": kind, "item": item.kind})
    return designs.Message("change_only", {"change": kind})


def apply_command(db: Session, actor: Actor, design_id: str, base_revision: int, command_data: Any,
                  message: str | None = None, gettext: Gettext | None = None, step: str = "edit") -> CommandResult:
    """Apply one command to the stored design and save the result as revision ``base_revision + 1``.

    Raises NotFound (no such design for this actor), Conflict (stale base) or InvalidInput (a
    cabinet the catalog cannot build, naming the field such as ``width_mm``). Nothing is written
    on error.
    """
    view = designs.get_design(db, actor, design_id)
    if not view.can_edit:
        raise NotFound(f"no design '{design_id}' that you can edit", field="design_id")
    if base_revision != view.row.current_revision:
        # the same Conflict save_design raises, before spending time on the command
        designs.save_design(db, actor, design_id, base_revision, view.document)
    command = parse_command(command_data)
    new_doc, inverse, found = apply_checked(view.document, command, get_catalog())
    said: str | designs.Message = message[:500] if message else describe(command, view.document)
    inverse_json = inverse.model_dump(mode="json")
    previous = designs.get_revision(db, design_id, base_revision).history
    history = designs.next_history(previous, step, command.model_dump(mode="json"), inverse_json)
    saved = designs.save_design(db, actor, design_id, base_revision, new_doc, message=said, history=history)
    found_json = [finding_dict(f, new_doc, gettext) for f in found]
    text = said if isinstance(said, str) else wording.render_revision(said.key, said.params, gettext or str)
    return CommandResult(saved, inverse_json, found_json, text)


# ------------------------------------------------------------------------------------------------
# auto-fill


def _jsonable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def autofill(db: Session, actor: Actor, design_id: str, wall_ids: list[str], layout: str | None = None,
             side: str | None = None, replace: bool = False, room_id: str | None = None,
             gettext: Gettext | None = None, furniture: str | None = None) -> dict[str, Any]:
    """Up to five ranked alternatives for a room's walls (one wall: a run; two joined walls: an L;
    three: a U), each covering only the stretch of its wall that faces the room; the room is
    ``room_id`` or the one the walls face (without walls, its longest wall is filled).

    Each alternative carries its differences, a price, a ready ``command`` (one undoable batch)
    that the editor sends to the commands endpoint when the person picks it, and what validation
    would find once it is applied (no blocking finding: alternatives that would add one are not
    offered; ``reasons`` says why when none is left). With ``replace`` the cabinets and items already
    standing against those walls (in that room) are removed first, in the same batch. ``furniture``:
    kitchen units or a wardrobe wall (by default wardrobes in a bedroom or closet).
    """
    del layout  # the walls given in order make the layout
    view = designs.get_design(db, actor, design_id)
    doc = view.document
    _ = gettext or _english
    known = {w.id for w in doc.plan.walls}
    if not wall_ids and room_id is None:
        raise InvalidInput("choose a room or at least one wall to fill", field="wall_ids")
    for i, wall_id in enumerate(wall_ids):
        if wall_id not in known:
            raise InvalidInput(f"wall '{wall_id}' is not in the plan", field=f"wall_ids.{i}")
    if room_id is not None and room_id not in {r.id for r in doc.plan.rooms}:
        raise InvalidInput(f"room '{room_id}' is not in the plan", field="room_id")
    catalog = get_catalog()
    named = next((r for r in doc.plan.rooms if r.id == room_id), None)
    if not wall_ids and named is not None:  # the wall fill() will choose, so that replace clears that one
        wardrobes = furniture == "wardrobe" or (furniture is None and named.type in autofill_core.WARDROBE_ROOMS)
        wall_ids = autofill_core.best_wardrobe_wall(doc, catalog, named) if wardrobes else \
            autofill_core.room_walls(doc, named)[:1]
    chosen = set(wall_ids)
    room = named if room_id else autofill_core.room_of(doc, sorted(chosen))
    removals: list[Command] = []
    if replace:
        shape = room.shape().buffer(TOL.room_gap_mm) if room is not None else None

        def in_room(obj: PlacedCabinet | PlacedItem) -> bool:
            return shape is None or shape.contains(footprint(obj, doc.plan, catalog).centroid)
        removals += [DeleteCabinet(cabinet_id=c.id) for c in doc.cabinets
                     if isinstance(c.placement, WallPlacement) and c.placement.wall_id in chosen and in_room(c)]
        removals += [DeleteItem(item_id=i.id) for i in doc.items
                     if isinstance(i.placement, WallPlacement) and i.placement.wall_id in chosen and in_room(i)]
    start = apply(doc, Batch(commands=removals))[0] if removals else doc
    def price(cabinets: Sequence[PlacedCabinet]) -> int:
        return pricing.price_cabinets(cabinets, catalog, start.settings)

    result = autofill_core.fill(start, catalog, list(wall_ids), side, price=price,
                         room_id=room.id if room is not None else None, limit=MAX_ALTERNATIVES, furniture=furniture)
    alternatives = []
    for rank, alt in enumerate(list(result.alternatives)[:MAX_ALTERNATIVES], start=1):
        data = _jsonable(alt)
        data.setdefault("rank", rank)
        data["notes"] = [wording.render_reason(n["code"], n["params"], _) for n in alt.note_codes]
        command = alt.command
        if removals:
            command = Batch(commands=[*removals, command])
            data["command"] = command.model_dump(mode="json")
        data["replaces"] = [getattr(c, "cabinet_id", None) or getattr(c, "item_id", "") for c in removals]
        data["findings_after"] = _findings_after(doc, command, catalog, _)
        alternatives.append(data)
    reasons = [{"code": r["code"], "params": r["params"], "text": wording.render_reason(r["code"], r["params"], _)}
               for r in result.reasons]
    return {"design_id": design_id, "revision": view.row.current_revision, "wall_ids": result.wall_ids,
            "room_id": result.room_id, "replace": replace, "alternatives": alternatives, "reasons": reasons}


def _findings_after(doc: Design, command: Any, catalog: Catalog, gettext: Gettext) -> dict[str, Any] | None:
    """What validation would say once the alternative is applied (so the dialog can warn first)."""
    if command is None:
        return None
    try:
        new, _, found = apply_checked(doc, command, catalog)
    except (InvalidInput, NotFound) as err:
        return {"errors": 1, "warnings": 0, "messages": [err.detail]}
    errors = [finding_dict(f, new, gettext)["message"] for f in found if f.severity == "error"]
    return {"errors": len(errors), "warnings": len(found) - len(errors), "messages": errors[:3]}


# ------------------------------------------------------------------------------------------------
# scene


_SCENE_LOCK = threading.Lock()
_SCENES: OrderedDict[str, bytes] = OrderedDict()
_SCENE_CACHE_SIZE = 32


def document_hash(document: Design, catalog: Catalog | None = None) -> str:
    catalog = catalog or get_catalog()
    text = json.dumps(document.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{catalog.version}\n{text}".encode()).hexdigest()[:32]


def revision_document(db: Session, actor: Actor, design_id: str, revision: int | None) -> tuple[int, Design]:
    row = designs.get_design_row(db, actor, design_id)
    number = row.current_revision if revision is None else revision
    rev = designs.get_revision(db, row.id, number)
    return number, Design.model_validate(rev.document)


def scene_etag(document: Design) -> str:
    return f'"scene-{document_hash(document)}"'


def scene_glb(document: Design) -> bytes:
    """GLB bytes of a document, cached by content hash (and per cabinet inside the scene builder)."""
    catalog = get_catalog()
    key = document_hash(document, catalog)
    with _SCENE_LOCK:
        cached = _SCENES.get(key)
        if cached is not None:
            _SCENES.move_to_end(key)
            return cached
        data = build_scene_glb(document, catalog)
        _SCENES[key] = data
        if len(_SCENES) > _SCENE_CACHE_SIZE:
            _SCENES.popitem(last=False)
        return data


# ------------------------------------------------------------------------------------------------
# quote


def quote(document: Design, catalog: Catalog | None = None) -> dict[str, Any]:
    """The live quote: ``backend.bom.pricing.quote``, the same rule and the same number as the order's
    quote. ``cabinets`` gives each cabinet's share (they and ``shared`` add up to ``total_cents``)."""
    out: dict[str, Any] = pricing.quote(document, catalog or get_catalog()).to_dict()
    out["kind"] = "quote"
    return out


_QUOTE_LOCK = threading.Lock()
_QUOTES: OrderedDict[tuple[str, int, str], dict[str, Any]] = OrderedDict()
_QUOTE_CACHE_SIZE = 512


def design_quote(db: Session, actor: Actor, design_id: str) -> dict[str, Any]:
    """The quote of the design's current revision. A revision never changes and the catalog is loaded
    once per process, so each revision is priced once (the editor asks after every save) and kept, the
    most recent 512 of them; the design is still looked up and authorized on every call."""
    row = designs.get_design_row(db, actor, design_id)
    catalog = get_catalog()
    key = (row.id, row.current_revision, catalog.version)
    with _QUOTE_LOCK:
        cached = _QUOTES.get(key)
        if cached is not None:
            _QUOTES.move_to_end(key)
    if cached is None:
        cached = quote(designs.revision_document(db, row.id, row.current_revision), catalog)
        with _QUOTE_LOCK:
            _QUOTES[key] = cached
            while len(_QUOTES) > _QUOTE_CACHE_SIZE:
                _QUOTES.popitem(last=False)
    return {**cached, "revision": row.current_revision}
