"""File names that are not valid UTF-8, stored in a text column and turned back into the real name.

Python hands such names over with surrogate escapes (PEP 383), which PostgreSQL cannot store.
Those paths are stored percent-encoded behind a `.bytes/` prefix: the walker skips hidden
entries, so no real indexed path starts with a dot and the prefix cannot be confused with one.
Every other path is stored exactly as it is on disk.
"""

import os
from urllib.parse import quote_from_bytes, unquote_to_bytes

ENCODED_PREFIX = ".bytes/"


def needs_encoding(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def encode_path(relative: str) -> str:
    """The relative path as stored in Asset.path."""
    if not needs_encoding(relative):
        return relative
    return ENCODED_PREFIX + quote_from_bytes(os.fsencode(relative), safe="/ ")


def decode_path(stored: str) -> str:
    """The real relative path on disk (with surrogate escapes where the name is not UTF-8)."""
    if stored.startswith(ENCODED_PREFIX):
        return os.fsdecode(unquote_to_bytes(stored[len(ENCODED_PREFIX) :]))
    return stored


def display_name(name: str) -> str:
    """A printable form for lists and titles; undecodable bytes become U+FFFD."""
    if not needs_encoding(name):
        return name
    return os.fsencode(name).decode("utf-8", errors="replace")
