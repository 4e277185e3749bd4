"""Factory machining: every hole, groove and connector of every part, derived and checked (pure).

``derive`` (per cabinet, from the assembled panels and the hardware tables) → :class:`MachOp`
lists per part; ``checks`` turns what cannot be made into blocking findings.  See
docs/machining.md for the rules and docs/order-format.md for how the ops are written.
"""

from backend.bom.machining.derive import CabinetMachining, Joint, derive, find_joints
from backend.bom.machining.model import FACES, TOL_MM, Face, Issue, MachOp, PartFrame, frame_from, frame_of, mouth
from backend.bom.machining.tables import MachiningTables, load_tables

__all__ = ["FACES", "TOL_MM", "CabinetMachining", "Face", "Issue", "Joint", "MachOp", "MachiningTables",
           "PartFrame", "derive", "find_joints", "frame_from", "frame_of", "load_tables", "mouth"]
