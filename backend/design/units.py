"""Units and tolerances: every geometric tolerance of the design core lives here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerances:
    """Tolerances in millimetres (areas in mm²), documented in one place instead of magic epsilons."""

    length_mm: float = 0.5
    """Two lengths closer than this are equal (half a millimetre: below any saw or drawing precision)."""
    min_wall_length_mm: float = 10.0
    """A wall shorter than this is a drawing mistake (a zero-length wall)."""
    min_room_area_mm2: float = 10_000.0
    """A room smaller than 0.01 m² is a degenerate polygon, not a room."""
    room_fit_mm: float = 30.0
    """How far a unit may reach past a room's outline before it counts as outside: outlines traced
    from a photo stop up to a pixel (10–20 mm) short of the wall face, and a unit against the wall
    must not be flagged for that."""
    overlap_mm: float = 10.0
    """How far two units may run into each other before it is an overlap: on a plan traced from a
    photo, walls meeting a degree or two off square make the units of two runs touch in a wedge a few
    millimetres deep, which fitting on site absorbs and nobody could measure on the plan."""
    wall_fit_mm: float = 20.0
    """How far a unit may reach into a wall's body before it cuts into the wall (a traced wall's face
    is a pixel or two, 10–20 mm, off the real one)."""
    clearance_fit_mm: float = 10.0
    """How far a unit may reach into a door's swing or passage, or a window's zone, before it is in
    the way (below a centimetre nobody can set out a door's clearance on site)."""
    room_gap_mm: float = 100.0
    """Gaps and cut corners of traced room outlines narrower than twice this (a simplified contour
    cutting a room's corner, a strip between an outline and its wall) count as part of the room."""
    outside_area_mm2: float = 10_000.0
    """An outside part of a unit smaller than 0.01 m² (say 600 × 17 mm) is a sliver of a traced
    outline, not a unit standing outside the room: it is not reported (unless it reaches further
    than ``room_fit_mm`` past the outline)."""


TOL = Tolerances()
