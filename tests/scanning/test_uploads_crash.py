"""kill -9 of the web server in the middle of a tus upload: a real gunicorn on the test database,
killed (master and worker, SIGKILL) while a PATCH streams, started again, and the same upload
resumed by tuspy. The file ends byte-identical (BLAKE3) and is indexed once."""

import hashlib
import io
import os
import signal

import pytest
import requests
from blake3 import blake3
from tusclient import client as tus

from apps.accounts.tokens import create_token
from apps.assets.models import Asset
from apps.scanning.models import Upload
from apps.scanning.uploads import storage
from tests.core.install import free_port

from .subprocess_env import child_env, start_gunicorn

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
MB = 1024 * 1024


class KillingBody:
    """A request body that SIGKILLs the server's whole process group once `after` bytes are read."""

    def __init__(self, data: bytes, after: int, group: int):
        self.stream, self.after, self.group, self.sent = io.BytesIO(data), after, group, 0
        self.length = len(data)

    def __len__(self):
        return self.length

    def read(self, size=-1):
        if self.sent >= self.after and self.group:
            os.killpg(self.group, signal.SIGKILL)
            self.group = 0
        chunk = self.stream.read(size)
        self.sent += len(chunk)
        return chunk


def test_a_tus_upload_survives_kill_9_of_the_web_server_and_resumes_byte_identical(user, tmp_path, settings):
    upload_dir = tmp_path / "uploads"
    settings.MEDIAHUB_UPLOAD_DIR = upload_dir  # this process reads what the server wrote
    env = child_env(tmp_path / "data", MEDIAHUB_UPLOAD_DIR=upload_dir)
    headers = {"Authorization": f"Token {create_token(user, 'crash test')[1]}"}
    content = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + hashlib.shake_256(b"crash").digest(24 * MB)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/api/uploads/tus/"

    web = start_gunicorn(env, port, tmp_path / "web-1.log")
    try:
        first = tus.TusClient(endpoint, headers=headers).uploader(
            file_stream=io.BytesIO(content), chunk_size=2 * MB, metadata={"filename": "crash.mp4"}
        )
        first.upload(stop_at=2 * MB)  # one chunk fully in: the killed process holds its hasher
        body = KillingBody(content[2 * MB :], after=14 * MB, group=web.pid)
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.patch(first.url, data=body, timeout=60, headers={
                **headers, "Tus-Resumable": "1.0.0", "Upload-Offset": str(2 * MB),
                "Content-Type": "application/offset+octet-stream",
            })
        web.popen.wait(timeout=30)
    finally:
        web.end(signal.SIGKILL)

    web = start_gunicorn(env, port, tmp_path / "web-2.log")
    try:
        resumed = tus.TusClient(endpoint, headers=headers).uploader(
            file_stream=io.BytesIO(content), chunk_size=4 * MB, url=first.url, upload_checksum=True
        )
        kept = resumed.offset
        resumed.upload()
        answer = requests.get(first.url, headers=headers, timeout=30).json()
    finally:
        web.end()

    print(f"\nFIGURE bytes kept across kill -9: {kept:,} of {len(content):,}")
    assert 2 * MB <= kept < len(content)
    upload = Upload.objects.get()
    assert (upload.state, upload.outcome, answer["status"]) == ("done", "created", "created")
    asset = Asset.objects.get()  # indexed once
    assert str(asset.pk) == answer["asset"] == str(upload.asset_id)
    files = [p for p in upload_dir.rglob("*") if p.is_file()]
    assert files == [upload_dir / "alice" / asset.path]
    assert blake3(files[0].read_bytes()).hexdigest() == blake3(content).hexdigest() == asset.content_hash
    assert not storage.partial_path(upload.pk).exists()
