"""Demo outcomes: results logged against the proposal's programmes, with figures.

Kept apart from demo.py (visits, partnerships, invitations) for size; it
adds rows through the same `_Demo.add`, so the change log stays complete.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

FIRST_YEAR = 2021
TITLES = {
    "joint_promotion": ("Joint travel package launched", "Roadshow at a travel fair"),
    "youth_camps": ("Youth cultural exchange camp", "Summer camp with homestays"),
    "traditional_culture": ("Hanji and pottery workshop", "Traditional music evening"),
    "festivals_joint_events": ("Delegation performed at the festival", "Joint exhibition opened"),
    "universities_lifelong_learning": ("University memorandum signed", "Lifelong learning study visit"),
    "history_culture_education": ("Heritage education week",),
    "student_exchange": ("Student exchange semester", "High school exchange week"),
    "language_exchange": ("Korean language course for teachers",),
    "local_specialty_products": ("Specialty products tasting fair",),
    "cultural_content": ("Webtoon co-production workshop",),
    "agri_food_trade": ("First shipment of local produce", "Agri-food buyers' meeting"),
    "sme_exhibitions": ("SME pavilion at the trade fair", "Business matchmaking day"),
    "professional_exchange": ("Officials' training on smart cities",),
    "tourist_arrivals": ("Tourist arrivals counted at the visitor centre",),
    "education_quality": ("Exchange evaluation published",),
    "local_economy": ("Export contracts reported by chamber of commerce",),
    "global_network": ("Joined the partner city's network of cities",),
}
# Plausible sizes per measure: (low, high).
RANGES = {
    "participants": (10, 300),
    "visitors": (50, 20_000),
    "students_exchanged": (2, 60),
    "agreements_signed": (1, 3),
    "media_reach": (1_000, 500_000),
}


def add_outcomes(demo: Any, count: int) -> None:
    rng = demo.rng
    pairs = [(a, p) for a in demo.tax.areas for p in a.programmes]
    last = (demo.today - dt.date(FIRST_YEAR, 1, 1)).days
    for _ in range(count):
        area, programme = rng.choice(pairs)
        city = rng.choice(demo.partners or demo.cities)
        when = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, last))
        title = rng.choice(TITLES.get(programme.key, ("Cooperation result",)))
        ident = demo.add(
            "outcome", area=area.key, programme=programme.key, city_id=city.id,
            partnership_id=demo.partnership_of.get(city.id), visit_id=None, invitation_id=None,
            happened_on=when, title=f"{title} ({city.name})",
            description=rng.choice(("", "", "Reported by the partner city's international relations office.",
                                    "Figures from the organisers' final report.")),
        )
        measures = list(programme.measures or programme.benefit_measures or ("participants",))
        for key in rng.sample(measures, rng.randint(1, len(measures))):
            if key == "trade_value":
                currency = rng.choice(("EUR", "EUR", "KRW", "USD"))
                value = round(rng.uniform(5_000, 400_000) * (1_400 if currency == "KRW" else 1), 2)
                demo.add("figure", outcome_id=ident, measure=key, value=value, unit="money", currency=currency)
            else:
                low, high = RANGES.get(key, (1, 100))
                unit = next((m.unit for m in demo.tax.measures if m.key == key), "")
                demo.add("figure", outcome_id=ident, measure=key, value=float(rng.randint(low, high)), unit=unit,
                         currency="")
