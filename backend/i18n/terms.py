"""Words that templates translate from data (roles, statuses, room types), listed for extraction.

``N_`` only marks a string for ``pybabel extract``; the lookup happens in the template with ``_()``.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


ROLES = [N_("homeowner"), N_("designer"), N_("store_manager"), N_("installer"), N_("factory"), N_("admin")]
ORDER_STATUSES = [N_("submitted"), N_("accepted"), N_("in_production"), N_("shipped"), N_("installed"),
                  N_("cancelled")]
ROOM_TYPES = [N_("kitchen"), N_("living"), N_("dining"), N_("bedroom"), N_("bathroom"), N_("toilet"), N_("hall"),
              N_("closet"), N_("balcony"), N_("study"), N_("laundry"), N_("storage"), N_("other")]
QUOTE_SECTIONS = [N_("assembly"), N_("boards"), N_("cabinets"), N_("countertops"), N_("edge_bands"),
                  N_("hardware"), N_("machining")]
CATALOG_ROOMS = [N_("kitchen"), N_("wardrobe"), N_("living"), N_("hall"), N_("study"), N_("bathroom"), N_("bedroom")]
"""The catalog's grouping of families by room (``Family.room``)."""
SEVERITIES = [N_("error"), N_("warning")]
GRAIN = [N_("length"), N_("none")]
STYLES = [N_("modern"), N_("Nordic"), N_("Chinese"), N_("Mediterranean"), N_("industrial"), N_("minimalist"),
          N_("classic")]
SERVICES = [N_("online_consultation"), N_("store_consultation"), N_("home_measurement"), N_("installation")]
SERVICE_REQUESTS = [N_("repair"), N_("maintenance"), N_("replacement_part"), N_("open"), N_("assigned"),
                    N_("scheduled"), N_("closed")]
POINTS_REASONS = [N_("design_published"), N_("rating_given"), N_("rating_received"), N_("order_completed"),
                  N_("referral"), N_("redemption"), N_("redemption_refund"), N_("compensation"), N_("tip_given"),
                  N_("tip_received")]
MEMBERSHIP_LEVELS = [N_("member"), N_("silver"), N_("gold")]
PREBOOKING_STATUSES = [N_("held"), N_("booked")]
ESCROW = [N_("order_deposit"), N_("order_balance"), N_("service_fee"), N_("prebooking_deposit"), N_("authorized"),
          N_("held"), N_("released"), N_("refunded")]
ANALYTICS_KINDS = [N_("store"), N_("designer"), N_("installer_team")]
ANALYTICS_CSV = [N_("Period"), N_("Kind"), N_("Name"), N_("Store")]
"""The fixed words of the analytics CSV (``backend.services.analytics.to_csv``)."""
ANALYTICS_COLUMNS: dict[str, str] = {
    "bookings": N_("Bookings"), "completed": N_("Completed"), "cancelled": N_("Cancelled"),
    "no_shows": N_("No-shows"), "measurements": N_("Measurements"),
    "measurements_ordered": N_("Measurements followed by an order"), "conversion": N_("Measurement to order (%)"),
    "ratings": N_("Ratings"), "average_rating": N_("Average rating"), "cases_opened": N_("Follow-ups opened"),
    "cases_acknowledged": N_("Follow-ups acknowledged"), "cases_closed": N_("Follow-ups closed"),
    "hours_to_close": N_("Hours to close (mean)"), "installations_timed": N_("Installations with arrival"),
    "installations_on_time": N_("Installations on time"), "on_time_rate": N_("On time (%)"),
    "repeat_customers": N_("Repeat customers"), "referred_customers": N_("Referred customers"),
    "referral_points": N_("Referral points"), "orders": N_("Orders"), "revenue_cents": N_("Revenue"),
    "installed": N_("Installed"),
}
"""The store analytics' figures (``backend.commerce.analytics.Figures``) and their headings."""
BUDGET_BANDS = [N_("under_20k"), N_("20k_50k"), N_("50k_100k"), N_("over_100k")]

ENGLISH = {code: code.replace("_", " ") for group in (ROLES, ORDER_STATUSES, QUOTE_SECTIONS, SERVICES,
                                                       SERVICE_REQUESTS, POINTS_REASONS, ESCROW, ANALYTICS_KINDS)
           for code in group if "_" in code} | {
    "under_20k": "under 20,000", "20k_50k": "20,000–50,000", "50k_100k": "50,000–100,000", "over_100k": "over 100,000"}
"""The English words for the codes above that are not words themselves (``in_production`` → "in production"):
English pages show no codes either."""

QUOTE_LINES = [N_("Cutting, edge banding and drilling per panel"), N_("Assembly per cabinet")]
"""The quote's own line descriptions (backend/bom/pricing.py); the others are catalog names."""
