"""Manufacturability checks of a parts list before an order is accepted (pure).

Each finding names its rule, the part and the reason; ``error`` findings block the order,
``warning`` findings are shown but do not.  Rules (codes are stable, the UI may translate them):

- ``part_exceeds_board`` (error): the cut part fits none of its material's board sizes after
  the trim on every edge, in any allowed orientation (worktops: longer than the material's
  ``max_length_mm`` or than its slab; worktops are not trimmed);
- ``grain_exceeds_board`` (error): a grain-locked part would fit turned across the grain but
  not along it (the factory may not turn it);
- ``part_below_minimum`` (error): the cut part is smaller than the smallest part the panel saw,
  edge bander and CNC can hold: :attr:`CheckRules.min_length_mm` × :attr:`CheckRules.min_width_mm`
  (default 50 × 30 mm: the longer side at least 50 mm, the shorter at least 30 mm);
- ``door_too_heavy`` (error): door weight (finished volume × material density) above the
  hinges' capacity (hinge cups drilled in the door × capacity per hinge);
- ``runner_length_unavailable`` (error): a drawer side whose length is not a length the
  cabinet's drawer slide is sold in;
- the machining checks (errors), ``backend.bom.machining.checks``: operations inside their parts and
  clear of the edges, no collisions, every connector hole meeting its partner in the assembled
  cabinet, hinges clear of what is behind the door, hardware that fits the part it is drilled in.

The catalog has no densities, hinge capacities or minimum part sizes yet; :class:`CheckRules`
holds documented defaults a caller may override.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from backend.bom.machining import frame_from, load_tables
from backend.bom.machining.checks import PartView, check_cabinet, check_hardware_counts
from backend.bom.machining.wording import render
from backend.bom.parts import Part, PartsList, parts_list
from backend.configurator.catalog import Catalog
from backend.configurator.construction import CabinetBuild
from backend.design.model import Design

Severity = Literal["error", "warning"]

DEFAULT_DENSITY_KG_M3: dict[str, float] = {
    "pb_": 650.0, "mdf_": 750.0, "hdf_": 850.0, "ply_": 680.0, "oak_veneer": 700.0,
    "quartz": 2400.0, "laminate": 700.0, "compact": 1400.0,
}
"""Density by material-code prefix (particleboard 650, MDF 750, HDF 850, plywood 680 kg/m³…)."""


@dataclass(frozen=True)
class CheckRules:
    min_length_mm: float = 50.0
    min_width_mm: float = 30.0
    trim_mm: float = 10.0
    """Trim per board edge (the nesting's default)."""
    density_kg_m3: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_DENSITY_KG_M3))
    """Material code or code prefix → density; the longest matching prefix wins."""
    fallback_density_kg_m3: float = 750.0
    hinge_capacity_kg: dict[str, float] = field(default_factory=dict)
    """Hinge code → door weight one hinge carries; others use :attr:`default_hinge_capacity_kg`."""
    default_hinge_capacity_kg: float = 4.5

    def density(self, material: str) -> float:
        matches = [k for k in self.density_kg_m3 if material.startswith(k)]
        return self.density_kg_m3[max(matches, key=len)] if matches else self.fallback_density_kg_m3


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    part_id: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    """What the words are made of (machining findings: ``render(code, params, gettext)`` gives the
    message in a page's language)."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"severity": self.severity, "code": self.code, "part_id": self.part_id,
                               "message": self.message}
        if self.params:
            out["params"] = dict(self.params)
        return out


def check_design(design: Design, catalog: Catalog, order_number: str | None = None,
                 rules: CheckRules | None = None) -> list[Finding]:
    return check_parts(parts_list(design, catalog, order_number), catalog, rules)


def check_parts(plist: PartsList, catalog: Catalog, rules: CheckRules | None = None) -> list[Finding]:
    """All findings, in part order."""
    rules = rules or CheckRules()
    builds = {b.cabinet_id: b for b in plist.builds}
    out: list[Finding] = []
    for p in plist.parts:
        out += check_board(p, catalog, rules)
        out += check_min_size(p, rules)
        build = builds.get(p.cabinet_id)
        if p.role == "door":
            out += check_door_weight(p, _codes(build, "hinge") or [catalog.construction.default_hinge], rules)
        if p.role == "drawer_side":
            slide = (_codes(build, "slide") or [catalog.construction.default_slide])[0]
            out += check_runner(p, catalog.slides[slide].lengths_mm, slide)
    return out + check_machining(plist)


def check_machining(plist: PartsList) -> list[Finding]:
    """The machining findings of every cabinet (blocking but for a shelf pinned at one end), named by part."""
    tables = load_tables()
    by_panel = {p.panel_id: p for p in plist.parts}
    out: list[Finding] = []
    for build in plist.builds:
        parts = [by_panel[panel.id] for panel in build.panels if panel.id in by_panel]
        views = [PartView(p.panel_id, p.role, frame_from(p.box.origin, p.box.size, p.length_axis, p.width_axis),
                          p.machining) for p in parts]
        issues = [i for i in plist.machining_issues if i.panel_id in {v.panel_id for v in views}]
        listed: dict[str, int] = {}
        for line in build.hardware:
            listed[line.code] = listed.get(line.code, 0) + line.quantity
        for f in [*check_cabinet(views, issues, tables), *check_hardware_counts(views, listed, tables)]:
            part = by_panel[f.panel_id]
            params: dict[str, Any] = {"part": part.name, **dict(f.params)}
            if "other" in params and isinstance(params["other"], str) and params["other"] in by_panel:
                params["other"] = by_panel[params["other"]].name
            params.pop("mate", None)
            out.append(Finding(f.severity, f.code, part.id, render(f.code, params), params))
    return out


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block an order."""
    return [f for f in findings if f.severity == "error"]


def _codes(build: CabinetBuild | None, category: str) -> list[str]:
    return [] if build is None else [h.code for h in build.hardware if h.category == category]


def _fits(a: float, b: float, board: tuple[float, float]) -> bool:
    return a <= board[0] + 1e-6 and b <= board[1] + 1e-6


def check_board(p: Part, catalog: Catalog, rules: CheckRules) -> list[Finding]:
    mat = catalog.materials[p.material]
    trim = 0.0 if mat.kind == "countertop" else rules.trim_mm
    boards = [(s.length_mm - 2 * trim, s.width_mm - 2 * trim) for s in mat.board_sizes]
    size = f"{p.cut_length_mm:g} × {p.cut_width_mm:g} mm"
    along = any(_fits(p.cut_length_mm, p.cut_width_mm, b) for b in boards)
    across = any(_fits(p.cut_width_mm, p.cut_length_mm, b) for b in boards)
    largest = " or ".join(f"{b[0]:g} × {b[1]:g}" for b in boards)
    if mat.max_length_mm is not None and p.cut_length_mm > mat.max_length_mm + 1e-6:
        return [Finding("error", "part_exceeds_board", p.id, f"{p.name} is {p.cut_length_mm:g} mm long; "
                        f"{mat.name} is made at most {mat.max_length_mm:g} mm long")]
    if along or (across and p.grain == "free"):
        return []
    if across:
        return [Finding("error", "grain_exceeds_board", p.id,
                        f"{p.name} ({size}) must run with the grain, but {p.cut_length_mm:g} mm does not fit "
                        f"along the board ({largest} mm after trim)")]
    return [Finding("error", "part_exceeds_board", p.id,
                    f"{p.name} ({size}) is larger than the {mat.name} board ({largest} mm after trim)")]


def check_min_size(p: Part, rules: CheckRules) -> list[Finding]:
    long_side, short_side = max(p.cut_length_mm, p.cut_width_mm), min(p.cut_length_mm, p.cut_width_mm)
    if long_side >= rules.min_length_mm and short_side >= rules.min_width_mm:
        return []
    return [Finding("error", "part_below_minimum", p.id,
                    f"{p.name} ({p.cut_length_mm:g} × {p.cut_width_mm:g} mm) is below the smallest part the "
                    f"machines can hold ({rules.min_length_mm:g} × {rules.min_width_mm:g} mm)")]


def door_weight_kg(p: Part, rules: CheckRules) -> float:
    return p.volume_mm3 / 1e9 * rules.density(p.material)


def check_door_weight(p: Part, hinge_codes: Sequence[str], rules: CheckRules) -> list[Finding]:
    hinges = sum(1 for op in p.ops if op.purpose == "hinge_cup")
    if hinges == 0:
        return []
    per_hinge = min(rules.hinge_capacity_kg.get(c, rules.default_hinge_capacity_kg) for c in hinge_codes)
    weight = door_weight_kg(p, rules)
    if weight <= hinges * per_hinge + 1e-9:
        return []
    need = int(weight // per_hinge) + 1
    return [Finding("error", "door_too_heavy", p.id,
                    f"{p.name} weighs {weight:.1f} kg but its {hinges} hinges carry {hinges * per_hinge:.1f} kg "
                    f"({per_hinge:g} kg each); it needs {need} hinges or a lighter front")]


def check_runner(p: Part, lengths_mm: Sequence[int], slide_code: str) -> list[Finding]:
    if any(abs(p.length_mm - n) < 0.5 for n in lengths_mm):
        return []
    return [Finding("error", "runner_length_unavailable", p.id,
                    f"{p.name} is {p.length_mm:g} mm deep but {slide_code} runners come in "
                    f"{', '.join(str(n) for n in lengths_mm)} mm")]
