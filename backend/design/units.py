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


TOL = Tolerances()
