"""What people and faces services refuse, and why; the API maps each to its status code."""


class PeopleError(Exception):
    """Base of the refusals below; the message is written for the person who asked."""


class InvalidRequest(PeopleError, ValueError):
    """400: the request itself is wrong. `field` names what, when one field is to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(PeopleError, PermissionError):
    """403: the caller sees the object but may not change it."""


class Conflict(PeopleError):
    """409: another face job is in the way (detection running, re-cluster queued)."""
