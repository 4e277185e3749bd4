"""How a cabinet's fronts open, for the 3D view: hinged doors turn, drawers slide out.

Read from the panels as built (roles, boxes, hinge-cup drillings), never from the recipe, so it
follows whatever the construction makes.  Every moving part is given as a *motion* in the
cabinet's mesh frame (mm, Z-up, ``x`` along the width, the room towards −y; see ``scene``):

- a door (role ``door``) turns about the front edge next to its hinge cups: ``{"kind": "hinge",
  "pivot": [x, y, z], "axis": [ax, ay, az], "angle_deg": ±a}`` where the sign swings it into the
  room (a lift-up door has a horizontal axis at its top edge);
- a drawer front slides towards the room with its drawer box (the ``drawer_*`` panels behind it):
  ``{"kind": "slide", "offset": [0, −d, 0]}``.

Each moving panel (and the handle on it, and a drawer's box) carries ``{"front": FRONT_ID, **motion}``
so a viewer moves the group together.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backend.configurator.construction import Box, Panel

DOOR_ANGLE_DEG = 95.0
DRAWER_TRAVEL = 0.75
"""Share of the drawer box's depth a drawer slides out (full-extension runners show most of it)."""


def _mesh_box(box: Box) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
    """A cabinet-frame box as (min, max) corners in the mesh frame (y flipped)."""
    o, s = np.array(box.origin, dtype=np.float64), np.array(box.size, dtype=np.float64)
    lo = np.array([o[0], -(o[1] + s[1]), o[2]])
    return lo, lo + s


def door_motion(panel: Panel) -> dict[str, Any]:
    """The hinge of a door: the panel edge its hinge cups are drilled next to."""
    lo, hi = _mesh_box(panel.box)
    cups = [op for op in panel.ops if op.purpose == "hinge_cup"]
    axes = {"x": 0, "y": 1, "z": 2}
    width_axis = axes[panel.width_axis]
    length_axis = axes[panel.length_axis]
    if cups:
        v = float(np.mean([op.v_mm for op in cups]))
        low_edge = v < panel.width_mm / 2
    else:
        low_edge = True
    pivot = (lo + hi) / 2
    pivot[1] = lo[1]  # the front face (towards the room)
    pivot[width_axis] = lo[width_axis] if low_edge else hi[width_axis]
    axis = np.zeros(3)
    axis[length_axis] = 1.0
    centre = (lo + hi) / 2
    swing = np.cross(axis, centre - pivot)  # where a small positive turn moves the centre
    sign = -1.0 if swing[1] > 0 else 1.0
    return {"kind": "hinge", "pivot": [round(float(c), 2) for c in pivot], "axis": axis.tolist(),
            "angle_deg": sign * DOOR_ANGLE_DEG}


def front_motions(panels: list[Panel], handles: list[Box]) -> dict[int, dict[str, Any]]:
    """Index (panels first, then handles, as the scene lists them) → motion, for every part that moves."""
    out: dict[int, dict[str, Any]] = {}
    for i, panel in enumerate(panels):
        if panel.role == "door":
            motion = {"front": panel.id, **door_motion(panel)}
            members = [i]
        elif panel.role == "drawer_front":
            box_parts = [j for j, p in enumerate(panels) if p.role.startswith("drawer_") and j != i
                         and p.role != "drawer_front" and _within_height(p.box, panel.box)]
            depth = max((panels[j].box.size[1] for j in box_parts), default=300.0)
            motion = {"front": panel.id, "kind": "slide", "offset": [0.0, -round(depth * DRAWER_TRAVEL, 1), 0.0]}
            members = [i, *box_parts]
        else:
            continue
        members += [len(panels) + k for k, h in enumerate(handles) if _on_front(h, panel.box)]
        for j in members:
            out[j] = motion
    return out


def _within_height(part: Box, front: Box) -> bool:
    """A drawer-box part belongs to the front whose height span holds the part's middle."""
    mid = part.origin[2] + part.size[2] / 2
    return front.origin[2] <= mid <= front.origin[2] + front.size[2] and (
        front.origin[0] <= part.origin[0] + part.size[0] / 2 <= front.origin[0] + front.size[0])


def _on_front(handle: Box, front: Box) -> bool:
    """A handle sits on the front whose face it stands on, inside its outline."""
    cx, cz = handle.origin[0] + handle.size[0] / 2, handle.origin[2] + handle.size[2] / 2
    face = front.origin[1] + front.size[1]
    return (abs(handle.origin[1] - face) < 1.0 and front.origin[0] <= cx <= front.origin[0] + front.size[0]
            and front.origin[2] <= cz <= front.origin[2] + front.size[2])
