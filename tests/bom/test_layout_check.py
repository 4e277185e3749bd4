"""The independent layout checker on hand-made layouts, valid and broken."""

from __future__ import annotations

from typing import Any

from backend.bom.layout_check import check_layout, check_sheet


def _layout(
    placements: list[tuple[str, float, float, float, float, bool]],
    *,
    board: tuple[float, float] = (100.0, 100.0),
    trim: float = 0.0,
    kerf: float = 0.0,
    stages: int = 3,
    rotate: bool = True,
    material: str = "M",
) -> dict[str, Any]:
    return {
        "settings": {"trim": trim, "kerf": kerf, "stages": stages, "rotate": rotate},
        "materials": [
            {
                "material": material,
                "board": {"length": board[0], "width": board[1]},
                "sheets": [
                    {
                        "placements": [
                            {"part_id": pid, "x": x, "y": y, "width": w, "height": h, "rotated": r}
                            for pid, x, y, w, h, r in placements
                        ]
                    }
                ],
            }
        ],
    }


def _parts(*specs: tuple[str, float, float], locked: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{"id": i, "width": w, "height": h, "grain_locked": i in locked} for i, w, h in specs]


def test_valid_layout_with_kerf_and_trim_passes() -> None:
    layout = _layout(
        [("a", 10, 10, 40, 30, False), ("b", 54, 10, 30, 30, False), ("c", 10, 44, 20, 40, True)],
        trim=10, kerf=4,
    )
    parts = _parts(("a", 40, 30), ("b", 30, 30), ("c", 40, 20))
    assert check_layout(layout, parts) == []


def test_overlap_is_reported() -> None:
    layout = _layout([("a", 0, 0, 50, 50, False), ("b", 40, 40, 50, 50, False)])
    problems = check_layout(layout, _parts(("a", 50, 50), ("b", 50, 50)))
    assert any("overlap" in p and "'a'" in p and "'b'" in p for p in problems)


def test_parts_closer_than_kerf_are_reported() -> None:
    layout = _layout([("a", 0, 0, 50, 50, False), ("b", 52, 0, 40, 50, False)], kerf=4)
    problems = check_layout(layout, _parts(("a", 50, 50), ("b", 40, 50)))
    assert any("closer than the kerf" in p for p in problems)
    # exactly one kerf apart is fine
    ok = _layout([("a", 0, 0, 50, 50, False), ("b", 54, 0, 40, 50, False)], kerf=4)
    assert check_layout(ok, _parts(("a", 50, 50), ("b", 40, 50))) == []


def test_part_in_the_trim_is_out_of_bounds() -> None:
    layout = _layout([("a", 5, 10, 50, 50, False)], trim=10)
    problems = check_layout(layout, _parts(("a", 50, 50)))
    assert any("leaves the trimmed board" in p for p in problems)
    far = _layout([("a", 10, 10, 85, 50, False)], trim=10)
    assert any("leaves the trimmed board" in p for p in check_layout(far, _parts(("a", 85, 50))))


def test_rotated_grain_locked_part_is_reported() -> None:
    layout = _layout([("door", 0, 0, 30, 70, True)])
    problems = check_layout(layout, _parts(("door", 70, 30), locked=("door",)))
    assert problems == ["material 'M' sheet 1: grain-locked part 'door' is rotated"]


def test_rotation_when_rotation_is_off_and_wrong_size() -> None:
    layout = _layout([("a", 0, 0, 30, 70, True), ("b", 40, 0, 20, 20, False)], rotate=False)
    problems = check_layout(layout, _parts(("a", 70, 30), ("b", 20, 25)))
    assert any("rotation is off" in p for p in problems)
    assert any("'b' placed as 20×20 but is 20×25" in p for p in problems)


def test_missing_duplicate_and_unknown_parts() -> None:
    layout = _layout([("a", 0, 0, 10, 10, False), ("a", 20, 0, 10, 10, False), ("zz", 40, 0, 5, 5, False)])
    problems = check_layout(layout, _parts(("a", 10, 10), ("b", 10, 10)))
    assert "part 'b' is not placed" in problems
    assert "part 'a' is placed 2 times" in problems
    assert any("'zz' is not in the cut list" in p for p in problems)


def test_wrong_material_is_reported() -> None:
    layout = _layout([("a", 0, 0, 10, 10, False)], material="oak")
    parts = [{"id": "a", "width": 10, "height": 10, "material": "white"}]
    assert any("wrong board" in p for p in check_layout(layout, parts))


def test_pinwheel_is_not_guillotine() -> None:
    pinwheel = [
        ("n", 0, 0, 60, 40, False),
        ("e", 60, 0, 40, 60, False),
        ("s", 40, 60, 60, 40, False),
        ("w", 0, 40, 40, 60, False),
        ("c", 40, 40, 20, 20, False),
    ]
    parts = _parts(*[(p[0], p[3], p[4]) for p in pinwheel])
    for stages in (2, 3, 4):
        problems = check_layout(_layout(pinwheel, stages=stages), parts)
        assert len(problems) == 1 and "cannot be cut" in problems[0]


def _staircase() -> list[tuple[str, float, float, float, float, bool]]:
    """Needs exactly four stages (y, x, y, x), the last one splitting two parts."""
    return [
        ("a", 0, 0, 100, 20, False),
        ("b", 0, 20, 20, 80, False),
        ("c", 20, 20, 80, 20, False),
        ("d", 20, 40, 20, 60, False),
        ("g", 40, 40, 60, 60, False),
    ]


def test_four_stage_layout_rejected_at_three_stages() -> None:
    layout = _staircase()
    parts = _parts(*[(p[0], p[3], p[4]) for p in layout])
    assert check_layout(_layout(layout, stages=4), parts) == []
    problems = check_layout(_layout(layout, stages=3), parts)
    assert len(problems) == 1 and "3 guillotine stages" in problems[0]


def test_three_stages_plus_trim_accepted_but_not_two() -> None:
    # strip 0..50: a stack of a narrow part (needs a trim) under a full-width one, then a stack
    layout = [
        ("n", 0, 0, 40, 20, False),
        ("f", 0, 20, 50, 30, False),
        ("r", 50, 0, 50, 50, False),
        ("t", 0, 50, 100, 50, False),
    ]
    parts = _parts(*[(p[0], p[3], p[4]) for p in layout])
    assert check_layout(_layout(layout, stages=3), parts) == []
    assert len(check_layout(_layout(layout, stages=2), parts)) == 1


def test_two_stage_with_trim_accepted() -> None:
    layout = [("a", 0, 0, 50, 40, False), ("b", 50, 0, 50, 30, False), ("c", 0, 40, 100, 60, False)]
    parts = _parts(*[(p[0], p[3], p[4]) for p in layout])
    assert check_layout(_layout(layout, stages=2), parts) == []


def test_either_first_cut_direction_is_accepted() -> None:
    # vertical strips: parts stacked in columns
    layout = [("a", 0, 0, 30, 100, False), ("b", 30, 0, 70, 40, False), ("c", 30, 40, 70, 60, False)]
    parts = _parts(*[(p[0], p[3], p[4]) for p in layout])
    assert check_layout(_layout(layout, stages=2), parts) == []


def test_listed_cut_through_a_part_is_reported() -> None:
    placements = [{"part_id": "a", "x": 0, "y": 0, "width": 50, "height": 50, "rotated": False}]
    good = [{"stage": 1, "kind": "cut", "x1": 50, "y1": 0, "x2": 50, "y2": 100}]
    bad = [{"stage": 1, "kind": "cut", "x1": 48, "y1": 0, "x2": 48, "y2": 100},
           {"stage": 7, "kind": "cut", "x1": 0, "y1": 60, "x2": 100, "y2": 60}]
    assert check_sheet(100, 100, placements, trim=0, kerf=4, stages=3, cuts=good) == []
    problems = check_sheet(100, 100, placements, trim=0, kerf=4, stages=3, cuts=bad)
    assert any("runs through part 'a'" in p for p in problems)
    assert any("stage 7" in p for p in problems)


def test_kerf_blocks_a_cut_between_touching_groups() -> None:
    # two columns 2 mm apart cannot be separated by a 4 mm blade even if nothing overlaps
    placements = [
        {"part_id": "a", "x": 0, "y": 0, "width": 49, "height": 100, "rotated": False},
        {"part_id": "b", "x": 51, "y": 0, "width": 49, "height": 100, "rotated": False},
    ]
    problems = check_sheet(100, 100, placements, trim=0, kerf=4, stages=3)
    assert any("closer than the kerf" in p for p in problems)
