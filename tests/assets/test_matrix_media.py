"""Permission matrix of the media routes: only callers who can see the asset get its bytes."""

import pytest

from apps.assets.models import Asset
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern
from tests.permission_matrix import PRIVATE_OBJECT, Endpoint, PermissionMatrix


class MediaMatrix(PermissionMatrix):
    @pytest.fixture(autouse=True)
    def _folder(self, library_root):
        """The folder each caller's library is made on (make_object gets only the owner)."""
        self.root = library_root


class TestPhotoMediaMatrix(MediaMatrix):
    endpoints = [
        Endpoint("GET", "/api/assets/{pk}/thumbnail", PRIVATE_OBJECT),
        Endpoint("GET", "/api/assets/{pk}/preview", PRIVATE_OBJECT),
        Endpoint("GET", "/api/assets/{pk}/original", PRIVATE_OBJECT),
    ]

    def make_object(self, owner):
        quadrant_pattern(320, 240).save(self.root / "photo.jpg", quality=80)
        return asset_for(library_at(self.root, owner), "photo.jpg")


class TestVideoMediaMatrix(MediaMatrix):
    # An H.264/AAC MP4 is served as it is, so its bytes need not be a real film here.
    endpoints = [Endpoint("GET", "/api/assets/{pk}/video", PRIVATE_OBJECT)]

    def make_object(self, owner):
        (self.root / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
        return asset_for(library_at(self.root, owner), "clip.mp4", kind=Asset.Kind.VIDEO, mime="video/mp4",
                         video_codec="h264", audio_codec="aac", has_audio=True)


class TestAudioMediaMatrix(MediaMatrix):
    endpoints = [Endpoint("GET", "/api/assets/{pk}/audio.mp3", PRIVATE_OBJECT)]

    def make_object(self, owner):
        (self.root / "song.mp3").write_bytes(b"ID3" + b"\x00" * 64)
        return asset_for(library_at(self.root, owner), "song.mp3", kind=Asset.Kind.AUDIO, mime="audio/mpeg")
