"""The open question: its answers are comments, short texts others agree or disagree with.

Comments are posted, moderated and ranked by the comment wall (``operations.post_comment``,
``state.comment_wall``), so the type itself has no answer to clean and nothing to count.
"""

from __future__ import annotations

from flask_babel import lazy_gettext

from .base import ActivityType


class OpenText(ActivityType):
    name = "open_text"
    label = lazy_gettext("Open text")
    editor_hint = "Participants write short answers; others agree or disagree."
    always_comments = True


TYPE = OpenText()
