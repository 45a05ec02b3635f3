from django import forms

from apps.assets.location import MAX_RADIUS_KM

SEARCH_TYPES = ("text", "semantic", "hybrid")


class SearchParams(forms.Form):
    """The search-only parameters, shared by the API and the Search page (AssetFilter adds the rest)."""

    q = forms.CharField(required=False, max_length=500, help_text="Words; each matches as a prefix")
    search_type = forms.ChoiceField(
        required=False, choices=[("", "default")] + [(t, t) for t in SEARCH_TYPES],
        help_text="text (words), semantic (meaning, CLIP) or hybrid (both); default hybrid when "
                  "embeddings exist and the CLIP model is available, else text",
    )
    semantic_weight = forms.FloatField(required=False, min_value=0, max_value=1,
                                       help_text="Hybrid: weight of the CLIP similarity (default from settings)")
    text_weight = forms.FloatField(required=False, min_value=0, max_value=1,
                                   help_text="Hybrid: weight of the normalised text rank (default from settings)")
    filename = forms.CharField(required=False, max_length=255, help_text="Substring of the file name")
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    radius_km = forms.FloatField(required=False, min_value=0.001, max_value=MAX_RADIUS_KM)
    place = forms.CharField(required=False, max_length=200, help_text="City, as filter-options lists them")
    country = forms.CharField(required=False, min_length=2, max_length=2, help_text="ISO 3166 code, e.g. FR")
    year = forms.IntegerField(required=False, min_value=1800, max_value=3000)
    file_type = forms.CharField(required=False, max_length=128, help_text="MIME type, e.g. image/jpeg")

    def clean(self):
        data = super().clean()
        circle = [data.get(name) is not None for name in ("lat", "lon", "radius_km")]
        if any(circle) and not all(circle):
            raise forms.ValidationError("lat, lon and radius_km go together: give all three or none")
        return data
