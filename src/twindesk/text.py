"""Text rules shared by every layer: cleaning user text, search keys, widths.

Kept free of heavy imports: the UI imports it on the path to the first frame.
"""

from __future__ import annotations

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


def date_span(start: str, end: str) -> str:
    """"2026-12-01 – 2026-12-04", or one date when a thing lasts a day."""
    return start if start == end else f"{start} – {end}"


def plural(count: int, noun: str, many: str = "") -> str:
    """"1 visit", "3 visits", "2 cities": the count with its noun, in words people use."""
    if count == 1:
        return f"1 {noun}"
    if not many:
        many = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{count:,} {many}"
