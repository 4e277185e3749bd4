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
