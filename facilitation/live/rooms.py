"""Socket.IO room names: one room per session and role, and one per participant."""


def everyone(session_id: int) -> str:
    return f"s{session_id}"


def participants(session_id: int) -> str:
    return f"s{session_id}:participants"


def facilitators(session_id: int) -> str:
    return f"s{session_id}:facilitators"


def screens(session_id: int) -> str:
    return f"s{session_id}:screens"


def notetakers(session_id: int) -> str:
    return f"s{session_id}:notetakers"


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


def screen_link(session_id: int) -> str:
    """Projectors that connected with the projector link's key (not a facilitator's login):
    revoking the link disconnects them."""
    return f"s{session_id}:screen-link"


def notes_link(session_id: int) -> str:
    """Note-takers that connected with a cookie set through the invitation link (not a
    facilitator's login): revoking the link disconnects them."""
    return f"s{session_id}:notes-link"
