"""Words for the full-text document and the query, folded the same way on both sides.

The database has no `unaccent` extension, so accents are folded here: "Zürich" and "zurich" both
become "zurich". Words split on anything not a letter or digit (so `_`, `-` and `.` too) and between
letters and digits, so "IMG_4120.JPG" gives "img 4120 jpg" and a search for "4120" finds it.
"""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")
_LETTERS_DIGITS = re.compile(r"\d+|[^\W\d_]+")
MAX_QUERY_WORDS = 16  # a pasted paragraph must not become a 500-term query


def fold(text: str) -> str:
    """Lower-case without accents; ß and ligatures expand (NFKD + casefold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    found = []
    for chunk in _NOT_WORD.split(fold(text or "")):
        found.extend(_LETTERS_DIGITS.findall(chunk))
    return found


def document_text(*parts: str) -> str:
    """One weight's worth of text, ready for to_tsvector('simple', ...)."""
    return " ".join(word for part in parts for word in words(part))


def prefix_tsquery(query: str) -> str:
    """Every word must match, each as a prefix: "zur 41" -> 'zur':* & '41':*. Empty when no words.

    Words hold letters and digits only, so quoting them cannot break the to_tsquery syntax.
    """
    unique = list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]
    return " & ".join(f"'{word}':*" for word in unique)
