"""The two production lines: router nesting and its independent checker, the PTX-style saw list, the
per-sheet router DXF and the machine-neutral machining file of an order package."""

from __future__ import annotations

import csv
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import ezdxf
import pytest

from backend.bom.factory import load_profiles, parse_profile, profile
from backend.bom.layout_check import check_layout
from backend.bom.nesting import Board, Part
from backend.bom.nesting.router import RouterSettings, Stock, nest_router
from backend.bom.package import OrderInfo, Package, make_package
from backend.bom.package.dxf import op_layer
from backend.bom.package.labels import machining_side
from backend.bom.package.sawlist import cut_tree
from backend.bom.router_check import check_router_layout
from backend.cli import main as cli_main
from backend.cli.order import _summary
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design
from backend.errors import InvalidInput

ORDER = OrderInfo(number="R2612", date=date(2026, 12, 3), base_url="https://rw.example")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def routed(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> tuple[Path, Package]:
    """The demo kitchen's package on the CNC router profile (remnant and two stock sizes for pb_white_18)."""
    out = tmp_path_factory.mktemp("routed")
    return out, make_package(demo_design(catalog=catalog), catalog, ORDER, out, factory=profile("cnc_router"))


def _part_dicts(parts: list[Part]) -> list[dict[str, object]]:
    return [{"id": p.id, "width": p.width, "height": p.height, "grain_locked": p.grain_locked,
             "material": p.material} for p in parts]


def _parts() -> list[Part]:
    sizes = [(720, 560, False), (764, 559, True), (400, 120, False), (90, 60, False), (1200, 580, True),
             (300, 300, False), (2000, 500, True), (140, 140, False)]
    return [Part(f"p{i}-{k}", w, h, g, "m") for i, (w, h, g) in enumerate(sizes) for k in range(4)]


def test_router_layout_passes_the_independent_checker() -> None:
    parts = _parts()
    settings = RouterSettings(spacing=12, small_margin=60)
    result = nest_router(parts, {"m": [Stock(Board(2800, 2070))]}, settings)
    assert check_router_layout(result.to_dict(), _part_dicts(parts)) == []
    m = result.materials[0]
    assert m.sheet_count >= m.lower_bound >= 1
    for sheet in m.sheets:  # small parts are cut last
        orders = {p.part_id: p.order for p in sheet.placements}
        small = [orders[p.part_id] for p in sheet.placements if p.small]
        large = [orders[p.part_id] for p in sheet.placements if not p.small]
        assert not small or not large or min(small) > max(large)


def test_the_router_checker_finds_what_is_wrong() -> None:
    parts = _parts()
    doc = nest_router(parts, {"m": [Stock(Board(2800, 2070))]}).to_dict()
    sheet = doc["materials"][0]["sheets"][0]
    pls = sheet["placements"]
    big = next(p for p in pls if not p["small"])
    close = next(p for p in pls if p is not big and not p["small"])
    close["x"], close["y"] = big["x"] + big["width"] + 5, big["y"]  # 5 mm from its neighbour: tool is 12
    small = next(p for p in pls if p["small"])
    small["x"] = 15.0  # inside the trim but within the small-part margin
    small["order"], big["order"] = big["order"], small["order"]  # the small part cut before a large one
    locked = next(p for p in _parts() if p.grain_locked)
    turned = next(p for p in pls if p["part_id"] == locked.id)
    turned["rotated"] = True
    turned["width"], turned["height"] = turned["height"], turned["width"]
    errors = "\n".join(check_router_layout(doc, _part_dicts(parts)))
    for words in ("closer than the tool", "(small part)", "before a large part", "turned but may not be"):
        assert words in errors


def test_remnants_are_used_first_and_a_last_sheet_moves_to_a_smaller_size() -> None:
    parts = [Part(f"a{i}", 700, 500, False, "m") for i in range(7)]
    stocks = [Stock(Board(1500, 1100), "RM-1"), Stock(Board(2800, 2070)), Stock(Board(1600, 1200))]
    m = nest_router(parts, {"m": stocks}, RouterSettings()).materials[0]
    assert m.sheets[0].remnant_id == "RM-1" and len(m.sheets[0].placements) == 4  # 2 × 2 with the tool between
    assert [s.board for s in m.sheets[1:]] == [Board(1600, 1200)]  # the other 3 fit the smaller stock size
    assert check_router_layout(nest_router(parts, {"m": stocks}).to_dict(), _part_dicts(parts)) == []


def test_a_part_larger_than_every_board_is_refused() -> None:
    with pytest.raises(InvalidInput, match="fits no board"):
        nest_router([Part("huge", 3000, 900, True, "m")], {"m": [Stock(Board(2800, 2070))]})


def test_profiles_load_and_refuse_an_unknown_layer_preset() -> None:
    profiles = load_profiles()
    assert {p.mode for p in profiles.profiles} == {"saw", "router"}
    assert profile(None, mode="router").mode == "router"
    with pytest.raises(InvalidInput, match="unknown DXF layer preset"):
        profiles.profiles[0].model_validate({**profiles.profiles[0].model_dump(), "dxf_layers": "nope"})


def _replay(tree: list[tuple[int, float, str | None]], region: tuple[float, float, float, float], axis: int,
            kerf: float) -> dict[str, tuple[float, float, float, float]]:
    """Cut a region by the tree's rows (depth first) and return where each part comes out."""
    out: dict[str, tuple[float, float, float, float]] = {}
    rows = iter(tree)

    def cut(reg: tuple[float, float, float, float], ax: int, stage: int, pending: list[tuple[int, float, str | None]]
            ) -> None:
        pos = reg[ax]
        while True:
            row = pending.pop(0) if pending else next(rows, None)
            if row is None:
                return
            fn, dim, pid = row
            if fn % 90 < stage or (fn < 90 and fn < stage):
                pending.insert(0, row)
                return
            if fn >= 90:
                pos += dim + kerf
                continue
            strip = (pos, reg[1], pos + dim, reg[3]) if ax == 0 else (reg[0], pos, reg[2], pos + dim)
            if pid is not None:
                out[pid] = strip
            else:
                cut(strip, 1 - ax, stage + 1, pending)
            pos += dim + kerf

    cut(region, axis, 1, [])
    return out


def test_the_saw_list_carries_our_patterns(routed: tuple[Path, Package]) -> None:
    out, pkg = routed
    rows = list(csv.reader((out / "sawlist.csv").read_text(encoding="ascii").splitlines()))
    kinds = [r[0] for r in rows]
    assert kinds[:2] == ["HEADER", "JOBS"] and "MATERIALS" in kinds and "BOARDS" in kinds
    assert kinds.count("PARTS_REQ") == sum(len(s.placements) for m in pkg.nesting.materials for s in m.sheets)
    assert kinds.count("PATTERNS") == pkg.nesting.sheet_count
    s = pkg.nesting.settings
    for m in pkg.nesting.materials:
        for sheet in m.sheets:
            tree = cut_tree(sheet, s.trim, s.kerf)
            region = (s.trim, s.trim, sheet.board.length - s.trim, sheet.board.width - s.trim)
            got = _replay(tree, region, 1 if sheet.first_cut == "horizontal" else 0, s.kerf)
            want = {p.part_id: (p.x, p.y, p.x + p.width, p.y + p.height) for p in sheet.placements}
            assert got.keys() == want.keys()
            for pid, rect in want.items():
                assert got[pid] == pytest.approx(rect, abs=0.01)
            assert max(fn for fn, _, _ in tree if fn < 90) <= s.stages + 1
    layout = json.loads((out / "order.json").read_text(encoding="utf-8"))["nesting"]
    parts = [{"id": p.id, "width": p.cut_length_mm, "height": p.cut_width_mm, "grain_locked": p.grain == "locked",
              "material": p.material} for p in pkg.parts.parts if p.role != "countertop"]
    assert check_layout(layout, parts) == []


def test_router_sheets_hold_every_part_with_its_machining(routed: tuple[Path, Package]) -> None:
    out, pkg = routed
    doc = json.loads((out / "order.json").read_text(encoding="utf-8"))
    assert doc["production"]["mode"] == "router" and doc["production"]["profile"] == "cnc_router"
    assert pkg.router is not None and pkg.profile is not None
    parts = [{"id": p.id, "width": p.cut_length_mm, "height": p.cut_width_mm, "grain_locked": p.grain == "locked",
              "material": p.material} for p in pkg.parts.parts if p.role != "countertop"]
    assert check_router_layout(doc["router_nesting"], parts) == []
    pb = next(m for m in pkg.router.materials if m.material == "pb_white_18")
    assert pb.sheets[0].remnant_id == "RM-0001"
    by_id = {p.id: p for p in pkg.parts.parts}
    for m in pkg.router.materials:
        for i, sheet in enumerate(m.sheets, 1):
            dxf = ezdxf.readfile(out / "sheets" / m.material / f"{m.material}-{i}.dxf")  # type: ignore[attr-defined]
            msp = dxf.modelspace()
            outline = "outline z18p0" if m.material.endswith("18") else None
            texts = [t.dxf.text for t in msp.query("TEXT")]
            assert sorted(texts, key=lambda t: int(t.split()[0])) == [f"{p.order} {p.part_id}" for p in sorted(
                sheet.placements, key=lambda p: p.order)]
            assert len(msp.query('LWPOLYLINE[layer=="TOOLPATH"]')) == len(sheet.placements)
            want: dict[str, int] = {outline: len(sheet.placements)} if outline else {}
            for pl in sheet.placements:
                part = by_id[pl.part_id]
                for op in part.machining:
                    name = op_layer(op, part.thickness_mm, "thermwood")
                    want[name] = want.get(name, 0) + 1
            got = {name: len(msp.query(f'*[layer=="{name}"]')) for name in want}
            assert got == want


def test_machining_json_has_every_op_in_blank_coordinates(routed: tuple[Path, Package]) -> None:
    out, pkg = routed
    doc = json.loads((out / "machining.json").read_text(encoding="utf-8"))
    assert doc["format"] == "roomwright-machining/1"
    assert [p["id"] for p in doc["parts"]] == [p.id for p in pkg.parts.parts]
    for entry, part in zip(doc["parts"], pkg.parts.parts, strict=True):
        assert len(entry["ops"]) == len(part.machining)
        du, dv = entry["blank_offset_mm"]
        for op, src in zip(entry["ops"], part.machining, strict=True):
            assert op["x_mm"] == pytest.approx(src.u_mm - du) and op["y_mm"] == pytest.approx(src.v_mm - dv)
            if op["mate"]:
                assert op["mate"] in {p.id for p in pkg.parts.parts}
    order_ops = json.loads((out / "order.json").read_text(encoding="utf-8"))["parts"][0]["ops"]
    assert {"kind", "purpose", "face", "u_mm", "v_mm", "depth_mm", "diameter_mm", "length_mm", "width_mm",
            "w_mm", "path", "tool", "joint", "mate"} <= set(order_ops[0])
    purposes = {o["purpose"] for p in doc["parts"] for o in p["ops"]}
    assert {"cam", "dowel", "hinge_cup", "hinge_plate", "shelf_pin", "slide", "handle", "back_groove", "cutout",
            "leg", "hanger"} <= purposes


def test_nest_cli_router_mode(tmp_path: Path) -> None:
    src = tmp_path / "parts.csv"
    src.write_text("ID,WIDTH,HEIGHT,QTY,GRAIN\nside,720,560,6,L\nshelf,564,500,4,\npin,90,60,3,\n",
                   encoding="utf-8")
    out = tmp_path / "layout.json"
    assert cli_main(["nest", str(src), "--mode", "router", "--tool", "10", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["mode"] == "router" and doc["settings"]["spacing"] == 10
    parts = [{"id": f"{n}#{i}", "width": w, "height": h, "grain_locked": g, "material": ""}
             for n, w, h, q, g in (("side", 720, 560, 6, True), ("shelf", 564, 500, 4, False),
                                   ("pin", 90, 60, 3, False)) for i in range(1, q + 1)]
    assert check_router_layout(doc, parts) == []


def test_labels_name_the_face_to_load_up(routed: tuple[Path, Package]) -> None:
    _, pkg = routed
    left = pkg.parts.part("R2612-cab-3-side-l")  # its inner face (B) carries the connectors and slides
    bottom = pkg.parts.part("R2612-cab-3-bottom-1")
    assert machining_side(left.machining) == "B" and machining_side(bottom.machining) == "B"
    door = next(p for p in pkg.parts.parts if p.role == "door")
    assert machining_side(door.machining) == "A"  # hinge cups from the door's back
    assert machining_side(()) == "-"


def test_the_saw_line_nests_with_the_profiles_kerf_and_stock(tmp_path: Path, catalog: Catalog) -> None:
    design = demo_design(catalog=catalog)
    small = design.model_copy(update={"cabinets": [design.cabinet("cab-1"), design.cabinet("cab-3")]})
    saw = profile("panel_saw")
    own = parse_profile({**saw.model_dump(), "kerf_mm": 6.0, "stages": 2,
                         "stock": {"pb_white_18": [{"length_mm": 2440, "width_mm": 1220}]}}, saw.code)
    pkg = make_package(small, catalog, ORDER, tmp_path, factory=own)
    assert pkg.nesting.settings.kerf == 6.0 and pkg.nesting.settings.stages == 2
    pb = next(m for m in pkg.nesting.materials if m.material == "pb_white_18")
    assert pb.board == Board(2440, 1220)
    parts = [{"id": p.id, "width": p.cut_length_mm, "height": p.cut_width_mm, "grain_locked": p.grain == "locked",
              "material": p.material} for p in pkg.parts.parts if p.role != "countertop"]
    assert check_layout(pkg.nesting.to_dict(), parts) == []
    assert pkg.quote.to_dict()["nested_sheets"] != {} and pkg.quote.total_cents == make_package(
        small, catalog, ORDER, tmp_path / "default").quote.total_cents  # the price never follows the profile


def test_the_saw_line_uses_the_profiles_remnant_and_sizes_per_sheet(routed: tuple[Path, Package],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The CNC profile stocks pb_white_18 as a remnant and two sizes: the saw line uses them too, and the saw
    list, order.json and the order summary give each sheet its own board."""
    out, pkg = routed
    pb = next(m for m in pkg.nesting.materials if m.material == "pb_white_18")
    assert pb.sheets[0].remnant_id == "RM-0001" and pb.sheets[0].board == Board(1400, 900)
    assert all(s.remnant_id is None and s.board in (Board(2800, 2070), Board(2440, 1220)) for s in pb.sheets[1:])
    rows = list(csv.reader((out / "sawlist.csv").read_text(encoding="ascii").splitlines()))
    boards = {r[2]: r for r in rows if r[0] == "BOARDS"}
    patterns = [r for r in rows if r[0] == "PATTERNS"]
    sheets = [s for m in pkg.nesting.materials for s in m.sheets]
    assert len(patterns) == len(sheets)
    for ptn, sheet in zip(patterns, sheets, strict=True):
        board = boards[ptn[3]]
        assert (float(board[5]), float(board[6])) == (sheet.board.length, sheet.board.width)
        assert board[3].endswith(f"-{sheet.remnant_id}") == (sheet.remnant_id is not None)
    assert sum(int(b[8]) for b in boards.values()) == len(sheets)
    assert "pb_white_18-1400x900-RM-0001" in {b[3] for b in boards.values()}
    order_doc = json.loads((out / "order.json").read_text(encoding="utf-8"))
    assert order_doc["totals"]["stock_sheets"]["pb_white_18"] == order_doc["totals"]["sheets"]["pb_white_18"] - 1
    layout = order_doc["nesting"]
    doc_pb = next(m for m in layout["materials"] if m["material"] == "pb_white_18")
    assert [(s["board"]["length"], s["remnant_id"]) for s in doc_pb["sheets"]] == [
        (s.board.length, s.remnant_id) for s in pb.sheets]
    _summary(pkg, "R2612")
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.strip().startswith("pb_white_18:"))
    assert "remnant RM-0001 (1400 × 900 mm)" in line
    for board, remnant, n in pb.board_counts():
        if remnant is None:
            assert f"{n} of {board.length:g} × {board.width:g} mm" in line


def test_the_order_is_checked_against_the_profiles_stock(tmp_path: Path, catalog: Catalog) -> None:
    """A part that fits the catalog's board but none of the profile's sheets is a blocking finding that
    names the production line, before anything is nested or written."""
    design = demo_design(catalog=catalog)
    small = design.model_copy(update={"cabinets": [design.cabinet("cab-1"), design.cabinet("cab-3")]})
    saw = profile("panel_saw")
    tiny = parse_profile({**saw.model_dump(), "name": "Small-sheet saw",
                          "stock": {"pb_white_18": [{"length_mm": 700, "width_mm": 600}]}}, saw.code)
    with pytest.raises(InvalidInput) as refused:
        make_package(small, catalog, ORDER, tmp_path / "tiny", factory=tiny)
    findings = [f for f in refused.value.extra["findings"] if f["code"] == "part_exceeds_board"]
    assert findings and all("Small-sheet saw" in f["message"] and f["params"]["profile_code"] == "panel_saw"
                            for f in findings)
    assert not (tmp_path / "tiny" / "order.json").exists()
    assert make_package(small, catalog, ORDER, tmp_path / "default").files  # the catalog's board takes them all


def test_a_part_longer_than_the_catalogs_board_is_made_on_the_profiles_longer_sheet(tmp_path: Path,
                                                                                   catalog: Catalog) -> None:
    """A 3,000 mm plinth does not fit the catalog's 2800 × 2070 board; a line that stocks 3050 × 1220 sheets
    of its material takes the order, and both of its nestings cut the plinth from that sheet."""
    design = demo_design(catalog=catalog)
    plinth = design.cabinet("cab-11").model_copy(
        update={"family": "plinth", "width_mm": 3000.0, "height_mm": 100.0, "depth_mm": 18.0, "options": {}})
    one = design.model_copy(update={"cabinets": [plinth]})
    with pytest.raises(InvalidInput) as refused:
        make_package(one, catalog, ORDER, tmp_path / "catalog")
    assert [f["code"] for f in refused.value.extra["findings"]] == ["part_exceeds_board"]
    saw = profile("panel_saw")
    long_sheets = {"mdf_matt_white_18": [{"length_mm": 2800, "width_mm": 2070}, {"length_mm": 3050, "width_mm": 1220}]}
    line = parse_profile({**saw.model_dump(), "stock": long_sheets}, saw.code)
    pkg = make_package(one, catalog, ORDER, tmp_path / "long", factory=line)
    assert [f.code for f in pkg.findings] == []
    [mat] = pkg.nesting.materials
    assert [s.board for s in mat.sheets] == [Board(3050, 1220)]
    assert pkg.router is not None and [s.board for m in pkg.router.materials for s in m.sheets] == [Board(3050, 1220)]
    parts = [{"id": p.id, "width": p.cut_length_mm, "height": p.cut_width_mm, "grain_locked": p.grain == "locked",
              "material": p.material} for p in pkg.parts.parts]
    assert check_layout(pkg.nesting.to_dict(), parts) == []
    assert check_router_layout(pkg.router.to_dict(), parts) == []


def test_a_long_narrow_strip_is_routed_as_a_large_part(tmp_path: Path, catalog: Catalog) -> None:
    """A 2,700 × 99 mm plinth is "small" by its width, but cannot keep the small-part margin on a 2800 mm
    board: the router places and cuts it as a large part (it failed the package before), the checker
    agrees, and a strip that does fit inside the margin is still held there."""
    design = demo_design(catalog=catalog)
    plinth = design.cabinet("cab-11").model_copy(
        update={"family": "plinth", "width_mm": 2700.0, "height_mm": 100.0, "depth_mm": 18.0, "options": {}})
    pkg = make_package(design.model_copy(update={"cabinets": [plinth]}), catalog, ORDER, tmp_path)
    assert pkg.router is not None
    [placed] = [pl for m in pkg.router.materials for s in m.sheets for pl in s.placements]
    assert not placed.small
    parts = [{"id": p.id, "width": p.cut_length_mm, "height": p.cut_width_mm, "grain_locked": p.grain == "locked",
              "material": p.material} for p in pkg.parts.parts]
    assert check_router_layout(pkg.router.to_dict(), parts) == []
    s = RouterSettings(trim=10, spacing=12)
    short = [Part("strip", 2600, 99, False, "m")]
    held = nest_router(short, {"m": [Stock(Board(2800, 2070))]}, s)
    [pl] = held.materials[0].sheets[0].placements
    assert pl.small and pl.x >= 10 + s.small_margin
    doc = held.to_dict()
    doc["materials"][0]["sheets"][0]["placements"][0]["x"] = 10.0
    assert any("small part" in e for e in check_router_layout(doc, _part_dicts(short)))


def test_mating_holes_meet_within_a_tenth_in_the_cabinet_assembled_from_order_json(
        routed: tuple[Path, Package]) -> None:
    """The factory's view: from nothing but order.json (each part's box, axes and ops), every connector
    hole meets exactly one hole of the same joint on its mate, a face hole against an edge hole, within
    0.1 mm, and the two go into the parts along one line (the edge hole's axis is the face hole's)."""
    out, _ = routed
    doc = json.loads((out / "order.json").read_text(encoding="utf-8"))
    parts = {p["id"]: p for p in doc["parts"]}
    axis = {"x": 0, "y": 1, "z": 2}

    def frame(p: dict[str, Any]) -> tuple[int, int, int]:
        lu, lv = axis[p["axes"]["length"]], axis[p["axes"]["width"]]
        return lu, lv, 3 - lu - lv

    def mouth(p: dict[str, Any], op: dict[str, Any]) -> list[float]:
        at = list(map(float, p["box"]["origin"]))
        lu, lv, lw = frame(p)
        at[lu] += op["u_mm"]
        at[lv] += op["v_mm"]
        at[lw] += op["w_mm"]
        return at

    def direction(p: dict[str, Any], op: dict[str, Any]) -> int:
        lu, lv, lw = frame(p)
        return {"A": lw, "B": lw, "W1": lu, "W2": lu, "L1": lv, "L2": lv}[op["face"]]

    pairs = 0
    for p in parts.values():
        for op in p["ops"]:
            if not op["mate"] or not op["joint"]:
                continue
            mate = parts[op["mate"]]
            partners = [o for o in mate["ops"] if o["joint"] == op["joint"] and o["mate"] == p["id"]]
            assert len(partners) == 1, (p["id"], op)
            other = partners[0]
            assert math.dist(mouth(p, op), mouth(mate, other)) <= 0.1, (p["id"], op, other)
            assert {op["face"] in ("A", "B"), other["face"] in ("A", "B")} == {True, False}
            assert direction(p, op) == direction(mate, other)
            pairs += 1
    assert pairs > 100 and pairs % 2 == 0
    assert {"cam", "dowel"} <= {o["purpose"] for p in parts.values() for o in p["ops"] if o["mate"]}


@pytest.mark.parametrize("preset", ["roomwright", "thermwood", "cabinetsense"])
def test_part_dxfs_put_every_operation_on_its_layer_in_each_preset(tmp_path: Path, catalog: Catalog,
                                                                  preset: str) -> None:
    """Each preset's part DXF, re-read with ezdxf: the outline and every operation on the layer the preset
    names for it, nothing else drawn (Thermwood names a through cut-out "outline" like the blank)."""
    from backend.bom.machining.layers import layer_name, template
    from backend.bom.package.dxf import write_part_dxf
    from backend.bom.parts import parts_list

    design = demo_design(catalog=catalog)
    chosen = [design.cabinet(c) for c in ("cab-2", "cab-3", "cab-11", "cab-14")]
    plist = parts_list(design.model_copy(update={"cabinets": chosen}), catalog, "R1")
    tpl = template(preset)
    kinds: set[str] = set()
    for part in plist.parts:
        path = tmp_path / f"{part.id}.dxf"
        write_part_dxf(path, part, catalog, preset)
        msp = ezdxf.readfile(path).modelspace()  # type: ignore[attr-defined]
        want: dict[str, int] = {layer_name(tpl, None, part.thickness_mm): 1}
        for op in part.machining:
            name = op_layer(op, part.thickness_mm, preset)
            want[name] = want.get(name, 0) + 1
            kinds.add(op.kind)
        got = {name: len(msp.query(f'*[layer=="{name}"]')) for name in want}
        assert got == want, part.id
        assert len(msp) == sum(want.values()), part.id  # nothing drawn off the template's layers
    assert {"drill", "groove", "cutout"} <= kinds
