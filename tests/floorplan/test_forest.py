"""The learned checks walk every tree at once (openings.forest_sum): the same values, to the last bit, as the
trees added one by one."""

from __future__ import annotations

import numpy as np
import pytest

from backend.floorplan import openings, rooms
from backend.floorplan.openings import forest_sum, stack_trees, tree_values


def _one_by_one(trees: list[openings.Tree], x: np.ndarray, bias: float) -> np.ndarray:
    z = np.full(len(x), bias)
    for tree in trees:
        z += tree_values(tree, x)
    return z


@pytest.mark.parametrize("model", [openings.load_model(), rooms.load_part_model()], ids=["openings", "rooms"])
def test_the_shipped_models_give_the_same_sums_walked_at_once(model: openings.OpeningModel | rooms.PartModel | None
                                                              ) -> None:
    assert model is not None
    width = 1 + max(int(node[0]) for tree in model.trees for node in tree)
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 3.0, (500, width)) * rng.choice([0.01, 1.0, 100.0], (500, width))
    x[::17, 0] = np.nan
    assert np.array_equal(forest_sum(stack_trees(model.trees), x, model.bias), _one_by_one(model.trees, x, model.bias))


def test_trees_of_different_depths_and_a_lone_leaf() -> None:
    stump: openings.Tree = [[-1, 0.0, 0, 0, 0.25]]
    deep: openings.Tree = [[0, 0.5, 1, 2, 0.0], [1, -1.0, 3, 4, 0.0], [-1, 0.0, 0, 0, -2.0],
                           [-1, 0.0, 0, 0, 1.5], [-1, 0.0, 0, 0, 0.5]]
    x = np.array([[0.0, -2.0], [0.0, 0.0], [1.0, -5.0]])
    assert forest_sum(stack_trees([stump, deep]), x, 1.0).tolist() == [2.75, 1.75, -0.75]
