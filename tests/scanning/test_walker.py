import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from apps.scanning.walker import WalkProblems, walk

from .conftest import make_jpeg

REPO = Path(__file__).resolve().parents[2]


def walked(root, batch_size=1000):
    problems = WalkProblems()
    batches = list(walk(str(root), problems, batch_size))
    return batches, problems


def relpaths(batches):
    return sorted(entry.relative for batch in batches for entry in batch)


def test_only_media_files_are_assets_and_hidden_entries_and_sidecars_are_skipped(tmp_path):
    for name in [
        "a.jpg",
        "b.HEIC",
        "c.mov",
        "d.mp3",
        "sub/e.png",
        "notes.txt",
        "a.jpg.xmp",
        "IMG.AAE",
        ".hidden.jpg",
        ".thumbs/f.jpg",
        "@eaDir/g.jpg",
    ]:
        make_jpeg(str(tmp_path / name))
    batches, problems = walked(tmp_path)
    assert relpaths(batches) == ["a.jpg", "b.HEIC", "c.mov", "d.mp3", "sub/e.png"]
    kinds = {e.relative: e.kind for b in batches for e in b}
    assert kinds == {
        "a.jpg": "photo",
        "b.HEIC": "photo",
        "c.mov": "video",
        "d.mp3": "audio",
        "sub/e.png": "photo",
    }
    assert problems.count == 0


def test_batches_are_bounded(tmp_path):
    for i in range(25):
        make_jpeg(str(tmp_path / f"x{i // 10}" / f"{i}.jpg"), i)
    batches, _ = walked(tmp_path, batch_size=4)
    assert max(len(b) for b in batches) == 4
    assert len(relpaths(batches)) == 25


def test_symlink_loops_and_links_out_of_the_root_are_not_followed(tmp_path):
    root = tmp_path / "root"
    make_jpeg(str(root / "a" / "1.jpg"))
    outside = tmp_path / "outside"
    make_jpeg(str(outside / "2.jpg"))
    (root / "a" / "loop").symlink_to(root)  # a -> root -> a -> ...
    (root / "out").symlink_to(outside)
    (root / "link.jpg").symlink_to(outside / "2.jpg")
    batches, problems = walked(root)
    assert relpaths(batches) == ["a/1.jpg"]
    assert problems.count == 0


def test_fifos_and_sockets_named_like_photos_do_not_hang_the_walk(tmp_path):
    make_jpeg(str(tmp_path / "real.jpg"))
    os.mkfifo(tmp_path / "fifo.jpg")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.jpg"))
        batches, _ = walked(tmp_path)
    assert relpaths(batches) == ["real.jpg"]


def test_non_utf8_names_are_walked_with_surrogate_escapes(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.jpg"  # Latin-1 name, invalid UTF-8
    with open(raw, "wb") as fh:
        fh.write(b"x")
    batches, _ = walked(tmp_path)
    (entry,) = [e for b in batches for e in b]
    assert os.fsencode(entry.relative) == b"caf\xe9.jpg"


WALK_CHILD = """
import json, sys
from apps.scanning.walker import WalkProblems, walk
problems = WalkProblems()
files = sorted(e.relative for b in walk(sys.argv[1], problems) for e in b)
print(json.dumps({"files": files, "unreadable": problems.unreadable_dirs, "log": problems.log}))
"""


def test_an_unreadable_folder_is_reported_and_the_walk_goes_on(tmp_path):
    make_jpeg(str(tmp_path / "ok" / "1.jpg"))
    make_jpeg(str(tmp_path / "locked" / "2.jpg"))
    make_jpeg(str(tmp_path / "zz" / "3.jpg"))
    (tmp_path / "locked").chmod(0)
    command = [sys.executable, "-c", WALK_CHILD, str(tmp_path)]
    if os.geteuid() == 0:
        # Root reads anything; without the DAC capabilities it obeys file modes like any user.
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv (util-linux) is not installed")
        command = [
            "setpriv",
            "--inh-caps=-dac_override,-dac_read_search",
            "--bounding-set=-dac_override,-dac_read_search",
            *command,
        ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
            check=False,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == ["ok/1.jpg", "zz/3.jpg"]
    assert report["unreadable"] == ["locked"]
    assert "Permission denied" in report["log"][0]["error"]
