"""Text rules shared by every layer: cleaning user text, search keys, widths.

Kept free of heavy imports: the UI imports it on the path to the first frame.
"""

from __future__ import annotations

import math
import unicodedata

# Bidi overrides and isolates can make a line read differently from its bytes.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

_HANGUL_FIRST = 0xAC00
_HANGUL_LAST = 0xD7A3
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _keep(ch: str, multiline: bool) -> bool:
    if ch in _BIDI:
        return False
    if ch == "\t":
        return True
    if ch == "\n":
        return multiline
    code = ord(ch)
    # C0 controls, DEL and C1 controls could drive the terminal.
    return not (code < 0x20 or 0x7F <= code <= 0x9F)


def clean(value: str, *, multiline: bool = False) -> str:
    """User text as it is stored: NFC, no control characters, no bidi overrides.

    Tabs survive; newlines survive only in multi-line fields (notes).
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value)
    return "".join(ch for ch in value if _keep(ch, multiline))


def initials(value: str) -> str:
    """Hangul initial consonants (초성) of each syllable: 진주 -> ㅈㅈ."""
    out = []
    for ch in value:
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            out.append(_INITIALS[(code - _HANGUL_FIRST) // 588])
    return "".join(out)


def fold(value: str) -> str:
    """The form text is compared in when searching: NFC, case-folded,
    apostrophes and diacritics of older romanisations dropped
    (Ch'ŏngju and Chongju both fold to chongju)."""
    value = unicodedata.normalize("NFD", value.casefold())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.replace("'", "").replace("’", "").replace("‘", "")
    # Recompose Hangul that NFD split into jamo.
    return unicodedata.normalize("NFC", value)


def search_key(*parts: str) -> str:
    """One searchable line for a record: folded parts plus Hangul initials."""
    pieces = [fold(p) for p in parts if p]
    hangul = " ".join(initials(p) for p in parts if p and initials(p))
    if hangul:
        pieces.append(hangul)
    return " | ".join(pieces)


def search_terms(query: str) -> list[str]:
    """The terms of a filter box: each must match somewhere."""
    return [t for t in fold(clean(query)).split() if t]


def like_pattern(term: str) -> str:
    """A LIKE pattern that matches term literally anywhere (escape char: \\)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def number(value: float) -> str:
    """A figure as people write it: 12500.0 -> "12,500"; 0.5 -> "0.5"."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(change: float) -> str:
    """A change as a fraction, as people write it: 0.5 -> "+50%", -0.003 -> "-0.3%" (one decimal,
    so a small fall is not "-0%"), 12.345 -> "+1,234.5%"."""
    return f"{change * 100:+,.1f}".removesuffix(".0") + "%"


# Irregular plurals found in measure units; any other word loses its "s".
_SINGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "persons": "person"}


def singular(unit: str) -> str:
    """The unit for a quantity of one: "agreements" -> "agreement",
    "people reached" -> "person reached", "press articles" -> "press article".

    Units are typed in the plural (the seed's, and custom measures'); codes
    such as "EUR" or "km" are left alone.
    """
    words = unit.split(" ")
    for i, word in enumerate(words):
        if word.lower() in _SINGULAR:
            single = _SINGULAR[word.lower()]
            words[i] = single.capitalize() if word[:1].isupper() else single
            return " ".join(words)
    # The counted noun is the last plural before any "of": "hours of
    # training", "students exchanged", "press articles".
    head = words.index("of") if "of" in words else len(words)
    for i in range(head - 1, -1, -1):
        word, low = words[i], words[i].lower()
        if not word.isalpha() or word.isupper() or len(word) < 3 or not low.endswith("s"):
            continue
        if low.endswith(("ss", "us", "is")):
            break
        if low.endswith("ies") and len(word) > 4:
            words[i] = word[:-3] + "y"
        elif low.endswith(("ches", "shes", "sses", "xes")):
            words[i] = word[:-2]
        else:
            words[i] = word[:-1]
        break
    return " ".join(words)


def is_one(value: float) -> bool:
    return abs(value - 1) < 1e-9


def plural(count: float, noun: str, many: str | None = None) -> str:
    """"1 visit", "2,315 visits", "2 cities"; `many` for nouns that take neither s nor ies."""
    if not many:
        many = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{number(count)} {noun if is_one(count) else many}"


def quantity(value: float, unit: str) -> str:
    """A measured figure with its (plural) unit: "1 agreement", "7 press articles"."""
    shown = number(value)
    if not unit:
        return shown
    return f"{shown} {singular(unit) if is_one(value) else unit}"


def aligned(shown: str, width: int = 14) -> str:
    """"1,200 visitors" with the number right-aligned in `width` cells, for columns."""
    value, _, unit = shown.partition(" ")
    return f"{value:>{width}} {unit}".rstrip()


_SCALES = ((1e12, "T"), (1e9, "bn"), (1e6, "M"), (1e3, "k"))


def short_number(value: float) -> str:
    """A number for an axis or a tight cell: 34924113.0 -> "34.9 M", 950 -> "950"."""
    size = abs(value)
    for scale, suffix in _SCALES:
        # Rounded before the test, so 999,960 reads "1 M", not "1,000 k".
        if round(size / scale, 1) >= 1:
            return f"{value / scale:,.1f}".removesuffix(".0") + f" {suffix}"
    return number(round(value, 1))


def axis_ticks(top: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round tick values from 0 to at least `top`: 34.9e6 -> [0, 10e6, 20e6, 30e6, 40e6].

    Steps are 1, 2, 2.5 or 5 times a power of ten, so labels stay short;
    `whole` keeps steps of at least 1 (nobody signs a quarter agreement).
    """
    if top <= 0:
        return [0.0, 1.0]
    raw = top / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1.0, math.ceil(step))
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def date_span(start: str, end: str) -> str:
    """"2026-12-01 – 2026-12-04", or one date when a thing lasts a day."""
    return start if start == end else f"{start} – {end}"
