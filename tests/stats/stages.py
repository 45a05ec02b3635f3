"""Stand-ins named like the real derivative and metadata stages (so the Jobs kinds map onto them),
doing no work: the jobs tests are about counting and queueing, not about images."""

from apps.scanning.pipeline import Stage


class Metadata(Stage):
    name = "metadata"

    def run(self, asset):
        pass


class Thumbnail(Stage):
    name = "thumbnail"

    def applies_to(self, asset):
        return asset.kind == "photo"

    def run(self, asset):
        pass


class Preview(Thumbnail):
    name = "preview"
