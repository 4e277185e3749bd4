"""Commands are undoable: applying a command and then its inverse gives back the original design."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from backend.configurator.catalog import Catalog
from backend.configurator.commands import (
    AddCabinet,
    AddItem,
    Batch,
    ChangeCabinet,
    Command,
    DeleteCabinet,
    DeleteItem,
    DuplicateCabinet,
    MoveCabinet,
    ResizeCabinet,
    apply,
    apply_checked,
)
from backend.configurator.demo import demo_design
from backend.design.model import Design, FreePlacement, PlacedCabinet, PlacedItem, WallPlacement
from backend.errors import InvalidInput, NotFound


@pytest.fixture(scope="module")
def design(catalog: Catalog) -> Design:
    return demo_design(catalog=catalog)


def _commands(design: Design) -> list[Command]:
    new_cab = PlacedCabinet(id="cab-new", family="base_1_door", width_mm=400, height_mm=720, depth_mm=578,
                            elevation_mm=100, placement=FreePlacement(x_mm=1500, y_mm=1500))
    item = PlacedItem(id="item-bin", kind="bin", width_mm=300, height_mm=600, depth_mm=300,
                      placement=FreePlacement(x_mm=2000, y_mm=2000))
    return [
        AddCabinet(cabinet=new_cab),
        AddCabinet(cabinet=new_cab, index=0),
        DeleteCabinet(cabinet_id="cab-3"),
        MoveCabinet(cabinet_id="cab-3", placement=WallPlacement(wall_id="wall-top-1", offset_mm=2650,
                                                                side="right")),
        MoveCabinet(cabinet_id="cab-3", placement=FreePlacement(x_mm=1500, y_mm=1500, rotation_deg=90),
                    elevation_mm=120),
        ResizeCabinet(cabinet_id="cab-3", width_mm=550),
        ResizeCabinet(cabinet_id="cab-1", height_mm=700, depth_mm=560),
        ChangeCabinet(cabinet_id="cab-3", changes={"front_material": "oak_veneer_19", "handle": None}),
        ChangeCabinet(cabinet_id="cab-3", changes={"family": "base_2_drawers", "options": {}}),
        ChangeCabinet(cabinet_id="cab-1", changes={"options": {"blind_width_mm": 700}}),
        DuplicateCabinet(cabinet_id="cab-3", new_id="cab-copy", placement=FreePlacement(x_mm=1500, y_mm=1500)),
        AddItem(item=item),
        DeleteItem(item_id="item-dishwasher"),
        Batch(commands=[DeleteCabinet(cabinet_id="cab-2"), AddCabinet(cabinet=new_cab),
                        ResizeCabinet(cabinet_id="cab-new", width_mm=450)]),
    ]


@pytest.mark.parametrize("n", range(14))
def test_command_then_inverse_restores_the_design(design: Design, n: int) -> None:
    command = _commands(design)[n]
    changed, inverse = apply(design, command)
    assert changed != design
    restored, redo = apply(changed, inverse)
    assert restored == design
    assert restored.model_dump() == design.model_dump()
    again, _ = apply(restored, redo)
    assert again == changed


def test_commands_are_json(design: Design) -> None:
    adapter: TypeAdapter[Command] = TypeAdapter(Command)
    for command in _commands(design):
        assert adapter.validate_json(adapter.dump_json(command)) == command


def test_invalid_edits_are_refused(design: Design, catalog: Catalog) -> None:
    with pytest.raises(NotFound):
        apply(design, DeleteCabinet(cabinet_id="cab-404"))
    with pytest.raises(InvalidInput):  # runs past the end of the wall
        apply(design, MoveCabinet(cabinet_id="cab-3", placement=WallPlacement(wall_id="wall-top-1",
                                                                              offset_mm=3500, side="right")))
    with pytest.raises(InvalidInput) as err:
        apply_checked(design, ResizeCabinet(cabinet_id="cab-2", width_mm=1300), catalog)
    assert err.value.field == "width_mm"
    new, _, findings = apply_checked(design, ResizeCabinet(cabinet_id="cab-3", width_mm=700), catalog)
    assert new.cabinet("cab-3").width_mm == 700
    assert any(f.rule == "overlap" for f in findings)  # it now runs into its neighbour


def test_move_item_and_its_inverse(design: Design) -> None:
    from backend.configurator.commands import MoveItem, apply

    item = next(i for i in design.items if isinstance(i.placement, WallPlacement))
    assert isinstance(item.placement, WallPlacement)
    moved, inverse = apply(design, MoveItem(item_id=item.id, placement=WallPlacement(
        wall_id=item.placement.wall_id, offset_mm=item.placement.offset_mm + 10, side=item.placement.side)))
    assert next(i for i in moved.items if i.id == item.id).placement != item.placement
    assert apply(moved, inverse)[0] == design
    with pytest.raises(NotFound):
        apply(design, MoveItem(item_id="item-nope", placement=item.placement))
