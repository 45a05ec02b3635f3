"""Values with counts for the Search page's dropdowns, over the assets the user can see.

A dimension is a function of the visible assets returning rows of (value, label, count) and the
search parameter its value goes to.
"""

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core.errors import BadInput
from apps.people.models import Face, Person
from apps.tags.options import tag_options

from . import camera_options, quality_options

OPTIONS_LIMIT = 200  # a dropdown, not a report


def _counted(assets, *fields, order="-count"):
    return assets.values(*fields).annotate(count=Count("pk")).order_by(order, *fields)[:OPTIONS_LIMIT]


def cameras(assets):
    rows = _counted(assets.exclude(camera_model=""), "camera_model", "camera_make")
    return [{"value": r["camera_model"], "label": _camera_label(r["camera_make"], r["camera_model"]),
             "count": r["count"]} for r in rows]


def _camera_label(make: str, model: str) -> str:
    if make and not model.lower().startswith(make.split()[0].lower()):
        return f"{make} {model}"
    return model


def lenses(assets):
    return [{"value": r["lens"], "label": r["lens"], "count": r["count"]}
            for r in _counted(assets.exclude(lens=""), "lens")]


def places(assets):
    # `gt ""` rather than a negation: assets not indexed yet (no search row) must not count as a blank city.
    rows = _counted(assets.filter(search__city__gt=""), "search__city", "search__country")
    return [{"value": r["search__city"], "label": ", ".join(filter(None, (r["search__city"], r["search__country"]))),
             "count": r["count"]} for r in rows]


def people(assets):
    """People on the visible assets, counted in assets (two faces of one person in a photo count once).
    Hidden people stay out, as they do from the people page."""
    rows = (Face.objects.filter(asset__in=assets, person__isnull=False, person__hidden=False)
            .values("person", "person__name")
            .annotate(count=Count("asset", distinct=True), unnamed=ExpressionWrapper(Q(person__name=""), BooleanField()))
            .order_by("-count", "unnamed", "person__name", "person")[:OPTIONS_LIMIT])  # named before "Person 12"
    return [{"value": r["person"], "label": str(Person(pk=r["person"], name=r["person__name"])), "count": r["count"]}
            for r in rows]


def years(assets):
    rows = _counted(assets.filter(taken_at__isnull=False).annotate(year=ExtractYear("taken_at")), "year",
                    order="-year")
    return [{"value": r["year"], "label": str(r["year"]), "count": r["count"]} for r in rows]


def kinds(assets):
    return [{"value": r["kind"], "label": Asset.Kind(r["kind"]).label, "count": r["count"]}
            for r in _counted(assets, "kind")]


def file_types(assets):
    return [{"value": r["mime"], "label": r["mime"], "count": r["count"]}
            for r in _counted(assets.exclude(mime=""), "mime")]


# AI-image generation (apps/assets/metadata/generation): the model and sampler a tool recorded.
def ai_models(assets):
    return [{"value": r["generation__model_name"], "label": r["generation__model_name"], "count": r["count"]}
            for r in _counted(assets.filter(generation__model_name__gt=""), "generation__model_name")]


def ai_samplers(assets):
    return [{"value": r["generation__sampler"], "label": r["generation__sampler"], "count": r["count"]}
            for r in _counted(assets.filter(generation__sampler__gt=""), "generation__sampler")]


# dimension -> (function, the search parameter its values filter on)
DIMENSIONS = {
    "cameras": (cameras, "camera_model"),
    "lenses": (lenses, "lens"),
    "places": (places, "place"),
    "people": (people, "person"),
    "years": (years, "year"),
    "kinds": (kinds, "kind"),
    "file_types": (file_types, "file_type"),
    "tags": (tag_options, "tags_all"),
    "ai_models": (ai_models, "ai_model"),
    "ai_samplers": (ai_samplers, "ai_sampler"),
}
# Camera settings (ranges, RAW, orientation): counted together in one scan by camera_options.
DIMENSIONS.update({name: (None, name) for name in camera_options.DIMENSIONS})
# Quality (apps/assets/quality): the score as a range, and its two flags, by quality_options.
DIMENSIONS.update({name: (None, name) for name in quality_options.DIMENSIONS})


def filter_options(user, dimensions=None) -> list[dict]:
    """[{dimension, param, options: [{value, label, count}]}]; unknown names raise BadInput."""
    names = list(dimensions) if dimensions else list(DIMENSIONS)
    unknown = [name for name in names if name not in DIMENSIONS]
    if unknown:
        raise BadInput(_("unknown: %(names)s; one of %(names2)s")
                       % {"names": ', '.join(unknown), "names2": ', '.join(DIMENSIONS)}, field="dimension")
    assets = Asset.objects.visible_to(user).alive()
    camera = camera_options.options(assets, names) | quality_options.options(assets, names)
    return [camera.get(name) or {"dimension": name, "param": DIMENSIONS[name][1], "options": _options(name, assets, user)}
            for name in names]


def _options(name, assets, user):
    """A dimension whose values are the caller's own (tags) says so with `needs_user`."""
    func = DIMENSIONS[name][0]
    return func(assets, user) if getattr(func, "needs_user", False) else func(assets)
