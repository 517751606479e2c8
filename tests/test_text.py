import unicodedata

from twindesk.text import clean, fold, initials, search_terms


def test_clean_drops_terminal_controls_and_bidi_overrides():
    raw = "Seoul\x1b]2;PWNED\x1b\\ visit\x07\x9b\u202e\u2066 ok"
    assert clean(raw) == "Seoul]2;PWNED\\ visit ok"


def test_clean_keeps_tabs_and_newlines_only_where_allowed():
    assert clean("a\tb\nc") == "a\tbc"
    assert clean("a\tb\r\nc", multiline=True) == "a\tb\nc"


def test_clean_normalises_pasted_nfd_hangul():
    nfd = unicodedata.normalize("NFD", "부산")
    assert nfd != "부산"
    assert clean(nfd) == "부산"


def test_markup_like_text_is_left_alone():
    assert clean("[bold]x[/] [TBC] [@click=app.quit]") == "[bold]x[/] [TBC] [@click=app.quit]"


def test_initials_of_hangul():
    assert initials("진주") == "ㅈㅈ"
    assert initials("서울 Seoul") == "ㅅㅇ"


def test_fold_drops_apostrophes_and_breves_of_old_romanisations():
    assert fold("Ch'ŏngju") == "chongju"
    assert fold("P'ohang") == "pohang"


def test_search_terms_split_and_fold():
    assert search_terms("  Port  LOGISTICS ") == ["port", "logistics"]
