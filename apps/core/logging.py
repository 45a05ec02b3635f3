"""Logging filters for the console handler."""

import logging


class DropForbiddenTraceback(logging.Filter):
    """Django logs "Forbidden (Permission denied)" with the PermissionDenied's traceback: a refused
    visitor is expected, not a fault, so the warning line stays and the traceback goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
