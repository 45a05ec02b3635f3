"""A reader of gettext .po files, enough for the catalogues `makemessages` writes (tests/core/test_translations.py).

Each entry: its context, msgid, msgid_plural, the msgstr list (one per plural form) and its flags
("fuzzy", "python-format"...). The header (the entry with an empty msgid) is left out.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """The key the compiled catalogue uses: context and id joined by EOT."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')


def _string(quoted: str) -> str:
    # A .po string is a C string; Python's literal syntax reads the escapes .po files use.
    return ast.literal_eval(quoted)


def read(path: Path) -> list[Entry]:
    entries, entry, last = [], Entry(), None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if entry.msgstr or entry.msgid:
                entries.append(entry)
            entry, last = Entry(), None
            continue
        if line.startswith("#~"):  # obsolete
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, value = match[1], _string(match[2])
            entry.line = entry.line or number
            if keyword.startswith("msgstr"):
                entry.msgstr.append(value)
            elif keyword == "msgid":
                entry.msgid = value
            else:
                setattr(entry, keyword, value)
            last = keyword
        elif line.startswith('"') and last:
            value = _string(line)
            if last.startswith("msgstr"):
                entry.msgstr[-1] += value
            else:
                setattr(entry, last, getattr(entry, last) + value)
    if entry.msgstr or entry.msgid:
        entries.append(entry)
    return [e for e in entries if e.msgid]
