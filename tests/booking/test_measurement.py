"""Measured room vs drawn plan: differences, the measured revision, and the approval gate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.booking.measurement import (
    Fixture,
    MeasuredRoom,
    Obstacle,
    RevisionStatus,
    apply_measurement,
    can_order,
    compare,
    decide,
    ensure_can_order,
    order_block_reason,
    request_approval,
    supersede,
)
from backend.booking.rules import Actor
from backend.design.model import Design
from backend.enums import Role
from backend.errors import Conflict, Forbidden, InvalidInput

NOW = datetime(2026, 6, 6, tzinfo=UTC)
WALL_IDS = ["wall-n", "wall-e", "wall-s", "wall-w"]


def kitchen(**extra: Any) -> Design:
    """A 4000 × 3000 mm rectangle drawn clockwise on screen: n, e, s, w; a window and a cabinet run."""
    corners = [(0, 0), (4000, 0), (4000, 3000), (0, 3000)]
    walls: list[dict[str, Any]] = [
        {"id": wid, "start": {"x": corners[i][0], "y": corners[i][1]},
         "end": {"x": corners[(i + 1) % 4][0], "y": corners[(i + 1) % 4][1]}}
        for i, wid in enumerate(WALL_IDS)]
    walls[0]["openings"] = [{"kind": "window", "id": "win-1", "offset_mm": 1000, "width_mm": 1200}]
    walls[3]["openings"] = [{"kind": "door", "id": "door-1", "offset_mm": 500, "width_mm": 800}]
    doc: dict[str, Any] = {
        "name": "Hana's kitchen",
        "plan": {"walls": walls, "rooms": [{"id": "room-k", "type": "kitchen", "polygon": [
            {"x": 50, "y": 50}, {"x": 3950, "y": 50}, {"x": 3950, "y": 2950}, {"x": 50, "y": 2950}]}]},
        "cabinets": [
            {"id": "cab-1", "family": "base_2_doors", "width_mm": 1200, "height_mm": 720, "depth_mm": 560,
             "placement": {"kind": "wall", "wall_id": "wall-n", "offset_mm": 2800}},
            {"id": "cab-isl", "family": "island", "width_mm": 1800, "height_mm": 900, "depth_mm": 900,
             "placement": {"kind": "free", "x_mm": 1000, "y_mm": 1200}},
        ],
    }
    doc.update(extra)
    return Design.model_validate(doc)


def measured(n: float = 4000, e: float = 3000, s: float = 4000, w: float = 3000, ceiling: float = 2700,
             **extra: Any) -> MeasuredRoom:
    return MeasuredRoom(wall_lengths_mm={"wall-n": n, "wall-e": e, "wall-s": s, "wall-w": w},
                        ceiling_height_mm=ceiling, **extra)


def assert_connected(design: Design) -> None:
    walls = design.plan.walls
    for a, b in zip(walls, walls[1:] + walls[:1], strict=True):
        assert a.end.distance_to(b.start) < 1e-6


def lengths(design: Design) -> dict[str, float]:
    return {w.id: round(w.length_mm, 3) for w in design.plan.walls}


def test_compare_lists_each_wall_and_the_ceiling() -> None:
    diffs = compare(kitchen(), measured(n=4030, e=2996, ceiling=2650))
    assert [(d.kind, d.target, d.delta_mm, d.significant) for d in diffs] == [
        ("wall_length", "wall-n", 30.0, True), ("wall_length", "wall-e", -4.0, False),
        ("wall_length", "wall-s", 0.0, False), ("wall_length", "wall-w", 0.0, False),
        ("ceiling_height", "ceiling", -50.0, True)]
    assert diffs[0].drawn_mm == 4000 and diffs[0].measured_mm == 4030
    assert len(compare(kitchen().plan, measured())) == 4  # a bare plan has no ceiling


def test_unknown_walls_are_named() -> None:
    with pytest.raises(InvalidInput) as err:
        compare(kitchen(), MeasuredRoom(wall_lengths_mm={"wall-x": 1000}, ceiling_height_mm=2600))
    assert err.value.field == "wall_lengths_mm.wall-x"
    socket = Fixture(kind="socket", wall_id="wall-q", offset_mm=300, height_mm=1100)
    with pytest.raises(InvalidInput) as err:
        apply_measurement(kitchen(), measured(fixtures=[socket]))
    assert err.value.field == "fixtures.0.wall_id"


def test_consistent_measurement_gives_every_wall_its_length() -> None:
    design = kitchen()
    room = measured(n=4030, e=2990, s=4030, w=2990, ceiling=2655,
                    fixtures=[Fixture(kind="water", wall_id="wall-n", offset_mm=3300, height_mm=450)],
                    obstacles=[Obstacle(kind="pipe", wall_id="wall-e", offset_mm=100, width_mm=80,
                                        height_mm=2655)])
    new = apply_measurement(design, room)
    assert lengths(new) == {"wall-n": 4030, "wall-e": 2990, "wall-s": 4030, "wall-w": 2990}
    assert_connected(new)
    assert new.settings.ceiling_height_mm == 2655
    assert new.plan.walls[0].start == design.plan.walls[0].start  # the anchor stays put
    assert Design.model_validate(new.model_dump()) == new
    assert all(not d.significant for d in compare(new, room))
    assert [(p.x, p.y) for p in new.plan.rooms[0].polygon] == [(50, 50), (3980, 50), (3980, 2940), (50, 2940)]
    assert design.plan.walls[0].length_mm == 4000  # the input is not changed


def test_out_of_square_room_leaves_the_difference_on_the_closing_wall() -> None:
    room = measured(n=4030, e=3000, s=4010, w=3000, out_of_square_mm=12)
    new = apply_measurement(kitchen(), room)
    assert_connected(new)
    got = lengths(new)
    assert (got["wall-n"], got["wall-e"], got["wall-s"]) == (4030, 3000, 4010)
    left = [d for d in compare(new, room) if d.kind == "wall_length" and abs(d.delta_mm) > 0.05]
    assert [d.target for d in left] == ["wall-w"]  # the last wall, D→A, absorbs it
    w = new.plan.wall("wall-w")
    assert (w.start.x, w.end.x) == (20, 0)  # skewed by the 20 mm the two long walls disagree


def test_cabinet_is_pushed_back_when_its_wall_shrinks() -> None:
    new = apply_measurement(kitchen(), measured(n=3900, s=3900))
    cab = new.cabinet("cab-1")
    assert cab.placement.kind == "wall" and cab.placement.offset_mm == pytest.approx(2700)
    island = new.cabinet("cab-isl")
    assert island.placement == kitchen().cabinet("cab-isl").placement


def test_too_short_walls_are_refused_with_the_reason() -> None:
    with pytest.raises(InvalidInput) as err:
        apply_measurement(kitchen(), measured(n=1100, s=1100))
    assert "cab-1" in err.value.detail
    with pytest.raises(InvalidInput) as err:  # the window (1000–2200 mm) no longer fits on 2100 mm
        apply_measurement(kitchen(), measured(n=2100, s=2100))
    assert "win-1" in err.value.detail


def test_open_chain_and_unmeasured_walls_keep_their_drawn_length() -> None:
    walls = [
        {"id": "wall-a", "start": {"x": 0, "y": 0}, "end": {"x": 3000, "y": 0}},
        {"id": "wall-b", "start": {"x": 3000, "y": 0}, "end": {"x": 3000, "y": 2000}},
        {"id": "wall-c", "start": {"x": 5000, "y": 2000}, "end": {"x": 3000, "y": 2000}},  # drawn backwards
    ]
    design = Design.model_validate({"plan": {"walls": walls}})
    room = MeasuredRoom(wall_lengths_mm={"wall-a": 3050, "wall-c": 1950}, ceiling_height_mm=2800)
    new = apply_measurement(design, room)
    assert lengths(new) == {"wall-a": 3050, "wall-b": 2000, "wall-c": 1950}
    a, b, c = new.plan.walls
    assert a.end == b.start and b.end == c.end
    assert (c.start.x, c.start.y) == (5000, 2000)  # kept its direction from the shared joint


@settings(max_examples=40, deadline=None)
@given(deltas=st.lists(st.floats(-150, 150, allow_nan=False), min_size=4, max_size=4),
       ceiling=st.floats(2300, 3200))
def test_any_small_measurement_keeps_a_valid_connected_design(deltas: list[float], ceiling: float) -> None:
    n, e, s, w = (base + d for base, d in zip((4000, 3000, 4000, 3000), deltas, strict=True))
    new = apply_measurement(kitchen(), measured(n, e, s, w, ceiling))
    assert_connected(new)
    got = lengths(new)
    assert got["wall-n"] == pytest.approx(n) and got["wall-e"] == pytest.approx(e)
    assert got["wall-s"] == pytest.approx(s)
    assert new.settings.ceiling_height_mm == ceiling


# --- approval -------------------------------------------------------------------------------

HOMEOWNER = Actor(Role.HOMEOWNER, "usr-hana")


def test_only_an_approved_revision_can_be_ordered() -> None:
    record = request_approval("dsg-1", 4, "usr-hana", NOW, booking_id="bkg-1")
    assert not can_order(record.status) and not can_order(None)
    with pytest.raises(Conflict) as err:
        ensure_can_order(record.status)
    assert "not approved" in err.value.detail
    approved = decide(record, HOMEOWNER, "approve", NOW)
    assert approved.status is RevisionStatus.APPROVED and can_order(approved.status)
    assert can_order("approved") and order_block_reason("approved") is None
    ensure_can_order(approved.status)
    assert not can_order(supersede(approved).status)
    assert order_block_reason("bogus") == "unknown approval status 'bogus'"


def test_asking_for_changes_needs_a_comment_and_blocks_ordering() -> None:
    record = request_approval("dsg-1", 4, "usr-hana", NOW)
    with pytest.raises(InvalidInput):
        decide(record, HOMEOWNER, "request_changes", NOW, " ")
    changes = decide(record, HOMEOWNER, "request_changes", NOW, "the tall unit must clear the beam")
    assert changes.comment == "the tall unit must clear the beam"
    assert order_block_reason(changes.status) == "the customer asked for changes to this revision"
    with pytest.raises(Conflict):
        decide(changes, HOMEOWNER, "approve", NOW)
    with pytest.raises(Forbidden):
        decide(record, Actor(Role.DESIGNER, "des-anna"), "approve", NOW)
