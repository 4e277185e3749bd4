"""Words for findings and auto-fill reasons: what a person reads, from codes and parameters (pure).

A finding carries a stable ``code`` and ``params`` (numbers, and units described as *names*: a plain
dict such as ``{"width": 600, "noun": "base", "where": "left_of", "ref": "sink"}``).  :func:`render`
turns them into a sentence with any ``gettext`` function: the English text by default, the page's
language when the web layer passes its translations (the templates below are extracted by
``make messages``; see ``babel.cfg``).  Internal ids, status codes and catalog codes never appear in
the words: a unit is "the 600 mm base unit left of the sink".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a template for extraction; the lookup happens in :func:`render`."""
    return message


def _same(message: str) -> str:
    return message


NOUNS: dict[str, str] = {
    "base": N_("base unit"), "drawers": N_("drawer unit"), "sink": N_("sink unit"), "hob": N_("hob unit"),
    "wall": N_("wall unit"), "hood": N_("hood unit"), "tall": N_("tall unit"), "oven": N_("oven housing"),
    "fridge": N_("fridge housing"), "corner": N_("corner unit"), "corner_wall": N_("corner wall unit"),
    "end_panel": N_("end panel"), "filler": N_("filler strip"), "plinth": N_("plinth"), "worktop": N_("worktop"),
    "cornice": N_("cornice"), "light_rail": N_("light rail"), "panel": N_("panel"),
    "item_fridge": N_("fridge"), "item_freezer": N_("freezer"), "item_dishwasher": N_("dishwasher"),
    "item_range": N_("range cooker"), "item_cooker": N_("cooker"), "item_hob": N_("hob"), "item_oven": N_("oven"),
    "item_washing_machine": N_("washing machine"), "item_sink": N_("sink"), "item": N_("appliance"),
    "door": N_("door"), "window": N_("window"), "wall_body": N_("wall"),
    "wardrobe": N_("wardrobe"), "tv_unit": N_("TV unit"), "bookcase": N_("bookcase"),
    "shoe_cabinet": N_("shoe cabinet"), "desk": N_("desk"), "vanity": N_("vanity unit"),
    "tatami": N_("tatami platform"),
}
"""Nouns by kind (derived from the catalog family: its category, appliance and body)."""

WHERE: dict[str, str] = {
    "": N_("the {width} mm {noun}"),
    "left_of": N_("the {width} mm {noun} left of the {ref}"),
    "right_of": N_("the {width} mm {noun} right of the {ref}"),
    "nth_left_of": N_("the {width} mm {noun}, {n} units left of the {ref}"),
    "nth_right_of": N_("the {width} mm {noun}, {n} units right of the {ref}"),
    "above": N_("the {width} mm {noun} above the {ref}"),
    "under_window": N_("the {width} mm {noun} under the window"),
    "left_end": N_("the {width} mm {noun} at the left end of its run"),
    "right_end": N_("the {width} mm {noun} at the right end of its run"),
    "nth_from_left": N_("the {width} mm {noun}, {n} from the left of its run"),
    "free": N_("the free-standing {width} mm {noun}"),
}
"""How a unit is named: its width, what it is, and where it stands among its neighbours."""

ON_WALL = N_("{name} on the {length} m wall")

DIRECTIONS: dict[str, str] = {"left": N_("left"), "right": N_("right"), "wide": N_("wide"), "high": N_("high"),
                              "deep": N_("deep"),
                              "forward": N_("forward"), "back": N_("back")}
"""Words that parameters name: directions and dimensions."""

FINDINGS: dict[str, str] = {
    "cabinet_spec": N_("{unit} cannot be made as it is: {detail}."),
    "cabinet_size": N_("{unit} cannot be made {value} mm {dimension}: {min}–{max} mm is possible."),
    "cabinet_spec_fix": N_("Change it to {value} mm."),
    "overlap": N_("{unit} and {other} run {depth} mm into each other."),
    "overlap_fix": N_("Move {unit} {distance} mm {direction}."),
    "crosses_wall": N_("{unit} reaches {depth} mm into a wall."),
    "crosses_wall_fix": N_("Move it {distance} mm {direction}."),
    "outside_room": N_("{unit} stands {depth} mm outside the rooms."),
    "outside_room_fix": N_("Move it {distance} mm {direction}."),
    "outside_room_nofix": N_("Move it into the room or remove it."),
    "door_swing": N_("{unit} is in the way of a door ({depth} mm into its swing)."),
    "door_passage": N_("{unit} is in the way of a doorway ({depth} mm into the passage)."),
    "door_swing_fix": N_("Move it {distance} mm {direction}."),
    "unit_in_front_of_window": N_("{unit} covers a window."),
    "unit_in_front_of_window_fix": N_("Move it {distance} mm {direction}."),
    "window_blocked": N_("{unit} rises {height} mm above a window sill."),
    "corner_filler": N_("The fronts of {unit} and {other} collide in the corner: {gap} mm apart, {need} mm needed."),
    "corner_filler_fix": N_("Add a filler of at least {distance} mm (move {unit} {distance} mm out of the corner)."),
    "aisle_width": N_("The aisle between {unit} and {other} is {gap} mm; at least {need} mm is needed."),
    "hob_under_window": N_("{unit} is under a window."),
    "hob_under_window_fix": N_("Move it {distance} mm {direction}."),
    "dishwasher_sink": N_("{unit} is {gap} mm from the sink; at most {limit} mm is advised."),
    "work_triangle": N_("The work triangle (sink, hob, fridge) is {length} m; {low}–{high} m is advised."),
    "shelf_sag": N_("A {span} mm shelf of {thickness} mm board in {unit} sags {sag} mm under {load} kg/m²; "
                    "at most {limit} mm is advised."),
    "shelf_sag_fix": N_("Add a partition so no shelf spans more than {span} mm, or use a board at least "
                        "{thickness} mm thick."),
    "door_leaf_size": N_("A door leaf of {unit} is {width} × {height} mm; hinged leaves up to {max_width} mm wide "
                         "and {max_height} mm high are advised."),
    "door_leaf_size_fix": N_("Split the zone so each door has its own narrower leaves."),
    "hinge_count": N_("A {weight} kg door of {unit} hangs on {hinges} hinges; {need} are needed."),
    "hinge_count_fix": N_("Use {need} hinges or a lighter front."),
    "sliding_leaf_width": N_("The sliding leaves of {unit} are {width} mm wide; at most {max} mm is advised."),
    "sliding_leaf_width_fix": N_("Use three sliding leaves or a narrower unit."),
    "sliding_overlap": N_("The sliding leaves of {unit} overlap {overlap} mm; at least {need} mm is needed."),
    "sliding_overlap_fix": N_("Set a larger overlap."),
    "hanging_height_long": N_("The hanging rail of {unit} leaves {clear} mm below it; a long hang needs {need} mm."),
    "hanging_height_short": N_("The hanging rail of {unit} leaves {clear} mm below it; a short hang needs {need} "
                               "mm."),
    "hanging_height_fix": N_("Make the zone {distance} mm higher or choose a short hang."),
    "rail_depth": N_("{unit} is {depth} mm deep inside; a hanging rail needs {need} mm."),
    "rail_depth_fix": N_("Make the unit {distance} mm deeper or use a pull-out rail."),
    "drawer_behind_door": N_("The internal drawers of {unit} are behind a door that does not open wide enough."),
    "drawer_behind_door_fix": N_("Use 170° hinges on that door or spacers beside the drawers."),
    "wall_fixing": N_("{unit} is {height} mm high and stands free: units over {limit} mm must be fixed to a wall."),
    "wall_fixing_fix": N_("Place it against a wall (it gets anti-tip brackets)."),
    "tilt_up": N_("{unit} cannot be stood up under the {ceiling} mm ceiling: its diagonal is {diagonal} mm."),
    "tilt_up_fix": N_("Split off a top box of at least {top_box} mm, or make the unit at most {height} mm high."),
    "walkway": N_("Only {gap} mm is clear in front of {unit}; {need} mm is needed to open it and pass."),
    "walkway_fix": N_("Move what stands in front of it, or choose sliding doors."),
    "door_hits_bed": N_("A door of {unit} hits the bed when it opens."),
    "door_hits_window": N_("A door of {unit} hits a window when it opens."),
    "door_hits_radiator": N_("A door of {unit} hits a radiator when it opens."),
    "door_hits_fix": N_("Move the unit or what is in front of it, or choose sliding doors."),
    "door_hits_hinge_fix": N_("Hinge the door on its other side: it then opens clear. Or move the unit, or "
                              "choose sliding doors."),
}
"""Finding sentences by code (``<code>_fix`` says what the Fix button does)."""

REASONS: dict[str, str] = {
    "no_room_wall": N_("None of the chosen walls faces {room}."),
    "stretch_too_short": N_("The free stretch of this wall in {room} is {length} mm: too short for a unit."),
    "stretch_blocked": N_("Doors, openings and what already stands there leave no free stretch on this wall "
                          "in {room}."),
    "no_valid_layout": N_("No layout fits here without a problem: {problem}"),
    "sink_placed": N_("Sink under the window, dishwasher beside it."),
    "sink_on_wall": N_("Sink on this wall, dishwasher beside it."),
    "no_sink": N_("No room for the sink and dishwasher (1400 mm) on these walls."),
    "hob_placed": N_("Hob away from the windows."),
    "no_hob": N_("No room for the hob away from the windows."),
    "fridge_placed": N_("Fridge at the end of the run."),
    "left_open": N_("{length} mm left open (too short for a filler)."),
    "wardrobe_wall": N_("Wardrobe wall: {units} units and {fillers} fillers between the walls, doors and windows."),
    "room_named": N_("{name}"),
    "room_unnamed": N_("room {n} ({area} m²)"),
}
"""Auto-fill's reasons and notes by code."""


REVISIONS: dict[str, str] = {
    "created": N_("Created"),
    "settings": N_("Region {region}, prices in {currency}"),
    "renamed": N_("Renamed to {name}"),
    "restored": N_("Restored revision {number}"),
    "plan_updated": N_("Floor plan updated"),
    "measured": N_("Measured on site"),
    "change": N_("{change}: {unit}, {width} mm"),
    "change_item": N_("{change}: {item}"),
    "change_only": "{change}",
    "changes": N_("{n} changes"),
}
"""The messages the system gives a design revision, by key: stored as key and parameters, worded in
the reader's language when the history is read (a person's own message is stored as it is)."""

CHANGES: dict[str, str] = {
    "add_cabinet": N_("Add cabinet"), "delete_cabinet": N_("Delete cabinet"), "move_cabinet": N_("Move cabinet"),
    "resize_cabinet": N_("Resize cabinet"), "change_cabinet": N_("Change cabinet"),
    "duplicate_cabinet": N_("Duplicate cabinet"), "add_item": N_("Add item"), "delete_item": N_("Delete item"),
    "move_item": N_("Move item"), "split_zone": N_("Split zone"), "set_insert": N_("Set insert"),
    "set_front": N_("Set front"), "set_interior": N_("Set interior"), "move_divider": N_("Move divider"),
    "batch": N_("Several changes"),
}
"""What an editor command does, by its kind (a revision's ``change``)."""


def render_revision(key: str, params: Mapping[str, Any] | None, _: Gettext = _same) -> str:
    """A revision's system message in the language of ``_``: ``unit`` is a catalog family's name (the
    catalog's texts are translated), ``item`` an appliance or furniture kind, ``change`` a command kind,
    ``name`` a person's words (kept as they are)."""
    p = dict(params or {})
    template = REVISIONS.get(key)
    if template is None:
        return key.replace("_", " ")
    values: dict[str, str] = {k: number(v) for k, v in p.items()}
    if "change" in p:
        code = str(p["change"])
        values["change"] = _(CHANGES[code]) if code in CHANGES else _capital(code.replace("_", " "))
    if "unit" in p:
        values["unit"] = _(str(p["unit"]))
    if "item" in p:
        kind = str(p["item"])
        noun = NOUNS.get(f"item_{kind}")
        values["item"] = _(noun) if noun else _(kind.replace("_", " "))
    if key == "change_only":
        return values.get("change", "")
    return _fmt(_(template), values)


PANEL_NAMES: dict[str, str] = {"Left side": N_("Left side"), "Right side": N_("Right side"),
    "Front side": N_("Front side"), "Corner side (short leg)": N_("Corner side (short leg)"),
    "Corner side (long leg)": N_("Corner side (long leg)"), "Top": N_("Top"), "Bottom": N_("Bottom"),
    "Bottom (short leg)": N_("Bottom (short leg)"), "Bottom (long leg)": N_("Bottom (long leg)"),
    "Back (short leg)": N_("Back (short leg)"), "Back (long leg)": N_("Back (long leg)"),
    "Front rail": N_("Front rail"), "Front rail (short leg)": N_("Front rail (short leg)"),
    "Front rail (long leg)": N_("Front rail (long leg)"), "Back rail": N_("Back rail"),
    "Back rail (short leg)": N_("Back rail (short leg)"), "Back rail (long leg)": N_("Back rail (long leg)"),
    "Plinth": N_("Plinth"), "Partition": N_("Partition"), "Fixed shelf": N_("Fixed shelf"),
    "Adjustable shelf": N_("Adjustable shelf"), "Shoe shelf": N_("Shoe shelf"),
    "Shelf (short leg)": N_("Shelf (short leg)"), "Shelf (long leg)": N_("Shelf (long leg)"),
    "Filler support": N_("Filler support"), "Filler": N_("Filler"), "Blind panel": N_("Blind panel"),
    "Door": N_("Door"), "Glass door": N_("Glass door"), "Lift-up door": N_("Lift-up door"),
    "Sliding door": N_("Sliding door"), "Lift-up lid": N_("Lift-up lid"), "Door (short leg)": N_("Door (short leg)"),
    "Door (long leg)": N_("Door (long leg)"), "Drawer front {n}": N_("Drawer front {n}"),
    "Drawer {n} left side": N_("Drawer {n} left side"), "Drawer {n} right side": N_("Drawer {n} right side"),
    "Drawer {n} back": N_("Drawer {n} back"), "Drawer {n} inner front": N_("Drawer {n} inner front"),
    "Drawer {n} bottom": N_("Drawer {n} bottom"), "Back": N_("Back panel")}
"""The configurator's panel names (``Panel.name``, a number in them written ``{n}``) → the text to
translate (``Back`` is also the pages' "go back"); a panel of a one-piece unit (a worktop, an end
panel) is named as its catalog family, which the catalog's translations cover."""

PART_OF = N_("{part} — {unit}")
"""A part's plain name: the panel and the unit it belongs to."""

_DIGITS = re.compile(r"\d+")


def panel_name(panel: str, _: Gettext = _same) -> str:
    """A configurator panel name (``Drawer 2 left side``) in the language of ``_``."""
    numbers = _DIGITS.findall(panel)
    template = _DIGITS.sub("{n}", panel) if len(numbers) == 1 else panel
    msgid = PANEL_NAMES.get(template)
    if msgid is None:
        return _(panel)
    words = _(msgid)
    return panel if words == msgid else _fmt(words, {"n": numbers[0] if numbers else ""})


def part_name(panel: str, unit: Mapping[str, Any] | None, _: Gettext = _same) -> str:
    """What a part is and which unit it belongs to: "Drawer 1 left side — the 600 mm drawer unit at
    the left end of its run" (the unit as :func:`name` words it)."""
    if not unit:
        return panel_name(panel, _)
    return _fmt(_(PART_OF), {"part": panel_name(panel, _), "unit": name(unit, _)})


def _fmt(template: str, params: Mapping[str, Any]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def name(params: Mapping[str, Any] | None, _: Gettext = _same) -> str:
    """A unit's name (``{"width", "noun", "where", "ref", "n", "wall_m"}``) in words."""
    if not params:
        return _("the unit")
    noun = _(NOUNS.get(str(params.get("noun", "")), NOUNS["base"]))
    ref = params.get("ref")
    values = {"width": number(params.get("width", "")), "noun": noun, "n": params.get("n", ""),
              "ref": _(NOUNS.get(str(ref), str(ref))) if ref else ""}
    text = _fmt(_(WHERE.get(str(params.get("where", "")), WHERE[""])), values)
    if params.get("wall_m"):
        text = _fmt(_(ON_WALL), {"name": text, "length": params["wall_m"]})
    return text


def room_name(params: Mapping[str, Any] | None, _: Gettext = _same) -> str:
    if not params:
        return ""
    if params.get("name"):
        return str(params["name"])
    return _fmt(_(REASONS["room_unnamed"]), {"n": params.get("n", ""), "area": params.get("area", "")})


def _values(params: Mapping[str, Any], _: Gettext) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, dict) and key == "room":
            out[key] = room_name(value, _)
        elif isinstance(value, dict):
            out[key] = name(value, _)
        elif key in ("direction", "dimension"):
            out[key] = _(DIRECTIONS.get(str(value), str(value)))
        else:
            out[key] = number(value)
    return out


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def render(code: str, params: Mapping[str, Any], _: Gettext = _same, table: Mapping[str, str] = FINDINGS) -> str:
    """The sentence for ``code`` with ``params`` (English unless ``_`` translates)."""
    template = table.get(code)
    if template is None:
        return code.replace("_", " ")
    return _capital(_fmt(_(template), _values(params, _)))


def render_reason(code: str, params: Mapping[str, Any], _: Gettext = _same) -> str:
    return render(code, params, _, REASONS)
