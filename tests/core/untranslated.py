"""Finds user-visible text in templates that does not go through {% translate %} / {% blocktranslate %}.

Each template is cut by Django's own lexer. Template tags and variables become placeholders (a
translated string becomes one too), text keeps its place, and the skeleton that is left is read by
an HTML parser: text between tags and the values of the attributes a person reads or hears (title,
aria-label, placeholder, alt, a button's value) must hold no letters. Script and style bodies are
code, not text (scripts take their words from data-* attributes or the JavaScript catalogue).
Besides text, a few filters write English themselves: `pluralize` (plurals need
{% blocktranslate count %}), and `default`/`default_if_none`/`yesno` with words in their argument.

Run it by hand to list what is left: `.venv/bin/python -m tests.core.untranslated`.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description", "aria-roledescription"}
# Words that are the same in every language MediaHub ships: the name, and unit symbols (SI, the
# f-number) that follow a number localised by its filter.
UNTRANSLATABLE = {"MediaHub", "s", "m", "MP", "f/", "MB/s"}
LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDER = "\ue000"
ENGLISH_FILTER = re.compile(r"\|\s*(pluralize\b|(?:default|default_if_none|yesno)\s*:\s*(['\"])(?P<arg>[^'\"]*)\2)")
OPENERS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment",
           "verbatim": "endverbatim"}


def template_files() -> list[Path]:
    files = sorted((ROOT / "templates").rglob("*.html"))
    files += sorted(path for path in (ROOT / "apps").glob("*/templates/**/*.html"))
    return files


def _skeleton(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template with each tag and variable overwritten by placeholders of the same length
    (newlines kept, so positions and line numbers hold), and the English-writing filters found."""
    chars, filters, closing = list(source), [], None
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        if token.token_type == TokenType.TEXT and closing is None:
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if closing is not None and name == closing:
                closing = None
            elif closing is None and name in OPENERS:
                closing = OPENERS[name]
        if token.token_type in (TokenType.VAR, TokenType.BLOCK) and closing is None:
            filters += [(token.lineno, m.group(0).strip()) for m in ENGLISH_FILTER.finditer(token.contents)
                        if _writes_words(m["arg"])]
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = PLACEHOLDER
    return "".join(chars), filters


# yesno arguments that write JSON/HTML attribute values, not words for people.
_MACHINE_YESNO = {"true,false", "false,true"}


def _writes_words(arg: str | None) -> bool:
    """pluralize (no argument here) always does; a default of a colour or of true/false does not."""
    if arg is None:
        return True
    return bool(LETTER.search(arg)) and arg not in _MACHINE_YESNO and not re.fullmatch(r"#[0-9a-fA-F]+", arg)


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._code = 0

    def _check(self, text: str):
        words = text.replace(PLACEHOLDER, " ").split()
        if any(LETTER.search(word) for word in words if word.strip("()[],.;:") not in UNTRANSLATABLE):
            line = self.getpos()[0] + text[: LETTER.search(text).start()].count("\n")
            self.found.append((line, " ".join(re.sub(PLACEHOLDER + "+", "{…}", text).split())))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._code += 1
        attributes = dict(attrs)
        for name, value in attrs:
            shown_value = tag == "input" and name == "value" and attributes.get("type") in ("submit", "button", "reset")
            if value and (name in VISIBLE_ATTRIBUTES or shown_value):
                self._check(value)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._code -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._code = max(0, self._code - 1)

    def handle_data(self, data):
        if not self._code:
            self._check(data)


def untranslated(path: Path) -> list[str]:
    """'file:line: text' for each piece of visible text in the template that is not translated."""
    skeleton, filters = _skeleton(path.read_text())
    finder = _TextFinder()
    finder.feed(skeleton)
    finder.close()
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = [(line, f"text {text!r}") for line, text in finder.found]
    found += [(line, f"filter {text!r} writes English") for line, text in filters]
    return [f"{name}:{line}: {what}" for line, what in sorted(found)]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediahub.settings")
    django.setup()
    everything = [problem for path in template_files() for problem in untranslated(path)]
    print("\n".join(everything))
    print(len(everything), "untranslated")
