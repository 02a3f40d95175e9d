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
