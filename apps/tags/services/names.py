"""What a tag path may be: levels separated by `/`, each trimmed, none empty."""

import unicodedata

from django.utils.translation import gettext as _

from apps.core.errors import BadInput

from ..models import MAX_PATH, SEPARATOR


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def clean_path(value, field: str = "path") -> str:
    """`" Places / Italy/Rome "` -> `"Places/Italy/Rome"`; raises BadInput naming `field`.

    A comma is refused: filters take comma-separated lists of tags (`tags_all=a,b`)."""
    if not isinstance(value, str):
        raise BadInput(_("a tag is a text"), field=field)
    if _has_control(value):
        raise BadInput(_("a tag name may not contain control characters"), field=field)
    if "," in value:
        raise BadInput(_("a tag name may not contain a comma (commas separate tags in filters)"), field=field)
    levels = [level.strip() for level in value.split(SEPARATOR)]
    path = SEPARATOR.join(level for level in levels if level)
    if not path:
        raise BadInput(_("a tag needs a name"), field=field)
    if len(path) > MAX_PATH:
        raise BadInput(_("a tag name may be at most %(MAX_PATH)s characters, this one has %(value)s")
                       % {"MAX_PATH": MAX_PATH, "value": len(path)}, field=field)
    return path


def ancestors(path: str) -> list[str]:
    """`a/b/c` -> [`a`, `a/b`]."""
    levels = path.split(SEPARATOR)
    return [SEPARATOR.join(levels[:n]) for n in range(1, len(levels))]
