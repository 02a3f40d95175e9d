"""Socket.IO room names: one room per session and role, and one per participant."""


def everyone(session_id: int) -> str:
    return f"s{session_id}"


def participants(session_id: int) -> str:
    return f"s{session_id}:participants"


def facilitators(session_id: int) -> str:
    return f"s{session_id}:facilitators"


def screens(session_id: int) -> str:
    return f"s{session_id}:screens"


def participant(participant_id: int) -> str:
    return f"p{participant_id}"
