"""Part numbers (``RW2612-0001 · P07``) and plain part names: derived from the order's parts alone, the
same wherever they are shown, in English and Chinese, with no internal id in them."""

from __future__ import annotations

import re

import pytest

from backend.bom.part_numbers import (
    label_cabinet,
    part_label,
    part_numbers,
    part_ref,
    part_words,
    plain_names,
    split_ref,
    unit_names,
)
from backend.bom.parts import parts_list
from backend.configurator import wording
from backend.configurator.catalog import Catalog, load_catalog
from backend.configurator.demo import demo_design
from backend.design.model import Design
from backend.errors import InvalidInput
from backend.web.i18n import gettext_for
from support.visible_text import ID_PATTERN, catalog_codes, internal_ids


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def design(catalog: Catalog) -> Design:
    return demo_design(catalog=catalog)


def test_numbers_are_sequential_and_sort_as_read() -> None:
    assert part_numbers(3) == ["P01", "P02", "P03"]
    assert part_numbers(99)[-1] == "P99"
    many = part_numbers(120)
    assert many[0] == "P001" and many[-1] == "P120" and sorted(many) == many
    assert part_numbers(0) == []


def test_ref_and_label_round_trip() -> None:
    assert part_ref("RW2612-0001", "P07") == "RW2612-0001-P07"
    assert part_label("RW2612-0001", "P07") == "RW2612-0001 · P07"
    assert split_ref("RW2612-0001-P07") == ("RW2612-0001", "P07")
    assert split_ref(part_ref("R2611", "P120")) == ("R2611", "P120")
    # label ids of labels printed before part numbers are no part number's key
    assert split_ref("RW2612-0001-cab-3-drawer_side-1l") is None
    assert split_ref("P07") is None and split_ref("RW2612-0001-P7") is None


def test_parts_list_numbers_every_part_once_in_order(design: Design, catalog: Catalog) -> None:
    plist = parts_list(design, catalog, "RW2612-0001")
    numbers = [p.number for p in plist.parts]
    assert numbers == part_numbers(len(plist.parts))
    first = plist.parts[0]
    assert len(plist.parts) >= 100 and first.number == "P001"  # the demo kitchen: three digits
    assert first.ref == "RW2612-0001-P001" and first.label == "RW2612-0001 · P001"
    assert plist.parts[-1].number == f"P{len(plist.parts)}"
    assert plist.find("RW2612-0001-P001") is first
    assert plist.find(first.id) is first  # the label id still finds it
    assert plist.find("RW2612-0001-P999") is None
    # a pure function of the order's parts: the same numbers every time, with or without machining
    again = parts_list(design, catalog, "RW2612-0001")
    assert [(p.id, p.ref) for p in again.parts] == [(p.id, p.ref) for p in plist.parts]
    unnumbered = parts_list(design, catalog)
    assert [p.label for p in unnumbered.parts] == numbers


def test_plain_names_name_the_part_and_its_unit(design: Design, catalog: Catalog) -> None:
    plist = parts_list(design, catalog, "RW2612-0001")
    units = unit_names(design, catalog)
    assert {c.id for c in design.cabinets} <= set(units)
    names = plain_names(plist.parts, units)
    codes = catalog_codes(catalog)
    for part in plist.parts:
        text = names[part.id]
        assert " — the " in text and " mm " in text, text
        assert not internal_ids(text, codes), text
    drawer = next(p for p in plist.parts if p.role == "drawer_side")
    assert re.match(r"Drawer \d left side — the \d+ mm drawer unit", names[drawer.id]), names[drawer.id]


def test_plain_names_in_chinese(design: Design, catalog: Catalog) -> None:
    """Every panel name the demo's parts carry, and the unit's words, read in Chinese."""
    plist = parts_list(design, catalog, "RW2612-0001")
    zh = gettext_for("zh_Hans").gettext
    names = plain_names(plist.parts, unit_names(design, catalog), zh)
    for part in plist.parts:
        text = names[part.id]
        assert not re.search(r"[A-Za-z]{3,}", text.replace(" mm", "")), text  # no English word left
        assert not ID_PATTERN.search(text), text
    assert wording.panel_name("Drawer 2 left side", zh) == "抽屉 2 左侧板"
    assert wording.panel_name("Back", zh) == "背板"  # not the pages' "go back"
    assert wording.panel_name("Back") == "Back" and wording.panel_name("Drawer 2 left side") == "Drawer 2 left side"


def test_every_panel_name_of_the_catalog_is_listed(catalog: Catalog) -> None:
    """The panel names the configurator gives (numbers as ``{n}``) are all in ``wording.PANEL_NAMES``, so
    ``make messages`` extracts them and a translation exists; one-piece units are named by their family."""
    from backend.configurator.construction import build_cabinet

    design = demo_design(catalog=catalog)
    template = design.cabinets[0]
    listed = set(wording.PANEL_NAMES)
    family_names = {f.name for f in catalog.families.values()}
    missing: set[str] = set()
    built = 0
    for code, family in catalog.families.items():
        sizes = {"width_mm": family.width.default, "depth_mm": family.depth.default,
                 "height_mm": family.height.default}
        cab = template.model_copy(update={"id": "cab-x", "family": code, "options": {}, **sizes})
        try:
            build = build_cabinet(cab, catalog, design.settings)
        except InvalidInput:  # a family that needs options the template lacks
            continue
        built += 1
        for panel in build.panels:
            if panel.name not in family_names and re.sub(r"\d+", "{n}", panel.name) not in listed \
                    and panel.name not in listed:
                missing.add(panel.name)
    assert built > len(catalog.families) // 2, built
    assert not missing, sorted(missing)


def test_old_label_ids_read_as_their_part_or_unit(design: Design, catalog: Catalog) -> None:
    """An after-sales request made from a label printed before part numbers holds the label id: it reads as
    the part's number and plain name, or, when the parts list no longer has that part, as a part of its
    unit, in the reader's language; nothing else is recognised as a label id."""
    plist = parts_list(design, catalog, "R2611")
    units = unit_names(design, catalog)
    part = next(p for p in plist.parts if p.cabinet_id == "cab-3" and p.role == "drawer_side")
    zh = gettext_for("zh_Hans").gettext
    for key in (part.id, part.label, part.ref):
        words = part_words(key, plist.parts, "R2611", units)
        assert words.startswith(part.label + " · Drawer 1 left side — the 600 mm drawer unit"), words
        assert "cab-" not in words.replace(part.label, "")
    zh_words = part_words(part.id, plist.parts, "R2611", units, zh)
    assert zh_words.startswith(part.label) and not re.search(r"[A-Za-z]{3,}", zh_words.replace(part.label, ""))
    # a panel the construction no longer makes: the unit is still recovered from the id
    gone = "R2611-cab-10-drawer_side-4r"
    assert label_cabinet(gone, "R2611", list(units)) == ("cab-10", 4)
    assert part_words(gone, plist.parts, "R2611", units) == f"Part 4 of {wording.name(units['cab-10'])}"
    assert part_words("R2611-cab-1-plinth_x", plist.parts, "R2611", units).startswith("A part of the ")
    assert "块板件" in part_words(gone, plist.parts, "R2611", units, zh)
    for other in ("R9999-cab-3-side-l", "R2611-cab-99-side-l", "the left door is scratched"):
        assert part_words(other, plist.parts, "R2611", units) == other
