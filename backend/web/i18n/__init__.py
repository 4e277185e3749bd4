"""The pages' translations: :mod:`backend.i18n` (layer-neutral, so services, jobs and the printed
documents use the same catalogs), re-exported for the web layer."""

from backend.i18n import (
    HTML_LANG,
    LABELS,
    LOCALES_DIR,
    SUPPORTED,
    gettext_for,
    negotiate,
    normalize,
    supported,
    translations,
)

__all__ = ["HTML_LANG", "LABELS", "LOCALES_DIR", "SUPPORTED", "gettext_for", "negotiate", "normalize", "supported",
           "translations"]
