"""The gift register: every official gift, across every visit, newest first.

Gifts worth declaring (over the config's [gifts] declare_over) are marked;
`1`–`4` narrow to given, received, worth declaring, this year; the filter
box finds a year, an item, a person, a city. Gifts are added on a visit's
screen; `enter` opens one, `e` edits it.
"""

from __future__ import annotations

from twindesk.screens.record_list import RecordListScreen


class GiftRegisterScreen(RecordListScreen):
    kind_key = "gift"

    def on_mount(self) -> None:
        super().on_mount()
        config = self.desk.config
        over = f"over {config.gift_threshold:g} {config.gift_currency}".strip() if config.gift_threshold else ""
        self.sub_title = f"Worth declaring ({over}) in yellow" if over else \
            "Set [gifts] declare_over in the config to mark gifts worth declaring"
