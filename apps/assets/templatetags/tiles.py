"""What every grid tile carries, whichever page draws it (Photos, Search, albums, people, folders,
shared links): its shown size for the justified layout (static/js/grid-layout.js) and its badges."""

from django import template
from django.utils.safestring import mark_safe

from ..presentation import display_size

register = template.Library()


@register.simple_tag
def tile_size(asset):
    """`data-width` / `data-height`: the shown size, whose ratio the justified rows keep (a square
    when unknown, as the square tiles draw it)."""
    width, height = display_size(asset) or (1, 1)
    # Two integers: nothing to escape (format_html cost a fifth of a 120-tile page's rendering).
    return mark_safe(f'data-width="{int(width)}" data-height="{int(height)}"')


@register.filter
def clock(seconds) -> str:
    """A video's duration as players show it: 0:07, 4:05, 1:02:03."""
    if seconds is None:
        return ""
    total = max(0, round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
