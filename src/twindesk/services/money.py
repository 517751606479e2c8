"""Money and numbers typed by hand: exact decimal amounts, ISO currencies."""

from __future__ import annotations

import re
from decimal import Decimal

from twindesk.services.validation import Checker
from twindesk.text import clean, quantity

CURRENCIES = (
    "KRW", "EUR", "GBP", "USD", "JPY", "CNY", "AUD", "CAD", "CHF", "SEK",
    "NOK", "DKK", "PLN", "CZK", "HUF", "NZD", "SGD", "HKD", "TWD", "INR",
)  # fmt: skip
MAX_AMOUNT_DIGITS = 15
# 12500, 12500.5, 12500.00, or with thousands commas: 12,500.00
_AMOUNT = re.compile(r"(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")


# ISO 4217 minor units where they are not 2: a won or a yen is not divided.
MINOR_UNITS = {"KRW": 0, "JPY": 0}


def minor_units(currency: str) -> int:
    return MINOR_UNITS.get(currency.upper(), 2)


def money(amount: str | float | Decimal, currency: str) -> str:
    """An amount in its currency's minor units: "12500", "EUR" -> "12,500.00 EUR";
    83653.2, "USD" -> "83,653.20 USD"; 3000000, "KRW" -> "3,000,000 KRW".

    Amounts are exact decimal text (a budget) or a float total of figures;
    a float is rounded to the minor unit through its shortest repr, so
    0.1 + 0.2 shows as 0.30, not 0.30000000000000004 rounded oddly.
    """
    if amount == "" or amount is None:
        return ""
    try:
        value = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
        shown = f"{value:,.{minor_units(currency)}f}"
    except ArithmeticError:
        shown = str(amount)
    return f"{shown} {currency}".strip()


def is_currency(unit: str) -> bool:
    return unit in CURRENCIES


def figure(value: float, unit: str) -> str:
    """A measured figure as shown everywhere: money in its currency's minor
    units ("83,653.20 USD"), anything else with its unit in the right number
    ("1 agreement", "7 press articles"). The number never holds a space, so
    `.partition(" ")` splits it from the unit for aligned columns."""
    return money(value, unit) if is_currency(unit) else quantity(value, unit)


def check_amount(check: Checker, field: str, value: str, *, label: str, decimals: int = 2) -> str:
    """A non-negative amount, stored as exact text ("12500.00"); "" when blank."""
    value = clean(value or "").strip().replace(" ", "")
    if not value:
        return ""
    hint = f"write digits with at most {decimals} decimals, e.g. 12500{'.00' if decimals else ''}"
    if value.startswith("-"):
        check.fail(field, f"{label} cannot be negative; {hint}.")
        return ""
    match = _AMOUNT.fullmatch(value)
    if match is None:
        check.fail(field, f"{label}: “{value[:20]}” is not a number; {hint}.")
        return ""
    if match[2] is not None and len(match[2]) > decimals:
        check.fail(field, f"{label}: at most {decimals} decimals, not {len(match[2])}; {hint}.")
        return ""
    whole = match[1].replace(",", "")
    if len(whole.lstrip("0")) > MAX_AMOUNT_DIGITS:
        check.fail(field, f"{label} is too large (at most {MAX_AMOUNT_DIGITS} digits).")
        return ""
    return f"{Decimal(f'{whole}.{match[2] or 0}'):.{decimals}f}"


def check_currency(check: Checker, field: str, value: str, *, needed: bool, what: str = "the amount") -> str:
    value = clean(value or "").strip().upper()
    if not value:
        if needed:
            check.fail(field, f"Give {what}'s currency as an ISO code, e.g. EUR or KRW.")
        return ""
    if value not in CURRENCIES:
        check.fail(field, f"Currency: {value[:10]} is not one twindesk knows; use one of {', '.join(CURRENCIES)}.")
    return value


def suggest_currency(prefix: str) -> str | None:
    key = prefix.strip().upper()
    if not key:
        return None
    found = next((c for c in CURRENCIES if c.startswith(key)), None)
    return prefix + found[len(prefix):] if found else None
