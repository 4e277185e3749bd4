"""Text in English and Simplified Chinese through Babel message catalogs, for every layer (pure).

Pages, services, jobs and the printed documents (labels, cut list, assembly sheets, the proposal) all
translate through here: this package imports no web framework, database or service, so the core and
the background jobs may use it (``backend.web.i18n`` re-exports it for the pages).  Templates mark text
with ``{{ _("...") }}`` / ``{% trans %}``, Python with ``N_`` (:mod:`backend.i18n.terms`,
:mod:`backend.configurator.wording`); ``make messages`` (pybabel extract/update) refreshes
``locales/zh_Hans/LC_MESSAGES/messages.po``. Catalogs are compiled in memory at first use, so no
compiled ``.mo`` files are committed.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from backend.i18n.terms import ENGLISH

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
SUPPORTED = ("en", "zh_Hans")
LABELS = {"en": "English", "zh_Hans": "简体中文"}
HTML_LANG = {"en": "en", "zh_Hans": "zh-Hans"}


class _English(gettext.NullTranslations):
    """English: the messages are the English text, except codes (``in_production``), which get their words."""

    def gettext(self, message: str) -> str:
        return ENGLISH.get(message, message)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    po_path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == "en" or not po_path.exists():
        return _English()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale.replace("_Hans", ""))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def normalize(code: str | None) -> str | None:
    """Map 'zh', 'zh-CN', 'zh_Hans', 'en-GB' … onto a supported locale, or None."""
    if not code:
        return None
    code = code.strip().replace("-", "_")
    if code in SUPPORTED:
        return code
    try:
        parsed = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return None
    if parsed.language == "zh" and parsed.script != "Hant" and parsed.territory not in ("TW", "HK", "MO"):
        return "zh_Hans"
    if parsed.language == "en":
        return "en"
    return None


def negotiate(accept_language: str | None, default: str = "en") -> str:
    """The best supported locale for an Accept-Language header (quality values honoured)."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        lang, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, lang))
    for neg_q, _, lang in sorted(ranked):
        found = normalize(lang)
        if found and neg_q < 0:
            return found
    return default


def gettext_for(locale: str | None) -> gettext.NullTranslations:
    """The translations of a supported locale; English for any other (or none)."""
    return translations(locale if locale in SUPPORTED else "en")


def supported(locale: str | None, default: str = "en") -> str:
    """``locale`` when it is a supported one (after :func:`normalize`), else ``default``."""
    return normalize(locale) or default
