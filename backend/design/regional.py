"""A design's region (its rule pack: worktop and plinth heights, clearances) and currency, from where
its owner or store is (pure).

The region follows the store's time zone when the design is started in a store (Asia/Shanghai → CN,
Europe/… → EU, America/… → US), else the person's language and country (``zh`` → CN, ``en-US`` → US,
another European language or ``en-GB`` → EU), else CN. The currency is the region's own when the
catalog has prices in it, else the catalog's: prices are never converted, so a design shows the
currency its prices are really in.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal, get_args

Region = Literal["CN", "EU", "US"]
Currency = Literal["CNY", "EUR", "USD"]
REGIONS: tuple[str, ...] = get_args(Region)
REGION_CURRENCY: dict[str, Currency] = {"CN": "CNY", "EU": "EUR", "US": "USD"}
_ZONE_REGION = {"Asia/Shanghai": "CN", "Asia/Chongqing": "CN", "Asia/Harbin": "CN", "Asia/Urumqi": "CN",
                "Asia/Hong_Kong": "CN", "Asia/Macau": "CN"}
_EUROPEAN = {"de", "fr", "it", "es", "nl", "sv", "da", "fi", "pl", "pt", "cs", "el", "hu", "ro", "sk", "sl",
             "bg", "hr", "et", "lv", "lt", "ga", "mt", "nb", "no"}


def region_for(locale: str | None = None, timezone: str | None = None) -> Region:
    """The region for a store's time zone (preferred) or a person's locale (``zh_Hans``, ``en-US`` …)."""
    if timezone:
        if timezone in _ZONE_REGION:
            return "CN"
        if timezone.startswith("Europe/"):
            return "EU"
        if timezone.startswith("America/") or timezone.startswith("US/"):
            return "US"
    if locale:
        parts = locale.replace("-", "_").split("_")
        language = parts[0].lower()
        country = parts[-1].upper() if len(parts) > 1 else ""
        if language == "zh":
            return "CN"
        if country == "US":
            return "US"
        if language in _EUROPEAN or country in ("GB", "IE", "MT"):
            return "EU"
    return "CN"


def currency_for(region: str, priced: Collection[str], catalog_currency: str) -> str:
    """The region's currency if the catalog has prices in it, else the catalog's own."""
    wanted = REGION_CURRENCY.get(region, catalog_currency)
    return wanted if wanted in priced else catalog_currency
