"""Words for the machining findings (and the board-size findings that name the factory profile), from
their code and parameters (pure).

Templates are marked with ``N_`` for ``make messages`` (the Chinese text lives in the i18n catalog,
``backend/i18n/locales/zh_Hans``); :func:`render` fills them in with any ``gettext``, English by
default.  ``{part}`` is the part's name, never an internal id.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend.configurator.wording import N_, Gettext

TEMPLATES: dict[str, str] = {
    "op_outside_part": N_("{part}: machining {op} ({purpose}, face {face}) is not inside the part or is closer "
                          "to an edge than the tool allows"),
    "op_too_deep": N_("{part}: machining {op} ({purpose}, face {face}) is {depth} mm deep, more than the part "
                      "leaves under it"),
    "ops_collide": N_("{part}: machining {op} ({purpose}) runs into machining {other} ({other_purpose})"),
    "connector_partner_missing": N_("{part}: connector hole {op} ({purpose}) has no partner hole at the same "
                                    "place on the mating part"),
    "hinge_cup_blocked": N_("{part}: the hinge at cup {op} runs into {other} behind the door"),
    "hinge_door_too_thin": N_("{part} is {thickness} mm thick; the hinge {hardware} needs a door of at least "
                              "{need} mm"),
    "connector_panel_too_thin": N_("{part} is {thickness} mm thick; the connector {hardware} needs at least "
                                   "{need} mm"),
    "hinge_plate_no_support": N_("{part}: no side or top behind the door to carry a hinge mounting plate"),
    "hardware_count_differs": N_("{part}: the machining drills for {drilled} × {hardware} but the cabinet's "
                                 "hardware list holds {listed}"),
    "shelf_pin_support": N_("{part}: an adjustable shelf needs a side at each end for its pins (found "
                            "{supports})"),
    "slide_length_without_table": N_("{part}: the slide {hardware} has no drilling table for {length} mm"),
    "connector_without_table": N_("{part}: the connector {hardware} has no drilling table"),
    "hinge_without_table": N_("{part}: the hinge {hardware} has no drilling table"),
    "slide_without_table": N_("{part}: the slide {hardware} has no drilling table"),
    "leg_without_table": N_("{part}: the leg {hardware} has no drilling table"),
    "hanger_without_table": N_("{part}: the wall hanger {hardware} has no drilling table"),
    "shelf_pin_without_table": N_("{part}: the shelf pin {hardware} has no drilling table"),
    "part_exceeds_board": N_("{part} ({size} mm) is larger than every {material} sheet of the production line "
                             "{profile} ({stock} mm after trim)"),
    "grain_exceeds_board": N_("{part} ({size} mm) must run with the grain, but {length} mm does not fit along "
                              "any {material} sheet of the production line {profile} ({stock} mm after trim)"),
}


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render(code: str, params: Mapping[str, object], gettext: Gettext | None = None) -> str:
    """The sentence for a machining finding (``code`` must be one of :data:`TEMPLATES`)."""
    template = (gettext or (lambda s: s))(TEMPLATES[code])
    return template.format(**{k: _fmt(v) for k, v in params.items()})
