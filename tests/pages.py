"""Checks shared by the tests of the HTML files twindesk writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.style += data

    def handle_endtag(self, tag):
        self._in_style = False


def assert_loads_nothing(page: str) -> None:
    """No element or style of the page can fetch anything (user text aside, shown escaped)."""
    parsed = Tags()
    parsed.feed(page)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "image", "use", "base", "form"}
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert name not in ("src", "srcset", "action", "xlink:href", "background"), (tag, name)
            if name == "href":
                assert (value or "").startswith("#"), (tag, value)
            assert "url(" not in (value or "") and "http" not in (value or "").replace("http-equiv", ""), (tag, name)
    assert not re.search(r"url\(|@import|https?:|//", parsed.style)
