"""Services: the use cases of the app, usable without a terminal.

Nothing here imports Textual. Queries read through sqlite3; changes go
through SQLModel sessions with a change-log row for every field. SQLModel
itself is imported lazily (on the first change) to keep it off the path to
the first frame.
"""

from twindesk.services.desk import Desk
from twindesk.services.validation import Invalid

__all__ = ["Desk", "Invalid"]
