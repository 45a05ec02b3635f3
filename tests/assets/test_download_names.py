"""Downloading a file whose name holds control characters: the header stays one safe line."""

from urllib.parse import quote

import pytest

from tests.assets.media_samples import asset_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["two\nlines.jpg", "tab\there.jpg", "cr\r\nlf.jpg", "bell\x07.jpg", "del\x7f.jpg"]
)
def test_a_file_named_with_control_characters_downloads_with_a_safe_disposition(
    user_client, library, library_root, name
):
    (library_root / name).write_bytes(b"\xff\xd8not-really-a-jpeg")
    asset = asset_for(library, name)

    response = user_client.get(f"/api/assets/{asset.pk}/original")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8not-really-a-jpeg"
    disposition = response["Content-Disposition"]
    assert not any(ord(c) < 32 or ord(c) == 127 for c in disposition)
    # RFC 6266: the real name, percent-encoded, for clients that read filename*.
    assert disposition.endswith(f"filename*=UTF-8''{quote(name, safe='')}")
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "".join("_" if ord(c) < 32 or ord(c) == 127 else c for c in name)
