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


_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")  # Han, kana, Hangul: written without spaces
GLUED_LATIN, PART_LATIN = 8, 4  # a token this long may be words run together; its tails from this length
GLUED_CJK, PART_CJK = 3, 2
MAX_PARTS = 2000  # per document: a page of small print must not grow the index without bound


def word_tails(text: str) -> list[str]:
    """The tails of long words, so a word inside one is found by the prefix search: "commandmightytitans"
    gives "...", "mightytitans", ..., "titans", "itans", "tans".

    Why: text read off a photo runs words together where the letters stand close (PP-OCRv4 drops
    narrow spaces: "COMMAND MIGHTY TITANS" reads "COMMANDMIGHTYTITANS"), and Chinese or Japanese
    lines have no spaces at all; a prefix match on the tails is a substring match on the word."""
    tails = []
    for word in words(text):
        cjk = bool(_CJK.search(word))
        glued, part = (GLUED_CJK, PART_CJK) if cjk else (GLUED_LATIN, PART_LATIN)
        if len(word) >= glued:
            tails.extend(word[start:] for start in range(1, len(word) - part + 1))
        if len(tails) >= MAX_PARTS:
            return tails[:MAX_PARTS]
    return tails
