"""The example in docs/design-format.md is a valid document (keeps the documentation true)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from backend.design.model import Design

DOC = Path(__file__).resolve().parents[2] / "docs" / "design-format.md"


def test_documented_example_validates() -> None:
    block = re.search(r"```json\n(.*?)```", DOC.read_text(), re.S)
    assert block is not None
    design = Design.model_validate(json.loads(block.group(1)))
    assert design.plan.rooms[0].area_m2 > 10
