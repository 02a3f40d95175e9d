"""Why a deck was not taken, in words a facilitator can act on."""

from facilitation.errors import Refused


class DeckRefused(Refused):
    """A deck could not be used; ``message`` says why and what to do instead."""
