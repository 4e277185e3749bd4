"""Revision messages as keys and parameters, worded per reader (``wording.render_revision``)."""

from __future__ import annotations

from typing import get_args

from backend.configurator import commands, wording
from backend.web.i18n import gettext_for


def test_every_command_kind_has_words() -> None:
    union = get_args(commands.Command)[0]
    kinds = {get_args(cls.model_fields["kind"].annotation)[0] for cls in get_args(union)}
    assert kinds and kinds <= set(wording.CHANGES), kinds - set(wording.CHANGES)


def test_render_in_english_and_chinese() -> None:
    zh = gettext_for("zh_Hans").gettext
    change = {"change": "resize_cabinet", "unit": "Base unit, 2 doors", "width": 600}
    assert wording.render_revision("change", change) == "Resize cabinet: Base unit, 2 doors, 600 mm"
    assert wording.render_revision("change", change, zh) == "调整柜体尺寸：地柜，双门，600 mm"
    assert wording.render_revision("change_item", {"change": "move_item", "item": "fridge"}) == "Move item: fridge"
    assert "冰箱" in wording.render_revision("change_item", {"change": "move_item", "item": "fridge"}, zh)
    assert wording.render_revision("changes", {"n": 7}, zh) == "7 项修改"
    assert wording.render_revision("change_only", {"change": "batch"}) == "Several changes"
    # a person's words inside a system message stay theirs
    assert wording.render_revision("renamed", {"name": "Küche 3"}, zh) == "重命名为 Küche 3"
    assert wording.render_revision("measured", {"booking_id": "bkg-1a2b3c"}, zh) == "已上门测量"
    assert wording.render_revision("no_such_key", {}) == "no such key"
