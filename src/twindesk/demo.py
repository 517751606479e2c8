"""`twindesk demo`: a database of realistic sample records, to explore the app
with and to benchmark it.

Partnerships (about one per three cities, each with its stage history and
contacts), N delegation visits spread over 2024-01 … 2027-12, and about N/10
festival invitations (at least 20, at most 5,000), placed around today so
the lists have something done, something due and something overdue.

Size: the first 2,000 visits get the full detail (2–6 members, 2–5
itinerary items, a gift on some); later visits have none (a demo of the
default 200 visits is complete). At 100,000 visits that keeps the file near
120 MiB and the build to 8-12 s; giving every later visit even one member
and one itinerary item made it 290 MB (the change log holds a JSON copy of
every record) and 23 s.

Rows are bulk-inserted (`session.execute(insert(Model), rows)`, about five
times faster than adding objects) in a few BEGIN IMMEDIATE transactions,
each with its change-log rows: a ChangeSet per SET_SIZE records (so that
sync can ship the history in pieces), one `@created` Change per record, so
history and merging see every record. The sets belong to this database's
replica (they are its history, and a first sync shares them) but to the
"demo" installation, so ctrl+z never undoes the demo.
Content comes from random.Random(2026); dates are placed relative to today.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from twindesk import registry, taxonomy
from twindesk.services.changelog import CREATED, IGNORED, encode
from twindesk.services.money import check_amount
from twindesk.services.validation import Checker

if TYPE_CHECKING:
    from twindesk.services.desk import Desk

SEED = 2026
INSTALLATION = "demo"
FULL_DETAIL = 2_000  # visits with full members, itinerary and gifts
CHUNK = 25_000  # visits per transaction
SET_SIZE = 1_000  # records per change set
FIRST_DAY, LAST_DAY = dt.date(2024, 1, 1), dt.date(2027, 12, 31)
# Parents before children (foreign keys); the change log last.
TABLES = ("partnership", "stage_change", "contact", "visit", "member", "itinerary_item", "gift", "invitation",
          "outcome", "figure")

SURNAMES = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo",
            "Shin", "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong")
GIVEN = ("Min-jun", "Seo-yeon", "Ji-hoon", "Yu-na", "Hae-won", "Do-yun", "Su-bin", "Ji-woo", "Hyun-woo",
         "Eun-ji", "Sung-min", "Ye-jin", "Jae-hyun", "Mi-kyung", "Young-ho", "Soo-jin", "Dong-hyun", "Ha-eun")
HOME_FIRST = ("Anna", "Thomas", "Sophie", "Lukas", "Maria", "Jonas", "Claire", "David", "Elena", "Martin",
              "Laura", "Peter", "Sarah", "Paul", "Julia", "Daniel")
HOME_LAST = ("Becker", "Martin", "Novak", "Rossi", "Jensen", "Schmidt", "Dubois", "Weber", "Kowalski",
             "Moreau", "Hofmann", "Bauer", "Laurent", "Fischer")
KOREAN_TITLES = (
    "International Relations Officer (국제교류 주무관)",
    "Director, International Cooperation Division (국제협력과장)",
    "Head, Tourism Promotion Team (관광진흥팀장)",
    "Education Exchange Coordinator (교육협력 담당)",
    "Trade and Investment Officer (투자통상과 주무관)",
    "Director, Culture and Arts Division (문화예술과장)",
)
HOME_TITLES = ("Mayor", "Deputy Mayor", "City Councillor", "Head of International Relations",
               "Director, Tourism Office", "Economic Development Officer", "Head teacher")
ROLES_EXTRA = ("interpreter", "official", "official", "expert", "expert", "press")
DIETARY = ("", "", "", "", "vegetarian", "no pork", "halal", "nut allergy", "no seafood")
GIFTS = ("Celadon vase", "Hanji paper lamp", "Book of city photographs", "Silk scarf with the city crest",
         "Bottle of local wine", "Najeon lacquer box", "Framed calligraphy", "Porcelain tea set")

# Programme key -> purposes; "{fest}" is the partner city's festival.
PURPOSES = {
    "joint_promotion": ("Joint tourism promotion roadshow", "Familiarisation trip for tour operators"),
    "youth_camps": ("Youth cultural exchange camp", "Summer youth camp and homestays"),
    "traditional_culture": ("Traditional culture experience programme", "Hanok stay and traditional crafts exchange"),
    "festivals_joint_events": ("Festival visit: {fest}", "Joint cultural event: concert and exhibition"),
    "universities_lifelong_learning": ("University partnership talks", "Lifelong learning centre study visit"),
    "history_culture_education": ("History and culture education study tour",),
    "student_exchange": ("Student exchange programme: semester start", "High school exchange week"),
    "language_exchange": ("Korean language teachers' exchange",),
    "local_specialty_products": ("Local specialty products fair",),
    "cultural_content": ("Cultural content industry forum (webtoon and games)",),
    "agri_food_trade": ("Agri-food export mission",),
    "sme_exhibitions": ("SME exhibition delegation", "Business matchmaking mission"),
    "professional_exchange": ("Smart city technology exchange", "Officials' training programme"),
}
VISIT_NOTES = ("", "", "", "Visa invitation letters sent.", "Interpreter booked for both days.",
               "[TBC] hotel near the station", "Gifts to be chosen with protocol.", "Press release after the visit.")
SCHEDULE = ("Courtesy call on the mayor", "Working meeting", "Site visit", "Welcome dinner",
            "Signing of the exchange agreement", "Press conference", "Cultural performance",
            "School visit", "Business matchmaking session", "Farewell lunch")
TIMES = ("09:00", "09:30", "10:00", "11:00", "12:30", "14:00", "15:30", "17:00", "19:00")
# city key -> (festival, Hangul, month, day, days, years: 0 every year, 1 odd, 2 even)
FESTIVALS = {
    "jinju": ("Jinju Namgang Yudeung (Lantern) Festival", "진주남강유등축제", 10, 1, 17, 0),
    "andong": ("Andong Mask Dance Festival", "안동국제탈춤페스티벌", 9, 27, 10, 0),
    "gangneung": ("Gangneung Danoje Festival", "강릉단오제", 6, 6, 8, 0),
    "jeonju": ("Jeonju International Film Festival", "전주국제영화제", 5, 1, 10, 0),
    "suncheon": ("Suncheon Bay Garden Expo", "순천만국제정원박람회", 4, 1, 30, 0),
    "icheon": ("Icheon Ceramic Festival", "이천도자기축제", 4, 25, 10, 0),
    "chuncheon": ("Chuncheon Mime Festival", "춘천마임축제", 5, 24, 8, 0),
    "gwangju": ("Gwangju Biennale", "광주비엔날레", 9, 5, 60, 2),
    "bucheon": ("Bucheon International Fantastic Film Festival", "부천국제판타스틱영화제", 7, 4, 11, 0),
    "busan": ("Busan International Film Festival", "부산국제영화제", 10, 2, 10, 0),
    "seoul": ("Seoul Lantern Festival", "서울빛초롱축제", 11, 1, 17, 0),
    "suwon": ("Suwon Hwaseong Cultural Festival", "수원화성문화제", 10, 6, 3, 0),
    "jeju": ("Jeju Fire Festival", "제주들불축제", 3, 13, 4, 0),
    "gyeongju": ("Silla Cultural Festival", "신라문화제", 10, 10, 4, 0),
    "gongju": ("Baekje Cultural Festival", "백제문화제", 9, 28, 9, 0),
    "nonsan": ("Nonsan Strawberry Festival", "논산딸기축제", 3, 20, 4, 0),
    "damyang": ("Damyang Bamboo Festival", "담양대나무축제", 5, 2, 5, 0),
    "pyeongchang": ("Pyeongchang Trout Festival", "평창송어축제", 1, 2, 30, 0),
    "yeosu": ("Yeosu Geobukseon Festival", "여수거북선축제", 5, 3, 3, 0),
    "jecheon": ("Jecheon International Music & Film Festival", "제천국제음악영화제", 8, 8, 6, 0),
    "pohang": ("Pohang International Fireworks Festival", "포항국제불빛축제", 5, 31, 3, 0),
    "ulsan": ("Ulsan Whale Festival", "울산고래축제", 6, 6, 4, 0),
    "incheon": ("Incheon Pentaport Rock Festival", "인천펜타포트락페스티벌", 8, 2, 3, 0),
    "sokcho": ("Seorak Cultural Festival", "설악문화제", 10, 10, 4, 0),
    "sejong": ("Sejong Festival", "세종축제", 10, 9, 5, 0),
    "changwon": ("Jinhae Gunhangje (Cherry Blossom) Festival", "진해군항제", 3, 25, 10, 0),
    "cheonan": ("Cheonan Heungtaryeong Dance Festival", "천안흥타령춤축제", 9, 26, 5, 0),
    "cheongju": ("Cheongju Craft Biennale", "청주공예비엔날레", 9, 1, 60, 1),
    "goyang": ("Goyang International Flower Festival", "고양국제꽃박람회", 4, 26, 11, 0),
}
HOME_EVENTS = (("Twin Cities Week", 6, 10, 7), ("Summer Music Festival", 7, 15, 10),
               ("International Christmas Market", 11, 28, 26), ("Harbour Festival", 8, 20, 4),
               ("Food and Wine Fair", 9, 12, 3), ("Autumn Book Fair", 10, 15, 5))
PARTIES = ("", "Mayor and two councillors", "City youth orchestra (24 musicians)",
           "Traditional dance troupe (12 performers)", "Head of International Relations and an interpreter",
           "Delegation of 6 from the Chamber of Commerce")


def _files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def main(db: Path, config: Path, *, size: int, force: bool, outcomes: int | None = None) -> int:
    """Create the demo database at `db` with `size` visits; 0 on success, 2 if refused."""
    if size < 1:
        print("twindesk demo: --size must be at least 1.", file=sys.stderr)
        return 2
    present = [p for p in _files(db) if p.exists()]
    if present and not force:
        print(f"twindesk demo: {present[0]} exists; use --force to replace it.", file=sys.stderr)
        return 2
    try:
        for path in present:
            path.unlink()
    except OSError as exc:
        print(f"twindesk demo: cannot replace {db}: {exc.strerror}.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    from twindesk.services import Desk

    desk = Desk.open(db, config)
    try:
        counts = build(desk, size, outcomes)
    except BaseException:
        desk.close()
        for path in _files(db):  # a half-built demo is worse than none
            path.unlink(missing_ok=True)
        raise
    desk.close()
    shown = ", ".join(f"{n:,} {t.replace('_', ' ')}s" for t, n in counts.items() if t != "change")
    print(f"Demo database {db}: {shown} ({counts['change']:,} change-log rows) "
          f"in {time.perf_counter() - started:.1f} s.")
    return 0


def build(desk: Desk, size: int, outcomes: int | None = None) -> dict[str, int]:
    """Add the demo records to an open, seeded desk; returns rows per table.
    Outcomes default to one per two visits (at least 30)."""
    from sqlalchemy import insert

    from twindesk.demo_outcomes import add_outcomes
    from twindesk.models import Change, ChangeSet

    demo = _Demo(desk, random.Random(SEED), desk.today())
    n_inv = max(20, min(5_000, size // 10))

    def commit() -> None:
        with desk.write() as session:
            run = session.connection().exec_driver_sql
            clock: dict[str, int] = {r: c for r, c in run("SELECT replica, counter FROM replica_clock").all()}
            lamport = run("SELECT coalesce(max(lamport), 0) FROM replica_clock").scalar_one()
            counter = clock.get(desk.replica, 0)
            others = json.dumps({r: c for r, c in sorted(clock.items()) if r not in (desk.replica, "seed")})
            sets = []
            for set_id in dict.fromkeys(c["change_set_id"] for c in demo.changes):
                counter, lamport = counter + 1, lamport + 1
                sets.append({"id": set_id, "at": demo.now, "installation": INSTALLATION, "author": INSTALLATION,
                             "summary": f"Demo data, part {counter}", "replica": desk.replica, "counter": counter,
                             "lamport": lamport, "clock": others})
            if sets:
                session.execute(insert(ChangeSet), sets)
            run("INSERT INTO replica_clock (replica, counter, lamport) VALUES (?, ?, ?) ON CONFLICT (replica) "
                "DO UPDATE SET counter = excluded.counter, lamport = excluded.lamport",
                (desk.replica, counter, lamport))
            for table in TABLES:
                if demo.rows[table]:
                    session.execute(insert(registry.model_of(table)), demo.rows[table])
            if demo.changes:
                session.execute(insert(Change), demo.changes)
        demo.flush()

    demo.partnerships()
    demo.invitations(n_inv)
    n_out = max(30, size // 2) if outcomes is None else outcomes
    commit()
    for start in range(0, size, CHUNK):
        for index in range(start, min(size, start + CHUNK)):
            demo.visit(index)
        commit()
    for start in range(0, n_out, CHUNK):
        add_outcomes(demo, min(CHUNK, n_out - start))
        commit()
    return demo.counts


class _Demo:
    def __init__(self, desk: Desk, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        # Gift values from a stream of their own: the other records stay as they were before gifts had values.
        self.gift_rng = random.Random(SEED + 1)
        self.today = today
        self.now = dt.datetime.now(dt.UTC)
        self.set_id = str(uuid.uuid4())
        self.in_set = 0
        self.tax = taxonomy.load()
        self.home_hall = f"{desk.config.home.name} City Hall" if desk.config.home.name else "City Hall"
        rows = desk.reader().execute(
            "SELECT id, name, kind, seed_key FROM city WHERE deleted_at IS NULL ORDER BY name").fetchall()
        self.cities = [SimpleNamespace(**dict(r)) for r in rows]
        self.partners: list[Any] = []
        self.partnership_of: dict[str, str] = {}  # city id -> its demo partnership
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.changes: list[dict[str, Any]] = []
        self.counts: dict[str, int] = {t: 0 for t in (*TABLES, "change")}
        programmes = [(a.key, p.key) for a in self.tax.areas for p in a.programmes if p.key in PURPOSES]
        self.programmes = programmes or [("tourism", "youth_camps")]
        self.areas = [a.key for a in self.tax.areas if a.key != "benefits"]

    # Rows ---------------------------------------------------------------
    def add(self, table: str, **fields: Any) -> str:
        ident = str(uuid.uuid4())
        row = {"id": ident, "created_at": self.now, "updated_at": self.now, "deleted_at": None, **fields}
        if self.in_set == SET_SIZE:
            self.set_id = str(uuid.uuid4())
            self.in_set = 0
        self.in_set += 1
        builder = registry.kind(table).search
        if builder:
            row["search"] = registry.load(builder)(SimpleNamespace(**row))
        self.rows[table].append(row)
        self.changes.append({
            "change_set_id": self.set_id, "at": self.now, "installation": INSTALLATION, "entity": table,
            "record_id": ident, "field": CREATED, "old": None,
            "new": encode({k: v for k, v in row.items() if k not in IGNORED}),
        })
        return ident

    def flush(self) -> None:
        for table, rows in self.rows.items():
            self.counts[table] += len(rows)
            rows.clear()
        self.counts["change"] += len(self.changes)
        self.changes.clear()
        # The next commit starts a new set: a set is written whole in one transaction.
        self.set_id = str(uuid.uuid4())
        self.in_set = 0

    # Vocabulary ---------------------------------------------------------
    def korean_name(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(GIVEN)}"

    def home_name(self) -> str:
        return f"{self.rng.choice(HOME_FIRST)} {self.rng.choice(HOME_LAST)}"

    @staticmethod
    def hall(city: Any) -> str:
        if city.kind == "county":
            return f"{city.name} County Office"
        if "metropolitan" in city.kind or "special" in city.kind:
            return f"{city.name} Metropolitan Government"
        return f"{city.name} City Hall"

    def email(self, name: str, where: str) -> str:
        surname, given = name.split(" ", 1)
        return f"{given.replace('-', '').lower()}.{surname.lower()}@{where.lower()}.example"

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    # Partnerships -------------------------------------------------------
    def partnerships(self) -> None:
        rng = self.rng
        keys = [s.key for s in self.tax.stages]
        linear = [k for k in keys if k not in ("dormant", "ended")]
        weights = {"active": 8, "signed": 3, "dormant": 2, "ended": 1}
        chosen = rng.sample(self.cities, max(1, len(self.cities) // 3))
        for city in chosen:
            stage = rng.choices(keys, [weights.get(k, 2) for k in keys])[0]
            path = linear[: linear.index(stage) + 1] if stage in linear else list(linear)
            if stage == "ended" and "dormant" in keys and rng.random() < 0.5:
                path.append("dormant")
            if stage not in linear:
                path.append(stage)
            span = rng.randint(len(path) * 150, 4_000)
            offsets = sorted(rng.sample(range(1, span - 30), len(path) - 1))
            first = self.today - dt.timedelta(days=span)
            dates = [first] + [first + dt.timedelta(days=o) for o in offsets]
            signed = dict(zip(path, dates, strict=True)).get("signed")
            partner_mayor = self.korean_name()
            ident = self.add(
                "partnership", city_id=city.id, kind=rng.choice(("sister", "sister", "friendly")),
                stage=stage, signed_on=signed,
                signed_place=(rng.choice((self.hall(city), self.home_hall)) if signed else ""),
                signatories_home=f"Mayor {self.home_name()}" if signed else "",
                signatories_partner=f"Mayor {partner_mayor}" if signed else "",
                areas=sorted(rng.sample(self.areas, rng.randint(1, len(self.areas)))),
                sectors=sorted(rng.sample([s.key for s in self.tax.sectors], rng.randint(1, 4))),
                notes=rng.choice(("", "", "Annual exchange of youth delegations.",
                                  f"Introduced at the {dates[0].year} mayors' forum.")),
            )
            for step, when in zip(path, dates, strict=True):
                self.add("stage_change", partnership_id=ident, stage=step, changed_on=when,
                         note=rng.choice(("", "", "Council resolution adopted", "Letters exchanged")))
            for _ in range(rng.randint(1, 3)):
                name = self.korean_name()
                self.add("contact", partnership_id=ident, name=name, title=rng.choice(KOREAN_TITLES),
                         organisation=self.hall(city), email=self.email(name, city.seed_key or "city"),
                         phone=f"+82 10-0{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                         language=rng.choice(("Korean, English", "Korean", "Korean, English, Japanese")))
            self.partners.append(city)
            self.partnership_of[city.id] = ident

    # Visits -------------------------------------------------------------
    def visit(self, index: int) -> None:
        rng = self.rng
        city = rng.choice(self.partners) if self.partners and rng.random() < 0.6 else rng.choice(self.cities)
        length = rng.choice((1, 2, 3, 3, 4, 4, 5, 5, 6, 8))
        start = self.day_between(FIRST_DAY, LAST_DAY - dt.timedelta(days=length - 1))
        end = start + dt.timedelta(days=length - 1)
        direction = rng.choice(("inbound", "outbound"))
        area, programme = rng.choice(self.programmes)
        fest = FESTIVALS.get(city.seed_key or "")
        purpose = rng.choice(PURPOSES[programme])
        if "{fest}" in purpose:
            purpose = purpose.format(fest=f"{fest[0]} ({fest[1]})") if fest else PURPOSES[programme][1]
        if end < self.today:
            status = "done" if rng.random() < 0.88 else "cancelled"
        elif start <= self.today or (start - self.today).days < 45:
            status = "confirmed" if start <= self.today or rng.random() < 0.7 else "planned"
        else:
            status = "planned" if rng.random() < 0.8 else "confirmed"
        amount, currency = self.budget(direction)
        areas = sorted({area, rng.choice(self.areas)} if rng.random() < 0.3 else {area})
        visit_id = self.add(
            "visit", direction=direction, city_id=city.id, start_date=start, end_date=end, purpose=purpose,
            areas=areas, status=status, budget_amount=amount, budget_currency=currency,
            notes=rng.choice(VISIT_NOTES),
        )
        if index >= FULL_DETAIL:
            return
        self.members(visit_id, direction, city, rng.randint(2, 6))
        self.itinerary(visit_id, direction, city, start, end, rng.randint(2, 5))
        if status in ("done", "confirmed") and rng.random() < 0.3:
            item, given = rng.choice(GIFTS), rng.choice(("given", "received"))
            self.add("gift", visit_id=visit_id, item=item, direction=given,
                     counterpart=f"Mayor of {city.name}" if direction == "outbound" else f"{city.name} delegation",
                     occasion=rng.choice(("Courtesy call", "Welcome dinner", "Signing ceremony")),
                     given_on=start if status == "done" else None, **self.gift_value(given))

    def gift_value(self, direction: str) -> dict[str, str]:
        """An estimate in euros (most gifts), and what became of a gift received
        (one given is the partner's to keep): the register's point is the ones
        worth declaring."""
        rng = self.gift_rng
        if rng.random() < 0.15:
            return {"value_amount": "", "value_currency": "", "disposition": ""}
        disposition = rng.choices(("", "kept", "collection", "declined"), (2, 4, 5, 1))[0]
        if direction == "given":
            disposition = "kept" if disposition else ""
        return {"value_amount": f"{rng.randint(6, 90) * 5}.00", "value_currency": "EUR", "disposition": disposition}

    def budget(self, direction: str) -> tuple[str, str]:
        roll = self.rng.random()
        if roll < 0.15:
            return "", ""
        if direction == "outbound" and roll < 0.35:
            amount, currency = str(self.rng.randint(30, 900) * 100_000), "KRW"  # won: no minor unit
        else:
            amount, currency = f"{self.rng.randint(8, 240) * 250}.00", "EUR"
        # Stored exactly as the visit form stores it, so saving a demo visit
        # unchanged logs no budget change.
        return check_amount(Checker(), "budget_amount", amount, label="Budget"), currency

    def members(self, visit_id: str, direction: str, city: Any, count: int) -> None:
        for n in range(count):
            role = "head of delegation" if n == 0 else self.rng.choice(ROLES_EXTRA)
            korean = direction == "inbound" and role != "press"
            name = self.korean_name() if korean else self.home_name()
            title = ("Mayor" if n == 0 and self.rng.random() < 0.4 else self.rng.choice(HOME_TITLES)) \
                if not korean else self.rng.choice(KOREAN_TITLES)
            self.add("member", visit_id=visit_id, name=name, title=title,
                     organisation=self.hall(city) if korean else self.home_hall,
                     role=role, dietary=self.rng.choice(DIETARY),
                     contact=self.email(name, city.seed_key if korean else "home") if n < 2 else "")

    def itinerary(self, visit_id: str, direction: str, city: Any, start: dt.date, end: dt.date,
                  count: int) -> None:
        rng = self.rng
        where = self.hall(city) if direction == "outbound" else self.home_hall
        slots = sorted((self.day_between(start, end), rng.choice(TIMES)) for _ in range(count))
        for n, (day, at) in enumerate(slots):
            what = SCHEDULE[0] if n == 0 else rng.choice(SCHEDULE[1:])
            place = where if n == 0 else rng.choice((where, "Chamber of Commerce", "University campus",
                                                     "Old town", "Convention centre", "Traditional market"))
            self.add("itinerary_item", visit_id=visit_id, day=day, time=at, place=place, what=what,
                     host=rng.choice(("Office of the Mayor", "International Relations Division", "")))

    # Invitations --------------------------------------------------------
    def editions(self) -> list[tuple[str, str | None, dt.date, dt.date]]:
        """Every festival date from 2024 to 2028: (name, host city id, start, end)."""
        by_key = {c.seed_key: c.id for c in self.cities if c.seed_key}
        out = []
        for year in range(FIRST_DAY.year, LAST_DAY.year + 2):
            for key, (name, _hangul, month, day, days, parity) in FESTIVALS.items():
                if key in by_key and (parity == 0 or year % 2 == parity % 2):
                    start = dt.date(year, month, day)
                    out.append((f"{name} {year}", by_key[key], start, start + dt.timedelta(days=days - 1)))
            for name, month, day, days in HOME_EVENTS:
                start = dt.date(year, month, day)
                out.append((f"{name} {year}", None, start, start + dt.timedelta(days=days - 1)))
        return out

    def invitations(self, count: int) -> None:
        rng = self.rng
        editions = self.editions()
        soon = [e for e in editions if 15 <= (e[2] - self.today).days <= 120]
        for n in range(count):
            # Every tenth answer is due within 14 days, and every tenth is overdue.
            kind = ("due", "overdue", "any")[min(n % 10, 2)]
            name, host, start, end = rng.choice(soon if kind != "any" and soon else editions)
            direction = "received" if host else "sent"
            rsvp: dt.date | None
            if kind == "due":
                rsvp = self.today + dt.timedelta(days=rng.randint(0, 14))
            elif kind == "overdue":
                rsvp = self.today - dt.timedelta(days=rng.randint(1, 21))
            else:
                rsvp = start - dt.timedelta(days=rng.randint(10, 60)) if rng.random() < 0.9 else None
            waiting = ("received",) if direction == "received" else ("draft", "sent")
            if kind != "any":
                status = rng.choice(waiting)
            elif end < self.today:
                status = rng.choice(("attended", "attended", "declined", "accepted"))
            elif rsvp is not None and rsvp < self.today:
                status = rng.choice(("accepted", "accepted", "declined", *waiting))
            else:
                status = rng.choice((*waiting, *waiting, "accepted", "declined"))
            self.add("invitation", direction=direction, event_name=name, host_city_id=host,
                     start_date=start, end_date=end, rsvp_by=rsvp, status=status,
                     party=rng.choice(PARTIES) if status in ("accepted", "attended") else "",
                     notes=rng.choice(("", "", "Programme in Korean and English.",
                                       "Travel and hotel covered by the host.")))
