"""The language of a printed document: its words (a ``gettext``) and the fonts that can draw them (pure).

Every printed document (part labels, assembly sheets, the cut list and the other tables of the order
package, the customer's proposal) is written in one locale: ``Print.of("zh_Hans")`` translates through
the project's catalogs (:mod:`backend.i18n`) and draws with a font that has the Chinese glyphs.

Fonts: English keeps reportlab's built-in Helvetica (so English documents are what they always were);
Chinese uses WenQuanYi Zen Hei (Debian's ``fonts-wqy-zenhei``, in the Makefile's system packages),
embedded as a subset so any viewer shows it. When that font file is absent the document falls back on
reportlab's built-in ``STSong-Light`` CID font, which is not embedded: viewers without an Asian font
pack may show blanks, so a warning says so (``Print.note`` carries the same words).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from backend.i18n import gettext_for, supported

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Marks a document's words for extraction (``make messages``); :class:`Print` translates them."""
    return message


LOG = logging.getLogger(__name__)

CJK_FONT_FILES = (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
                  Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"))
"""Where Debian (and some other systems) put WenQuanYi Zen Hei; the first one present is used."""
CJK_FONT = "WenQuanYiZenHei"
CJK_FALLBACK = "STSong-Light"
FALLBACK_NOTE = ("fonts-wqy-zenhei is not installed: Chinese documents use reportlab's non-embedded STSong-Light "
                 "font, which viewers without an Asian font pack may not show (install fonts-wqy-zenhei)")


@dataclass(frozen=True)
class Print:
    """A document's locale, its translations and its regular and bold fonts (registered with reportlab)."""

    locale: str
    gettext: Gettext
    font: str
    bold: str
    note: str = ""
    """Why the fonts are not the intended ones (empty when they are)."""

    @staticmethod
    def of(locale: str | None = None) -> Print:
        """The document language for ``locale`` (any spelling :func:`backend.i18n.normalize` knows;
        English for an unknown or missing one)."""
        return _print(supported(locale))

    @property
    def english(self) -> bool:
        return self.locale == "en"

    def __call__(self, message: str, **params: object) -> str:
        """``message`` translated, then ``{name}`` fields filled with ``params`` (numbers as given)."""
        words = self.gettext(message)
        if not params:
            return words
        try:
            return words.format(**params)
        except (KeyError, IndexError, ValueError):
            return message.format(**params)


@cache
def _print(locale: str) -> Print:
    words = gettext_for(locale).gettext
    if not locale.startswith("zh"):
        return Print(locale, words, "Helvetica", "Helvetica-Bold")
    font, note = cjk_font()
    return Print(locale, words, font, font, note)


@cache
def cjk_font() -> tuple[str, str]:
    """The registered name of a font with Chinese glyphs, and a note when it is only the fallback."""
    for path in CJK_FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(path), subfontIndex=0))
            return CJK_FONT, ""
    LOG.warning(FALLBACK_NOTE)
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FALLBACK))
    return CJK_FALLBACK, FALLBACK_NOTE


TAX_NAMES = [N_("VAT")]
"""The rule packs' tax names (``PricingRules.tax_name``), printed on the proposal's quote."""

ENGLISH = Print.of("en")
