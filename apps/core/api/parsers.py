"""The API's JSON parser: DRF's, bounded in size and depth, so a hostile body is a 400/413, never a 500.

DRF reads a JSON body straight from the stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (which only
guards `request.body` and forms) never applied to it; and `json.load` answers a body nested a few
thousand levels deep with RecursionError. DRF's form parser reads the stream unbounded too, so it
gets the same size bound; multipart goes through Django's own parser and limits (RequestDataTooBig,
turned into a 413 in exceptions.py).
"""

import codecs
import io

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils import json

# Our deepest legitimate body (a saved smart-album filter) is under 10 levels.
MAX_DEPTH = 64


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int):
        super().__init__(f"The request body is larger than the {limit:,} bytes allowed.")


def too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """True when lists/objects nest deeper than `limit`; iterative, so it cannot recurse itself."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _declared_length(parser_context) -> int:
    request = (parser_context or {}).get("request")
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        return 0


def read_bounded(stream, parser_context) -> bytes:
    """The whole body, or RequestTooLarge (413) as soon as it is known to be over the limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    if _declared_length(parser_context) > limit:
        raise RequestTooLarge(limit)
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise RequestTooLarge(limit)
    return raw


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = read_bounded(stream, parser_context)
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.decode(raw, encoding)
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels") from None
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            raise ParseError(f"JSON parse error - {exc}") from None
        if too_deep(data):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels")
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(io.BytesIO(read_bounded(stream, parser_context)), media_type, parser_context)
