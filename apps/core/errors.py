"""The one vocabulary services use to refuse. Services raise these and never speak HTTP.

The API's exception handler (apps/core/api/exceptions.py) and the HTML middleware
(apps/core/middleware.py) turn each into its answer:

    NotFound     404  the object does not exist, or the caller may not see it (never tell which)
    BadInput     400  the request is wrong; `field` names the culprit when one field is to blame
    Refused      403  the caller sees the object but may not do this to it
    Conflict     409  the current state is in the way (a scan already running, a read-only file)
    TooLarge     413  the content is over a size limit or a quota; the message gives the numbers
    UnsupportedType 415  the content is not a kind MediaHub takes (sniffed, not guessed from a name)
    TooManyAttempts 429  throttled (failed logins, sign-ups); says how long to wait (Retry-After)
    Unavailable  503  a feature cannot run here (a model missing, the database down); says why
    InsufficientStorage 507  the server's disk has no room for it

The database being away is not a service's to raise: Django raises OperationalError/InterfaceError
wherever a query meets it, and the handlers answer those as DatabaseUnavailable.
"""

from django.db import InterfaceError, OperationalError

# What a query raises when the server is away or the connection broke (a restart, a crash).
DATABASE_ERRORS = (OperationalError, InterfaceError)


class ServiceError(Exception):
    """Base of the refusals below; the message is written for the person who asked."""

    status = 500


class NotFound(ServiceError):
    status = 404


class BadInput(ServiceError, ValueError):
    status = 400

    def __init__(self, message: str = "", field: str | None = None, errors: dict | None = None):
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in (errors or {}).items()))
        self.field = field
        # Several fields at once ({field: reason}), e.g. a settings form.
        self.errors = errors or ({field: message} if field else {})


class Refused(ServiceError, PermissionError):
    status = 403


class Conflict(ServiceError):
    status = 409


class TooLarge(ServiceError):
    status = 413


class UnsupportedType(ServiceError):
    status = 415


class InsufficientStorage(ServiceError):
    status = 507


class TooManyAttempts(ServiceError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(ServiceError):
    status = 503

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class DatabaseUnavailable(Unavailable):
    """503 with Retry-After while the database is away: the processes bring it back by themselves
    (mediahub.embedded_db restarts the embedded server; Django reconnects to an external one)."""

    RETRY_AFTER = 5  # seconds; a restart of the embedded server takes about one

    def __init__(self):
        super().__init__("database unavailable", retry_after=self.RETRY_AFTER)
