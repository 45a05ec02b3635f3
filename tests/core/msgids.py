"""The strings the code hands to gettext, found the way `makemessages` finds them, without running it
(xgettext over the whole tree takes tens of seconds): templates through Django's own `templatize`,
Python through its syntax tree, JavaScript by its gettext/ngettext calls.

Each string is keyed as the compiled catalogue keys it ("context\\x04msgid" when it has a context).
"""

import ast
import re
from pathlib import Path

from django.utils.translation.template import templatize

from tests.core.untranslated import ROOT, template_files

CALL = re.compile(r"\b(npgettext|pgettext|ngettext|gettext|gettext_lazy|ngettext_lazy|pgettext_lazy|_)\(")
# Where the msgid sits among the arguments, and whether a context comes first.
SHAPES = {"gettext": 0, "gettext_lazy": 0, "_": 0, "ngettext": 0, "ngettext_lazy": 0,
          "pgettext": 1, "pgettext_lazy": 1, "npgettext": 1}
PYTHON_DIRS = ["apps", "mediahub"]


def _key(name: str, args: list) -> str | None:
    strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args]
    position = SHAPES[name]
    if len(strings) <= position or strings[position] is None:
        return None  # a variable: nothing to extract (makemessages cannot either)
    if position:
        return f"{strings[0]}\x04{strings[1]}"
    return strings[0]


def _calls_in_text(text: str) -> set[str]:
    """gettext-like calls in text that is not Python as a whole (templatize's output, JavaScript)."""
    found = set()
    for match in CALL.finditer(text):
        start = match.start()
        end = text.find(")", match.end())
        while end != -1:
            try:
                call = ast.parse(text[start : end + 1], mode="eval").body
            except SyntaxError:
                end = text.find(")", end + 1)
                continue
            if isinstance(call, ast.Call) and (key := _key(match[1], call.args)):
                found.add(key)
            break
    return found


def template_msgids() -> dict[str, str]:
    found = {}
    for path in template_files():
        for key in _calls_in_text(templatize(path.read_text(), origin=str(path))):
            found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def python_msgids() -> dict[str, str]:
    found = {}
    for folder in PYTHON_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SHAPES:
                    if key := _key(node.func.id, node.args):
                        found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def javascript_msgids() -> dict[str, str]:
    found = {}
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("//"))
        for key in _calls_in_text(code):
            found.setdefault(key, str(path.relative_to(ROOT)))
    return found


def catalogue_path(language: str, domain: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
