"""Socket.IO room names: one room per session and role, and one per participant."""

from __future__ import annotations

from collections.abc import Callable


def _session_room(suffix: str) -> Callable[[int], str]:
    """The name of one of each session's rooms, from the session id."""

    def name(session_id: int) -> str:
        return f"s{session_id}{suffix}"

    return name


everyone = _session_room("")
participants = _session_room(":participants")
facilitators = _session_room(":facilitators")
screens = _session_room(":screens")
notetakers = _session_room(":notetakers")
# Projectors that connected with the projector link's key (not a facilitator's login), and
# note-takers with a cookie set through the invitation link: revoking the link disconnects
# them.
screen_link = _session_room(":screen-link")
notes_link = _session_room(":notes-link")


def participant(participant_id: int) -> str:
    return f"p{participant_id}"


def pinned_stage(session_id: int, stage_key: str) -> str:
    """Projectors pinned to one stage of the session (``/s/CODE/screen?stage=KEY``)."""
    return f"s{session_id}:stage:{stage_key}"


def account(account_id: int) -> str:
    """Every socket opened with an account's login (console, and projectors and note-takers
    without their own key): disconnected when a role change or a deletion ends them all."""
    return f"account:{account_id}"


def login(login_id: int) -> str:
    """The sockets opened with one login (one browser's cookie): disconnected at its logout."""
    return f"login:{login_id}"
