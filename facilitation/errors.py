"""The one exception the domain raises when it refuses a change."""


class Refused(Exception):
    """A change was not made; ``message`` says why in words a participant can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
