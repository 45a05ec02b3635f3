"""The AI-generation filters of the asset FilterSet (apps/assets/filters.py mixes them in): by the
model and sampler an AI tool recorded (apps/assets/metadata/generation/), and generated or not.

The generation row has no visibility of its own: these filters narrow a queryset that is already
the caller's visible assets, so another user's prompts and models never match through them.
"""

import django_filters


class GenerationFilters(django_filters.FilterSet):
    ai_generated = django_filters.BooleanFilter(
        field_name="generation", lookup_expr="isnull", exclude=True,
        help_text="Images that carry AI generation parameters (true) or the others (false)",
    )
    ai_model = django_filters.CharFilter(
        field_name="generation__model_name",
        help_text="Made with this AI model (checkpoint name, as filter-options `ai_models` lists them)",
    )
    ai_sampler = django_filters.CharFilter(
        field_name="generation__sampler", help_text="Made with this sampler, e.g. `DPM++ 2M`",
    )
