"""The one registry of record kinds.

Each kind is declared here once: its model, its service, its screen and
key, its detail sections, its CSV sheet, its search line, its palette
entry, and (in registry.fields) every field's label, limits and whether
sync protects it. The app's keys and screens, the palette, the CSV export,
search, the city detail, history and the sync engine all read this list;
nothing keeps a second one.

A new record type is its model (models.py and a migration), its service
(services/), its list screen if it has one, and one entry below.
"""

from __future__ import annotations

from functools import cache

from twindesk.registry import fields as f
from twindesk.registry.spec import FieldSpec, QuickFilter, RecordKind, Section, load

__all__ = ["KEYS", "KINDS", "FieldSpec", "QuickFilter", "RecordKind", "Section", "by_mode", "kind", "load",
           "model_of", "screens"]


def _quick(*rows: tuple[str, str, str]) -> tuple[QuickFilter, ...]:
    return tuple(QuickFilter(*row) for row in rows)


def _gift_quick() -> tuple[QuickFilter, ...]:
    return _quick(("1", "Given", "given"), ("2", "Received", "received"), ("3", "To declare", "declare"),
                  ("4", "This year", "this_year"))


def _area_quick() -> tuple[QuickFilter, ...]:
    from twindesk import taxonomy

    return tuple(QuickFilter(str(a.number), a.name.split()[0], a.key) for a in taxonomy.load().areas)



KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        "city", "city", "cities", "twindesk.models:City", "cities", f.CITY,
        mode="directory", key_binding="c", title="City directory", help="The 33 Korean cities and their industries",
        list_screen="twindesk.screens.directory:DirectoryScreen",
        filter_hint="Filter: name, 한글, initials like ㅈㅈ, Pusan, province, industry",
        empty_text="No city matches this filter.",
        sections=(
            Section("partnership", "city_id", "Partnerships"),
            Section("visit", "city_id", "Visits"),
            Section("invitation", "host_city_id", "Invitations"),
            Section("outcome", "city_id", "Outcomes"),
        ),
        can_add=False, can_delete=False, palette="City", csv="cities.csv",
        search="twindesk.services.search:city_search",
    ),
    RecordKind(
        "partnership", "partnership", "partnerships", "twindesk.models:Partnership", "partnerships", f.PARTNERSHIP,
        links=(("city_id", "city"),),
        mode="partnerships", key_binding="p", title="Partnerships",
        help="Sister and friendly city ties and their stages",
        list_screen="twindesk.screens.partnerships:PartnershipListScreen",
        filter_hint="Filter: city (English, 한글, old spelling), kind, stage",
        empty_text="No partnerships here: press n to add one.",
        quick=_quick(("1", "Exploring", "exploring"), ("2", "Signed or active", "signed"),
                     ("3", "Dormant or ended", "ended")),
        sections=(
            Section("stage_change", "partnership_id", "Stage history, newest first", columns=("changed_on", "stage")),
            Section("contact", "partnership_id", "Contacts on their side", add_key="a",
                    columns=("name", "title", "organisation", "email", "phone", "language")),
            Section("outcome", "partnership_id", "Outcomes", add_key="l"),
        ),
        palette="Partnership", city_column="city_id", csv="partnerships.csv",
        duplicate="twindesk.services.partnerships:same_tie",
    ),
    RecordKind(
        "stage_change", "stage change", "stage changes", "twindesk.models:StageChange", "stage_changes",
        f.STAGE_CHANGE, parent=("partnership_id", "partnership"), can_add=False, can_delete=False, editable=False,
        csv="stage_changes.csv",
    ),
    RecordKind(
        "contact", "contact", "contacts", "twindesk.models:Contact", "contacts", f.CONTACT,
        parent=("partnership_id", "partnership"), csv="contacts.csv",
    ),
    RecordKind(
        "visit", "visit", "visits", "twindesk.models:Visit", "visits", f.VISIT,
        links=(("city_id", "city"),),
        mode="visits", key_binding="v", title="Delegation visits", help="Inbound and outbound delegations",
        list_screen="twindesk.screens.visits:VisitListScreen",
        filter_hint="Filter: city (English, 한글, old spelling), purpose, status, direction, notes",
        empty_text="No visits here: press n to add one.",
        quick=_quick(("1", "Upcoming", "upcoming"), ("2", "Past", "past"), ("3", "Inbound", "inbound"),
                     ("4", "Outbound", "outbound"), ("5", "Planned", "planned"), ("6", "Confirmed", "confirmed"),
                     ("7", "Done", "done"), ("8", "Cancelled", "cancelled")),
        sections=(
            Section("member", "visit_id", "Members", add_key="m",
                    columns=("name", "role", "title", "organisation", "dietary", "contact")),
            Section("itinerary_item", "visit_id", "Itinerary", add_key="t",
                    columns=("day", "time", "place", "what", "host")),
            Section("gift", "visit_id", "Gifts", add_key="g",
                    columns=("item", "direction", "counterpart", "occasion", "given_on")),
            Section("outcome", "visit_id", "Outcomes", add_key="l"),
        ),
        palette="Visit", city_column="city_id", csv="visits.csv",
        search="twindesk.services.search:visit_search", duplicate="twindesk.services.visits:same_trip",
    ),
    RecordKind(
        "member", "member", "members", "twindesk.models:Member", "members", f.MEMBER,
        parent=("visit_id", "visit"), csv="members.csv",
    ),
    RecordKind(
        "itinerary_item", "itinerary item", "itinerary items", "twindesk.models:ItineraryItem", "itinerary",
        f.ITINERARY, parent=("visit_id", "visit"), csv="itinerary.csv",
    ),
    RecordKind(
        "gift", "gift", "gifts", "twindesk.models:Gift", "gifts", f.GIFT,
        parent=("visit_id", "visit"),
        mode="gifts", key_binding="g", title="Gift register",
        help="Every official gift given or received, its value and what became of it",
        list_screen="twindesk.screens.gifts:GiftRegisterScreen",
        filter_hint="Filter: item, to or from whom, occasion, city, year",
        empty_text="No gifts yet: add them on a visit's screen (g there).",
        extra={"quick": _gift_quick},
        sections=(Section("visit", "id", "Given or received on the visit", via="visit_id"),),
        can_add=False, palette="Gift", csv="gifts.csv",
    ),
    RecordKind(
        "invitation", "invitation", "invitations", "twindesk.models:Invitation", "invitations", f.INVITATION,
        links=(("host_city_id", "city"),),
        mode="invitations", key_binding="i", title="Festival invitations",
        help="Invitations sent and received, and their RSVP deadlines",
        list_screen="twindesk.screens.invitations:InvitationListScreen",
        filter_hint="Filter: event, host city (English, 한글, old spelling), status, who goes",
        empty_text="No invitations here: press n to add one.",
        quick=_quick(("1", "RSVP due", "due"), ("2", "Upcoming", "upcoming"), ("3", "Received", "received"),
                     ("4", "Sent", "sent")),
        sections=(Section("outcome", "invitation_id", "Outcomes", add_key="l"),),
        palette="Invitation", city_column="host_city_id", csv="invitations.csv",
        search="twindesk.services.search:invitation_search",
    ),
    RecordKind(
        "outcome", "outcome", "outcomes", "twindesk.models:Outcome", "outcomes", f.outcome_fields,
        links=(("city_id", "city"), ("partnership_id", "partnership"), ("visit_id", "visit"),
               ("invitation_id", "invitation")),
        mode="outcomes", key_binding="o", title="Outcomes", help="Results logged per cooperation area and programme",
        list_screen="twindesk.screens.outcomes:OutcomeListScreen",
        filter_hint="Filter: title, programme, city (English, 한글), year",
        empty_text="No outcomes logged: press n to log one.",
        sections=(
            Section("figure", "outcome_id", "Figures", columns=("measure", "value")),
            Section("visit", "id", "Logged from the visit", via="visit_id"),
            Section("invitation", "id", "Logged from the invitation", via="invitation_id"),
            Section("partnership", "id", "For the partnership", via="partnership_id"),
        ),
        palette="Outcome", city_column="city_id", csv="outcomes.csv",
        search="twindesk.services.search:outcome_search",
        extra={"quick": _area_quick},
    ),
    RecordKind(
        "figure", "figure", "figures", "twindesk.models:Figure", "figures", f.FIGURE,
        parent=("outcome_id", "outcome"), can_add=False, can_delete=False, editable=False, csv="figures.csv",
    ),
    RecordKind(
        "decision", "decision", "decisions", "twindesk.models:Decision", "decisions", f.DECISION,
        can_add=False, can_delete=False, editable=False,
    ),
)

# Screens that show no record kind of their own, in the order of the keys.
SCREENS: tuple[tuple[str, str, str, str, str, str], ...] = (
    # (mode, key, footer label, title, help, "module:Screen")
    ("dashboard", "d", "Dashboard", "Dashboard", "What is coming up, what is due, what has gone quiet",
     "twindesk.screens.dashboard:DashboardScreen"),
    ("benefits", "b", "Benefits", "Expected benefits", "The four expected benefits as figures, year on year",
     "twindesk.screens.benefits:BenefitsScreen"),
    ("conflicts", "y", "Conflicts", "Sync conflicts",
     "Values two copies changed differently, records deleted and edited, possible duplicates: your choice",
     "twindesk.screens.conflicts:ConflictScreen"),
)

_BY_KEY = {k.key: k for k in KINDS}
KEYS = frozenset(_BY_KEY)


def kind(key: str) -> RecordKind:
    return _BY_KEY[key]


def model_of(key: str) -> type:
    """The SQLModel table of a kind (imports SQLModel: not on the path to the first frame)."""
    model: type = load(kind(key).model)
    return model


def by_mode(mode: str) -> RecordKind | None:
    return next((k for k in KINDS if k.mode == mode), None)


@cache
def screens() -> tuple[tuple[str, str, str, str, str, str], ...]:
    """Every screen one key away: (mode, key, footer label, title, help,
    "module:Screen"), the dashboard first, then each kind with a screen,
    then the rest. The binding ids are "app." and the label in lower case."""
    kinds = tuple((k.mode, k.key_binding, k.plural.capitalize(), k.title, k.help, k.list_screen)
                  for k in KINDS if k.mode)
    return (SCREENS[0], *kinds, *SCREENS[1:])


def quick_filters(kind_: RecordKind) -> tuple[QuickFilter, ...]:
    made = kind_.extra.get("quick")
    return made() if callable(made) else kind_.quick


def children(key: str) -> tuple[RecordKind, ...]:
    """Kinds whose records belong to a record of `key` (members to a visit)."""
    return tuple(k for k in KINDS if k.parent and k.parent[1] == key)
