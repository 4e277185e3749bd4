"""Manufacturability checks of a parts list before an order is accepted (pure).

Each finding names its rule, the part and the reason; ``error`` findings block the order,
``warning`` findings are shown but do not.  Rules (codes are stable, the UI may translate them):

- ``part_exceeds_board`` (error): the cut part fits none of its material's stock sizes on the
  order's factory profile (``backend.bom.factory``: the profile's stock sizes for the material, else
  the catalog's board sizes; remnants are not counted, they are used once) after the profile's trim
  on every edge, in any allowed orientation; the finding names the profile (worktops: longer than
  the material's ``max_length_mm`` or than its slab; worktops are not trimmed and not on the profile);
- ``grain_exceeds_board`` (error): a grain-locked part would fit turned across the grain but
  not along any stock size (the factory may not turn it; a sheet's length is its grain);
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

from backend.bom.factory import FactoryProfile, profile
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
    """Trim per board edge when no factory profile is given (the nesting's default); with a profile,
    the profile's trim."""
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
                 rules: CheckRules | None = None, factory: FactoryProfile | None = None) -> list[Finding]:
    return check_parts(parts_list(design, catalog, order_number), catalog, rules, factory)


def check_parts(plist: PartsList, catalog: Catalog, rules: CheckRules | None = None,
                factory: FactoryProfile | None = None) -> list[Finding]:
    """All findings, in part order; the board sizes are those of ``factory``, the production profile
    the order goes to (default: the default profile of ``assets/models/factory/profiles.json``)."""
    rules = rules or CheckRules()
    builds = {b.cabinet_id: b for b in plist.builds}
    out: list[Finding] = []
    for p in plist.parts:
        out += check_board(p, catalog, rules, factory)
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


def check_board(p: Part, catalog: Catalog, rules: CheckRules, factory: FactoryProfile | None = None) -> list[Finding]:
    """Does the cut part fit a sheet it can be cut from: a stock size of its material on the factory
    profile (``factory``, else the default profile with ``rules.trim_mm``), the part's length along the
    sheet's length when its grain is locked.  Worktops: the catalog's slab and ``max_length_mm``."""
    mat = catalog.materials[p.material]
    size = f"{p.cut_length_mm:g} × {p.cut_width_mm:g}"
    if mat.kind == "countertop":
        return _check_worktop(p, mat.name, [(s.length_mm, s.width_mm) for s in mat.board_sizes],
                              mat.max_length_mm, size)
    prof = factory or profile()
    trim = prof.trim_mm if factory is not None else rules.trim_mm
    boards = [(b.length - 2 * trim, b.width - 2 * trim) for b in prof.sizes(catalog, p.material)]
    along = any(_fits(p.cut_length_mm, p.cut_width_mm, b) for b in boards)
    across = any(_fits(p.cut_width_mm, p.cut_length_mm, b) for b in boards)
    if along or (across and p.grain == "free"):
        return []
    params: dict[str, Any] = {"part": p.name, "size": size, "length": p.cut_length_mm, "material": mat.name,
                              "stock": " or ".join(f"{b[0]:g} × {b[1]:g}" for b in boards),
                              "profile": prof.name, "profile_code": prof.code}
    code = "grain_exceeds_board" if across else "part_exceeds_board"
    return [Finding("error", code, p.id, render(code, params), params)]


def _check_worktop(p: Part, name: str, slabs: list[tuple[float, float]], max_length: float | None,
                   size: str) -> list[Finding]:
    if max_length is not None and p.cut_length_mm > max_length + 1e-6:
        return [Finding("error", "part_exceeds_board", p.id, f"{p.name} is {p.cut_length_mm:g} mm long; "
                        f"{name} is made at most {max_length:g} mm long")]
    if any(_fits(p.cut_length_mm, p.cut_width_mm, b) for b in slabs) or (
            p.grain == "free" and any(_fits(p.cut_width_mm, p.cut_length_mm, b) for b in slabs)):
        return []
    largest = " or ".join(f"{b[0]:g} × {b[1]:g}" for b in slabs)
    return [Finding("error", "part_exceeds_board", p.id,
                    f"{p.name} ({size} mm) is larger than the {name} board ({largest} mm)")]


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
