"""Plain values of the nesting problem and its result (millimetres, board frame).

Board frame: ``x`` runs along the board's length (its first dimension, e.g. 2800 of
2800×2070, the grain direction), ``y`` along its width; the origin is the board's corner.
A part's ``width`` is its extent along ``x`` and ``height`` along ``y`` when it is placed
unrotated; a grain-locked part is always placed unrotated, so its length stays along the grain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from backend.errors import InvalidInput

FirstCut = Literal["auto", "horizontal", "vertical"]


@dataclass(frozen=True)
class Part:
    """One physical part to cut (a quantity of N is N parts with their own ids)."""

    id: str
    width: float
    height: float
    grain_locked: bool = False
    material: str = ""

    def __post_init__(self) -> None:
        if not (self.width > 0 and self.height > 0):
            raise InvalidInput(f"part {self.id!r} has a non-positive size", field="parts")


@dataclass(frozen=True)
class Board:
    """A stock board: ``length`` along x (the grain), ``width`` along y."""

    length: float
    width: float

    def __post_init__(self) -> None:
        if not (self.length > 0 and self.width > 0):
            raise InvalidInput("board sizes must be positive", field="board")


@dataclass(frozen=True)
class Stock:
    """A board a line may cut: a stock size (``remnant_id`` None: as many sheets as needed) or one
    remnant, an offcut kept from an earlier order (``remnant_id`` its label; used at most once)."""

    board: Board
    remnant_id: str | None = None


@dataclass(frozen=True)
class NestSettings:
    """How the saw works and how hard the optimizer tries.

    ``trim`` is removed from every board edge (the trim cut's kerf lies inside it); ``kerf``
    is the width of every other cut; ``stages`` counts the guillotine stages (2–4) that may
    separate parts, plus one final trimming cut per part (3-stage "non-exact" convention);
    ``first_cut`` fixes the direction of the stage-1 cuts (``horizontal`` = cuts along x,
    strips across the whole length) or lets the optimizer try both (``auto``).  ``effort`` scales the
    search work, which is counted in part scans, never in seconds (so the result never depends on
    the machine's load); 0 means a single construction.
    """

    trim: float = 10.0
    kerf: float = 4.0
    stages: int = 3
    rotate: bool = True
    min_offcut: tuple[float, float] = (200.0, 200.0)
    first_cut: FirstCut = "auto"
    effort: int = 1

    def __post_init__(self) -> None:
        if not 2 <= self.stages <= 4:
            raise InvalidInput("stages must be 2, 3 or 4", field="stages")
        if self.trim < 0 or self.kerf < 0:
            raise InvalidInput("trim and kerf must not be negative", field="trim")
        if self.first_cut not in ("auto", "horizontal", "vertical"):
            raise InvalidInput("first_cut must be auto, horizontal or vertical", field="first_cut")
        if self.effort < 0:
            raise InvalidInput("effort must not be negative", field="effort")


@dataclass(frozen=True)
class Placement:
    part_id: str
    x: float
    y: float
    width: float
    height: float
    rotated: bool


@dataclass(frozen=True)
class Cut:
    """One saw cut: the blade's near edge runs from (x1, y1) to (x2, y2); the kerf lies on the
    side of growing x (vertical cut) or growing y (horizontal cut).  ``stage`` is 1..N for
    guillotine stages, N+1 for a part's final trimming cut, 0 for the board's edge trims."""

    stage: int
    kind: Literal["edge-trim", "cut", "trim"]
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Offcut:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Sheet:
    board: Board
    placements: tuple[Placement, ...]
    cuts: tuple[Cut, ...]
    offcuts: tuple[Offcut, ...]
    first_cut: Literal["horizontal", "vertical"]
    remnant_id: str | None = None
    """The remnant this sheet is cut from, None for a new stock sheet."""

    @property
    def yield_(self) -> float:
        used = sum(p.width * p.height for p in self.placements)
        return used / (self.board.length * self.board.width)


class SheetLike(Protocol):
    """What both lines' sheets have: their own board and, for a remnant, its label."""

    @property
    def board(self) -> Board: ...

    @property
    def remnant_id(self) -> str | None: ...


SheetT = TypeVar("SheetT", bound=SheetLike)


@dataclass(frozen=True)
class MaterialSheets(Generic[SheetT]):
    """One material's sheets on either line (saw or router); each sheet carries its own board (several
    stock sizes may mix) and is a new stock sheet or a remnant.  ``lower_bound`` is
    ``ceil(part area / trimmed area of the largest stock size)``."""

    material: str
    sheets: tuple[SheetT, ...]
    part_area: float
    lower_bound: int

    @property
    def sheet_count(self) -> int:
        return len(self.sheets)

    @property
    def stock_sheets(self) -> int:
        """New stock sheets (the sheets that are not remnants)."""
        return sum(1 for s in self.sheets if s.remnant_id is None)

    @property
    def stock_area(self) -> float:
        """Board area of the new stock sheets (what the order consumes), mm²."""
        return sum(s.board.length * s.board.width for s in self.sheets if s.remnant_id is None)

    @property
    def board_area(self) -> float:
        """Board area of every sheet, remnants included, mm²."""
        return sum(s.board.length * s.board.width for s in self.sheets)

    @property
    def yield_(self) -> float:
        """Part area over the board area of every sheet used."""
        area = self.board_area
        return self.part_area / area if area else 0.0

    @property
    def gap(self) -> int:
        return len(self.sheets) - self.lower_bound

    def board_counts(self) -> list[tuple[Board, str | None, int]]:
        """(board, remnant id, sheets) per stock size and remnant, in order of first use."""
        out: dict[tuple[Board, str | None], int] = {}
        for s in self.sheets:
            key = (s.board, s.remnant_id)
            out[key] = out.get(key, 0) + 1
        return [(b, r, n) for (b, r), n in out.items()]


@dataclass(frozen=True)
class MaterialResult(MaterialSheets[Sheet]):
    """The panel saw's sheets of one material; ``board`` is its first stock size (the only one unless
    the factory stocks several), each sheet's own board is ``Sheet.board``."""

    board: Board


@dataclass(frozen=True)
class NestResult:
    settings: NestSettings
    materials: tuple[MaterialResult, ...] = field(default_factory=tuple)

    @property
    def sheet_count(self) -> int:
        return sum(m.sheet_count for m in self.materials)

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout document (see ``backend.bom.layout_check`` for its reader)."""
        s = self.settings
        return {
            "format": "roomwright-nesting/1",
            "settings": {
                "trim": s.trim,
                "kerf": s.kerf,
                "stages": s.stages,
                "rotate": s.rotate,
                "min_offcut": list(s.min_offcut),
                "first_cut": s.first_cut,
            },
            "sheet_count": self.sheet_count,
            "materials": [_material_dict(m) for m in self.materials],
        }


def _material_dict(m: MaterialResult) -> dict[str, Any]:
    return {
        "material": m.material,
        "board": {"length": m.board.length, "width": m.board.width},
        "sheet_count": m.sheet_count,
        "stock_sheets": m.stock_sheets,
        "lower_bound": m.lower_bound,
        "gap": m.gap,
        "yield": round(m.yield_, 6),
        "part_area": m.part_area,
        "sheets": [_sheet_dict(i, sh) for i, sh in enumerate(m.sheets, 1)],
    }


def _sheet_dict(index: int, sh: Sheet) -> dict[str, Any]:
    return {
        "index": index,
        "board": {"length": sh.board.length, "width": sh.board.width},
        "remnant_id": sh.remnant_id,
        "first_cut": sh.first_cut,
        "yield": round(sh.yield_, 6),
        "placements": [
            {"part_id": p.part_id, "x": p.x, "y": p.y, "width": p.width, "height": p.height,
             "rotated": p.rotated}
            for p in sh.placements
        ],
        "cuts": [
            {"stage": c.stage, "kind": c.kind, "x1": c.x1, "y1": c.y1, "x2": c.x2, "y2": c.y2}
            for c in sh.cuts
        ],
        "offcuts": [{"x": o.x, "y": o.y, "width": o.width, "height": o.height} for o in sh.offcuts],
    }
