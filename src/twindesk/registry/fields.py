"""The fields of every record kind: label, limits, type, and whether sync
protects them. The form shows these, the service validates by them, the
history and the conflict queue name columns by their labels.

Choices that come from the seed (kinds, stages, areas, sectors, measures)
are functions, read when a form is built: the seed is data, not code.
"""

from __future__ import annotations

from twindesk import taxonomy
from twindesk.registry.spec import Choices, FieldSpec

CITY_HINT = "English, 한글 or an old spelling (→ completes)"


def _terms(name: str) -> Choices:
    return tuple((t.name, t.key) for t in getattr(taxonomy.load(), name))


def _areas() -> Choices:
    return tuple((a.name, a.key) for a in taxonomy.load().areas)


def _plain(values: tuple[str, ...]) -> Choices:
    return tuple((v.capitalize(), v) for v in values)


CITY = (
    FieldSpec("name", "English name", required=True, max_len=60, placeholder="e.g. Busan"),
    FieldSpec("hangul", "Hangul name", max_len=20, placeholder="e.g. 부산"),
    FieldSpec("province", "Province", max_len=80, placeholder="e.g. South Gyeongsang Province"),
    FieldSpec("kind", "Kind", "choice", choices=tuple((k, k) for k in taxonomy.CITY_KINDS)),
    FieldSpec("industries", "Industries", "items", max_len=80, hint="Separate industries with commas.",
              placeholder="e.g. Tourism, Port logistics"),
    FieldSpec("romanisations", "Older romanisations", "items", max_len=40,
              hint="Spellings people still type, separated by commas.", placeholder="e.g. Pusan"),
    FieldSpec("notes", "Notes", "notes", max_len=5000),
)

STAGE_DATE = "stage_changed_on"  # the date of a stage change; not a column of partnership

PARTNERSHIP = (
    FieldSpec("city", "Korean city", "city", column="city_id", required=True,
              placeholder="e.g. Busan, 부산 or Pusan (→ completes)", suggest="city"),
    FieldSpec("kind", "Kind", "choice", choices=lambda: _terms("kinds")),
    FieldSpec("stage", "Stage", "choice", choices=lambda: _terms("stages"), protected=True),
    FieldSpec(STAGE_DATE, "Stage changed on", "date", column="", placeholder="YYYY-MM-DD",
              hint="The date of the stage change; today if blank."),
    FieldSpec("signed_on", "Signed on", "date", placeholder="YYYY-MM-DD (needed once signed)", protected=True),
    FieldSpec("signed_place", "Signed at", max_len=120, placeholder="e.g. Busan City Hall", protected=True),
    FieldSpec("signatories_home", "Our signatories", max_len=300, placeholder="e.g. the Mayor", protected=True),
    FieldSpec("signatories_partner", "Their signatories", max_len=300, placeholder="e.g. Mayor of Busan",
              protected=True),
    FieldSpec("areas", "Cooperation areas", "multi", choices=_areas, hint="space ticks an area"),
    FieldSpec("sectors", "Sectors", "multi", choices=lambda: _terms("sectors"), hint="space ticks a sector"),
    FieldSpec("notes", "Notes", "notes", max_len=5000),
)

STAGE_CHANGE = (
    FieldSpec("partnership_id", "Partnership", "hidden", required=True),
    FieldSpec("stage", "Stage", "choice", choices=lambda: _terms("stages")),
    FieldSpec("changed_on", "Changed on", "date", required=True),
    FieldSpec("note", "Note", max_len=500),
)

CONTACT = (
    FieldSpec("partnership_id", "Partnership", "hidden", required=True),
    FieldSpec("name", "Name", required=True, max_len=120, placeholder="e.g. Kim Min-jun"),
    FieldSpec("title", "Title", max_len=120, placeholder="e.g. Director of International Relations"),
    FieldSpec("organisation", "Organisation", max_len=160, placeholder="e.g. Busan Metropolitan City"),
    FieldSpec("email", "E-mail", max_len=254, placeholder="name@example.org"),
    FieldSpec("phone", "Phone", max_len=40, placeholder="e.g. +82 51 888 1234"),
    FieldSpec("language", "Language", max_len=40, placeholder="e.g. Korean, English"),
)

VISIT_DIRECTIONS = ("inbound", "outbound")
VISIT_STATUSES = ("planned", "confirmed", "done", "cancelled")
DIRECTION_LABELS = {"inbound": "Inbound: a delegation comes to us", "outbound": "Outbound: we go to Korea"}

VISIT = (
    FieldSpec("direction", "Direction", "choice",
              choices=tuple((DIRECTION_LABELS[d], d) for d in VISIT_DIRECTIONS)),
    FieldSpec("city", "Korean city", "city", column="city_id", required=True, placeholder=CITY_HINT,
              suggest="city"),
    FieldSpec("start_date", "Start", "date", required=True, placeholder="YYYY-MM-DD", protected=True),
    FieldSpec("end_date", "End", "date", required=True, placeholder="YYYY-MM-DD (the last day)", protected=True),
    FieldSpec("purpose", "Purpose", max_len=200, placeholder="e.g. Port logistics study visit"),
    FieldSpec("areas", "Cooperation areas", "multi", choices=_areas, hint="space ticks an area"),
    FieldSpec("status", "Status", "choice", choices=_plain(VISIT_STATUSES), protected=True),
    FieldSpec("budget_amount", "Budget", "amount", placeholder="e.g. 12500.00 (optional)"),
    FieldSpec("budget_currency", "Currency", "currency", placeholder="ISO code, e.g. EUR or KRW (→ completes)",
              suggest="currency"),
    FieldSpec("notes", "Notes", "notes", max_len=5000),
)

MEMBER = (
    FieldSpec("visit_id", "Visit", "hidden", required=True),
    FieldSpec("name", "Name", required=True, max_len=120, placeholder="e.g. Kim Min-jun"),
    FieldSpec("title", "Title", max_len=120, placeholder="e.g. Deputy Mayor"),
    FieldSpec("organisation", "Organisation", max_len=160, placeholder="e.g. Busan Metropolitan City"),
    FieldSpec("role", "Role", max_len=80, placeholder="e.g. head of delegation, interpreter (→ completes)",
              suggest="role"),
    FieldSpec("dietary", "Dietary needs", max_len=200, placeholder="e.g. vegetarian, no pork"),
    FieldSpec("contact", "Contact", max_len=200, placeholder="e-mail or phone"),
)

ITINERARY = (
    FieldSpec("visit_id", "Visit", "hidden", required=True),
    FieldSpec("day", "Day", "date", required=True, placeholder="YYYY-MM-DD, within the visit"),
    FieldSpec("time", "Time", "time", placeholder="HH:MM, 24-hour (optional)"),
    FieldSpec("place", "Place", max_len=160, placeholder="e.g. City Hall, 7th floor"),
    FieldSpec("what", "What", required=True, max_len=200, placeholder="e.g. Courtesy call on the mayor"),
    FieldSpec("host", "Host", max_len=160, placeholder="who receives or hosts"),
)

GIFT_DIRECTIONS = ("given", "received")
GIFT_DISPOSITIONS = (("Not decided yet", ""), ("Kept by the recipient", "kept"),
                     ("Handed to the city's collection", "collection"), ("Declined", "declined"))
DISPOSITION_LABELS = {value: label for label, value in GIFT_DISPOSITIONS}  # what the brief and the CSV say

GIFT = (
    FieldSpec("visit_id", "Visit", "hidden", required=True),
    FieldSpec("item", "Item", required=True, max_len=160, placeholder="e.g. Celadon vase"),
    FieldSpec("direction", "Given or received", "choice", choices=_plain(GIFT_DIRECTIONS)),
    FieldSpec("counterpart", "To or from whom", max_len=160, placeholder="e.g. Mayor of Busan"),
    FieldSpec("occasion", "Occasion", max_len=160, placeholder="e.g. Courtesy call"),
    FieldSpec("given_on", "Date", "date", placeholder="YYYY-MM-DD (optional)"),
    FieldSpec("value_amount", "Estimated value", "amount", placeholder="e.g. 120.00 (optional)"),
    FieldSpec("value_currency", "Currency", "currency", placeholder="ISO code, e.g. EUR or KRW (→ completes)",
              suggest="currency"),
    FieldSpec("disposition", "What became of it", "choice", choices=GIFT_DISPOSITIONS),
)

INVITATION_DIRECTIONS = ("received", "sent")
INVITATION_STATUSES = ("draft", "sent", "received", "accepted", "declined", "attended")
HOME = "home"  # typed in the host field for an event in our own city

INVITATION = (
    FieldSpec("direction", "Direction", "choice", choices=_plain(INVITATION_DIRECTIONS)),
    FieldSpec("event_name", "Event name", required=True, max_len=120, placeholder="e.g. Busan Sea Festival 2027"),
    FieldSpec("host", "Host city", "city", column="host_city_id", required=True,
              placeholder="a Korean city (→ completes), or home",
              hint="Type “home” for an event in your own city.", suggest="city"),
    FieldSpec("start_date", "Start", "date", required=True, placeholder="YYYY-MM-DD"),
    FieldSpec("end_date", "End", "date", required=True, placeholder="YYYY-MM-DD"),
    FieldSpec("rsvp_by", "RSVP by", "date", placeholder="YYYY-MM-DD (optional)", protected=True),
    FieldSpec("status", "Status", "choice", choices=_plain(INVITATION_STATUSES), protected=True),
    FieldSpec("party", "Who goes or performs", "notes", max_len=1000),
    FieldSpec("notes", "Notes", "notes", max_len=5000),
)

MEASURE_FIELD = "m_"  # the form fields of an outcome's figures: m_participants, m_visitors, ...
TRADE_CURRENCY = "trade_currency"


def outcome_fields() -> tuple[FieldSpec, ...]:
    """The outcome form: one field per measure of the seed, the currency
    right under the money it qualifies."""
    measures: list[FieldSpec] = []
    for m in taxonomy.load().measures:
        measures.append(FieldSpec(MEASURE_FIELD + m.key, m.name, "amount", column="",
                                  placeholder="amount" if m.currency else m.unit))
        if m.currency:
            measures.append(FieldSpec(TRADE_CURRENCY, f"{m.name} currency", "currency", column="",
                                      placeholder="ISO code, e.g. EUR", suggest="currency"))
    return (
        FieldSpec("partnership_id", "Partnership", "hidden"),
        FieldSpec("visit_id", "Visit", "hidden"),
        FieldSpec("invitation_id", "Invitation", "hidden"),
        FieldSpec("area", "Cooperation area", "choice", required=True, choices=_areas),
        # The programme list follows the area: the form asks the service.
        FieldSpec("programme", "Programme", "choice", required=True),
        FieldSpec("city", "Korean city", "city", column="city_id", placeholder="type-ahead: → completes",
                  suggest="city"),
        FieldSpec("happened_on", "Date", "date", required=True, placeholder="YYYY-MM-DD"),
        FieldSpec("title", "Title", required=True, max_len=120, placeholder="e.g. Youth camp in Busan, 40 students"),
        FieldSpec("description", "What happened", "notes", max_len=10000),
        *measures,
        FieldSpec("custom", "Other measures", "notes", column="", max_len=2000,
                  hint="One per line:  name: number unit  (e.g. Host families: 12 families)"),
    )


FIGURE = (
    FieldSpec("outcome_id", "Outcome", "hidden", required=True),
    FieldSpec("measure", "Measure", required=True, max_len=60),
    FieldSpec("unit", "Unit", max_len=30),
    FieldSpec("currency", "Currency", "currency"),
)

DECISION = (
    FieldSpec("kind", "Decision", required=True, max_len=40),
    FieldSpec("entity", "Kind of record", required=True, max_len=40),
    FieldSpec("first_id", "First record", "hidden", required=True),
    FieldSpec("second_id", "Second record", "hidden", required=True),
)
