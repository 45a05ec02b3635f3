"""The one streamed ZIP (apps/core/zipstream.py): valid while written, a length up front for files
sent as they are, unique names, and the files left out named inside."""

import io
import os
import zipfile

from apps.core import zipstream
from apps.core.zipstream import Entry


def test_a_zip_of_files_knows_its_length_before_the_first_byte(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"a" * 300_000)
    (tmp_path / "b.jpg").write_bytes(b"b" * 10)
    entries = iter([Entry("a.jpg", path=tmp_path / "a.jpg"), Entry("A.JPG", path=tmp_path / "b.jpg"),
                    Entry("gone.jpg", path=tmp_path / "gone.jpg"), Entry("lost.jpg", missing="it is lost")])

    response = zipstream.zip_response("Photos", entries, left_out=2)

    chunks = list(response.streaming_content)
    assert int(response["Content-Length"]) == sum(map(len, chunks))
    assert response["X-Left-Out"] == "2" and 'filename="Photos.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert archive.namelist() == ["a.jpg", "A (2).JPG", "LEFT OUT.txt"]
    assert archive.read("a.jpg") == b"a" * 300_000 and archive.read("A (2).JPG") == b"b" * 10
    note = archive.read("LEFT OUT.txt").decode()
    assert "gone.jpg: the file is missing" in note and "lost.jpg: it is lost" in note


def test_made_files_stream_without_a_length_and_are_made_only_when_their_turn_comes():
    made = []

    def entries():
        for name in ("x.txt", "y.txt"):
            made.append(name)
            yield Entry(name, chunks=iter([name.encode() * 100_000, b"!"]))

    response = zipstream.zip_response("Made", entries(), sized=False)

    assert "Content-Length" not in response and made == []
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert made == ["x.txt"], "the second file waits for the first to be sent"
    archive = zipfile.ZipFile(io.BytesIO(first + b"".join(chunks)))
    assert archive.testzip() is None
    assert archive.read("x.txt") == b"x.txt" * 100_000 + b"!" and archive.read("y.txt") == b"y.txt" * 100_000 + b"!"


def test_names_in_a_zip_are_unique():
    unique = zipstream.UniqueNames()
    assert [unique(n) for n in ("IMG_1.jpg", "img_1.JPG", "x/IMG_1.jpg", "IMG_1 (2).jpg")] == [
        "IMG_1.jpg",
        "img_1 (2).JPG",
        "IMG_1 (3).jpg",
        "IMG_1 (2) (2).jpg",
    ]


def test_a_folder_zip_keeps_subfolders_but_nothing_climbs_out():
    unique = zipstream.UniqueNames(folders=True)
    assert [unique(n) for n in ("a/IMG_1.jpg", "A/img_1.jpg", "../../etc/passwd", "/abs/x.jpg")] == [
        "a/IMG_1.jpg",
        "A/img_1 (2).jpg",
        "etc/passwd",
        "abs/x.jpg",
    ]


def test_the_next_files_are_asked_of_the_disk_before_their_turn_and_no_further(tmp_path, monkeypatch):
    """On a cold cache the disk reads the coming files while the current one is CRC'd and sent."""
    paths = []
    for n in range(6):
        paths.append(tmp_path / f"{n}.jpg")
        paths[-1].write_bytes(bytes([n]) * 1000)
    advised, fadvise = [], zipstream.os.posix_fadvise
    monkeypatch.setattr(zipstream.os, "posix_fadvise", lambda fd, *args: (
        advised.append(zipstream.os.readlink(f"/proc/self/fd/{fd}")), fadvise(fd, *args))[1])
    monkeypatch.setattr(zipstream, "PREFETCH_BYTES", 2500)

    response = zipstream.zip_response("Photos", iter(Entry(p.name, path=p) for p in paths))
    body = iter(response.streaming_content)
    first = next(body)

    assert advised == [os.path.realpath(p) for p in paths[:3]]  # 2,500 bytes ahead of what is sent: three files
    archive = zipfile.ZipFile(io.BytesIO(first + b"".join(body)))
    assert [archive.read(p.name) for p in paths] == [bytes([n]) * 1000 for n in range(6)]
    assert advised == [os.path.realpath(p) for p in paths]
