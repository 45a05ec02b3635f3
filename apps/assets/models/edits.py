from django.conf import settings
from django.db import models


class AssetEdit(models.Model):
    """A user's overrides of an asset's metadata. The edited (effective) values live in the asset's
    own columns, so the timeline, its month counts and memories (generated columns and triggers),
    the map, search and previous/next follow an edit with no query knowing about edits. This row
    keeps what the file says for each overridden group, e.g.
    {"taken_at": {"taken_at": "2019-07-01T10:00:00+00:00", "taken_at_offset": null, "taken_at_source": "exif"},
     "title": {"title": ""}}; the metadata stage refreshes those values and leaves the asset's own."""

    asset = models.OneToOneField("assets.Asset", on_delete=models.CASCADE, primary_key=True, related_name="edit")
    original = models.JSONField(default=dict, help_text="{group: {field: the file's value}} of each overridden group")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"edits of {self.asset_id}: {', '.join(self.original)}"
