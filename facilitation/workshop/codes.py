"""Join codes and pseudonyms: short, easy to read aloud, and hard to guess."""

from __future__ import annotations

import secrets

# No 0/O or 1/I/L: they are misread when spoken or shown on a projector.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_pseudonym() -> str:
    return "P-" + "".join(secrets.choice(ALPHABET) for _ in range(5))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:12]


def looks_like_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


# Invitation codes for a run open by invitation only: 10 characters of the same alphabet
# (about 49 bits), shown in groups of five on the printed sheet.
INVITATION_LENGTH = 10


def new_invitation_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(INVITATION_LENGTH))


def normalise_invitation(text: str) -> str:
    """A typed invitation code: upper case, spaces and dashes dropped, at most 16 long."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:16]
