"""One translation mechanism: every message in the templates has a Simplified Chinese translation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from backend.web import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_catalog_translates_every_extracted_message(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_",
                    "-k", "N_", "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    po_path = i18n.LOCALES_DIR / "zh_Hans" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(str(m) for m in wanted - translated)
    assert not missing, f"add Chinese translations for: {missing} (make messages)"


def test_negotiation() -> None:
    assert i18n.negotiate("zh-CN,zh;q=0.9") == "zh_Hans"
    assert i18n.negotiate("fr-FR, en;q=0.5") == "en"
    assert i18n.negotiate("en;q=0.4, zh;q=0.8") == "zh_Hans"
    assert i18n.negotiate("zh-TW") == "en"
    assert i18n.negotiate(None) == "en"
    assert i18n.gettext_for("zh_Hans").gettext("Log in") == "登录"


def test_every_catalog_name_and_code_word_has_chinese() -> None:
    """Catalog names (families, fronts and boards, handles, hardware, rule packs) and the words for codes
    (room types, styles, statuses, services) are read in Chinese too; the extraction above finds them
    (babel.cfg's catalog extractor), this checks the catalog itself, in case the extractor misses one."""
    from backend.configurator.catalog import load_catalog
    from backend.i18n import terms

    catalog = load_catalog()
    zh = i18n.gettext_for("zh_Hans").gettext
    names = [item.name for group in (catalog.families, catalog.materials, catalog.edge_bands, catalog.handles,
                                     catalog.hinges, catalog.slides, catalog.legs, catalog.fittings,
                                     catalog.rule_packs) for item in group.values()]
    words = [w for group in (terms.ROLES, terms.ORDER_STATUSES, terms.ROOM_TYPES, terms.STYLES, terms.SERVICES,
                             terms.QUOTE_SECTIONS, terms.SERVICE_REQUESTS) for w in group]
    missing = sorted({n for n in [*names, *words] if zh(n) == n})
    assert not missing, f"add Chinese translations for: {missing} (make messages)"
    styles = {s for m in catalog.materials.values() for s in m.styles}
    assert styles <= set(terms.STYLES), styles - set(terms.STYLES)  # a new style is a word to translate


def test_the_catalog_api_speaks_the_page_language() -> None:
    from backend.services.configurator import catalog_summary

    zh = catalog_summary(gettext=i18n.gettext_for("zh_Hans").gettext)
    en = catalog_summary()
    from backend.configurator.catalog import load_catalog

    assert [f["name"] for f in en["families"]] == [f.name for f in load_catalog().families.values()]
    assert all(not f["name"].isascii() for f in zh["families"])
    assert all(not m["name"].isascii() for m in zh["materials"])
