import os
import socket

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from apps.assets.models import Asset
from apps.scanning import services
from apps.scanning.fsnames import decode_path
from apps.scanning.models import AssetStage, ScanRun

from .conftest import STAGES, jpeg_bytes, make_jpeg, make_tree
from .stages import runs

pytestmark = pytest.mark.django_db

ONE_STAGE = override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.SizeStage"])


def scan(library, **kwargs):
    return services.scan_library(library, inline=True, **kwargs)


def counts(run):
    return {k: getattr(run, k) for k in ["files_seen", "new", "changed", "moved", "missing", "errors"]}


@ONE_STAGE
def test_first_scan_indexes_every_media_file_once_and_runs_the_pipeline(library, library_root, stage_log):
    make_tree(library_root, 30, per_dir=7)
    (library_root / "readme.txt").write_text("not media")
    run = scan(library, batch_size=8)
    assert run.state == "done"
    assert counts(run) == {"files_seen": 30, "new": 30, "changed": 0, "moved": 0, "missing": 0, "errors": 0}
    assets = Asset.objects.filter(library=library)
    assert assets.count() == 30
    assert set(assets.values_list("status", flat=True)) == {"ready"}
    first = assets.get(path="d000/IMG_00000.jpg")
    assert (first.kind, first.mime, first.filename, first.width) == (
        "photo",
        "image/jpeg",
        "IMG_00000.jpg",
        16,
    )
    assert (
        len(first.content_hash) == 64 and first.taken_at == first.mtime and first.taken_at_source == "mtime"
    )
    assert first.size == os.path.getsize(library_root / first.path)
    assert len(runs(stage_log)) == 30


@ONE_STAGE
def test_rescanning_an_unchanged_tree_writes_nothing_but_the_scan_record(library, library_root, stage_log):
    make_tree(library_root, 40)
    scan(library)
    before = list(Asset.objects.order_by("pk").values_list("pk", "updated"))
    with CaptureQueriesContext(connection) as queries:
        run = scan(library)
    assert counts(run) == {"files_seen": 40, "new": 0, "changed": 0, "moved": 0, "missing": 0, "errors": 0}
    assert list(Asset.objects.order_by("pk").values_list("pk", "updated")) == before
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert all('"scanning_scanrun"' in sql for sql in writes), writes
    assert len(runs(stage_log)) == 40  # the pipeline did not run again


@ONE_STAGE
def test_a_changed_file_is_rehashed_and_its_stages_run_again(library, library_root, stage_log):
    make_tree(library_root, 3)
    scan(library)
    target = library_root / "d000/IMG_00001.jpg"
    old = Asset.objects.get(path="d000/IMG_00001.jpg")
    make_jpeg(str(target), seed=999)
    os.utime(target, ns=(0, 1_700_000_000_000_000_000))
    run = scan(library)
    assert (run.changed, run.new) == (1, 0)
    new = Asset.objects.get(pk=old.pk)
    assert new.content_hash != old.content_hash and new.status == "ready"
    assert runs(stage_log).count(("test-size", str(old.pk))) == 2


def test_full_rescan_finds_content_changed_behind_an_unchanged_size_and_mtime(library, library_root):
    make_tree(library_root, 2)
    scan(library)
    target = library_root / "d000/IMG_00000.jpg"
    stat = target.stat()
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF  # same size
    target.write_bytes(bytes(data))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert scan(library).changed == 0  # size and mtime match: not even read
    run = scan(library, full=True)
    assert run.changed == 1 and run.full


@ONE_STAGE
def test_a_moved_file_keeps_its_id_and_its_stages(library, library_root, stage_log):
    make_tree(library_root, 5)
    scan(library)
    asset = Asset.objects.get(path="d000/IMG_00002.jpg")
    (library_root / "renamed").mkdir()
    os.rename(library_root / "d000/IMG_00002.jpg", library_root / "renamed/holiday.jpg")
    run = scan(library)
    assert (run.moved, run.new, run.missing) == (1, 0, 0)
    moved = Asset.objects.get(pk=asset.pk)
    assert (moved.path, moved.filename, moved.status) == ("renamed/holiday.jpg", "holiday.jpg", "ready")
    assert Asset.objects.filter(library=library).count() == 5
    assert runs(stage_log).count(("test-size", str(asset.pk))) == 1


def test_a_copy_is_a_new_asset_not_a_move(library, library_root):
    make_tree(library_root, 1)
    scan(library)
    (library_root / "copy.jpg").write_bytes((library_root / "d000/IMG_00000.jpg").read_bytes())
    run = scan(library)
    assert (run.new, run.moved) == (1, 0)
    assert len(set(Asset.objects.values_list("content_hash", flat=True))) == 1


def test_vanished_files_become_missing_and_come_back(library, library_root):
    make_tree(library_root, 4)
    scan(library)
    content = (library_root / "d000/IMG_00003.jpg").read_bytes()
    stat = (library_root / "d000/IMG_00003.jpg").stat()
    (library_root / "d000/IMG_00003.jpg").unlink()
    run = scan(library)
    assert run.missing == 1
    gone = Asset.objects.get(path="d000/IMG_00003.jpg")
    assert gone.status == "missing"
    assert scan(library).missing == 0  # counted once
    (library_root / "d000/IMG_00003.jpg").write_bytes(content)
    os.utime(library_root / "d000/IMG_00003.jpg", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    scan(library)
    back = Asset.objects.get(pk=gone.pk)
    assert back.status == "ready"


def test_a_file_moved_after_it_went_missing_is_still_recognised(library, library_root):
    make_tree(library_root, 2)
    scan(library)
    asset = Asset.objects.get(path="d000/IMG_00001.jpg")
    data = (library_root / asset.path).read_bytes()
    (library_root / asset.path).unlink()
    scan(library)
    (library_root / "later.jpg").write_bytes(data)
    run = scan(library)
    assert run.moved == 1 and Asset.objects.get(pk=asset.pk).path == "later.jpg"


def test_non_utf8_names_are_stored_in_a_form_that_finds_the_real_file(library, library_root):
    raw_dir = os.fsencode(str(library_root)) + b"/f\xf6rien"
    os.mkdir(raw_dir)
    with open(raw_dir + b"/\xe9t\xe9.jpg", "wb") as fh:
        fh.write(b"\xff\xd8 not decodable, still an asset")
    run = scan(library)
    assert (run.new, run.errors) == (1, 0)
    asset = Asset.objects.get(library=library)
    assert asset.path.isprintable() and "\ufffd" in asset.filename
    real = os.path.join(library.root_path, decode_path(asset.path))
    assert os.fsencode(real) == raw_dir + b"/\xe9t\xe9.jpg" and os.path.exists(real)
    assert scan(library).new == 0  # and the rescan recognises it


def test_a_file_that_vanishes_before_it_is_hashed_is_logged_and_the_scan_goes_on(library, library_root):
    from apps.scanning.scanner import Scanner
    from apps.scanning.walker import WalkProblems, walk

    make_tree(library_root, 3)
    run = services._create_run(library, ScanRun.State.RUNNING, False)
    scanner = Scanner(library, run)
    scanner.load_index()
    (batch,) = list(walk(str(library_root), WalkProblems()))
    os.unlink(library_root / batch[0].relative)  # gone between the listing and the read
    scanner.process_batch(batch)
    assert Asset.objects.count() == 2
    assert scanner.problems.count == 1 and "No such file" in scanner.problems.log[0]["error"]


def test_a_second_scan_of_the_same_library_is_refused_while_one_runs(library, library_root):
    services._create_run(library, ScanRun.State.RUNNING, False)
    with pytest.raises(services.ScanConflict):
        scan(library)
    library.paused = True
    with pytest.raises(services.ScanConflict, match="paused"):
        services.start_scan(library)


def test_a_running_scan_left_by_a_dead_process_is_marked_failed(library, library_root):
    make_tree(library_root, 1)
    dead = ScanRun.objects.create(
        library=library, state="running", hostname=socket.gethostname(), pid=2**22 + 7
    )
    run = scan(library)
    assert run.state == "done"
    dead.refresh_from_db()
    assert dead.state == "failed" and "vanished" in dead.error_log[-1]["error"]


def test_a_stage_error_shows_on_the_asset_and_not_as_a_scan_error(library, library_root, stage_log):
    make_jpeg(str(library_root / "broken.jpg"))
    with override_settings(MEDIAHUB_PIPELINE_STAGES=[f"{STAGES}.FailOnBrokenStage"]):
        run = scan(library)
    assert run.state == "done" and run.errors == 0
    assert Asset.objects.get().status == "error"
    assert AssetStage.objects.get().error.startswith("ValueError")


@ONE_STAGE
def test_run_stages_command_completes_what_is_missing_and_forces_reruns(library, library_root, stage_log):
    from django.core.management import call_command

    make_tree(library_root, 4)
    with override_settings(MEDIAHUB_PIPELINE_STAGES=[]):
        scan(library)  # indexed before the stage existed
    assert runs(stage_log) == []
    call_command("run_stages", "--inline", "--library", library.name)
    assert len(runs(stage_log)) == 4
    assert set(Asset.objects.values_list("status", flat=True)) == {"ready"}
    call_command("run_stages", "--inline")  # nothing left to do
    assert len(runs(stage_log)) == 4
    one = Asset.objects.first()
    call_command("run_stages", "--inline", "--force", "--stage", "test-size", "--asset", str(one.pk))
    assert runs(stage_log)[-1] == ("test-size", str(one.pk))


def test_removing_a_library_deletes_its_derivatives_and_keeps_the_originals(library, library_root):
    storage = pytest.importorskip("apps.assets.derivatives.storage", reason="derivatives app not present")
    pytest.importorskip("apps.assets.derivatives.stage")
    make_tree(library_root, 2)
    with override_settings(MEDIAHUB_PIPELINE_STAGES=["apps.assets.derivatives.stage.ThumbnailStage"]):
        scan(library)
    ids = list(Asset.objects.values_list("pk", flat=True))
    thumbnails = [storage.existing(pk, storage.Derivative.THUMBNAIL) for pk in ids]
    assert all(t is not None and t.exists() for t in thumbnails)
    services.remove_library(library)
    assert not any(t.exists() for t in thumbnails)
    assert not Asset.objects.exists()
    assert sorted(p.name for p in (library_root / "d000").iterdir()) == ["IMG_00000.jpg", "IMG_00001.jpg"]


def test_a_file_rewritten_while_it_is_hashed_is_not_indexed_with_a_torn_hash(tmp_path):
    from apps.scanning.scanner import FileChangedDuringScan, hash_file

    target = tmp_path / "a.jpg"
    target.write_bytes(b"first version")
    before = target.stat()
    target.write_bytes(b"second, longer version")  # what a camera import does mid-scan
    with pytest.raises(FileChangedDuringScan):
        hash_file(str(target), before.st_size, before.st_mtime_ns)


def test_renaming_a_folder_moves_every_file_in_it_and_keeps_their_ids(library, library_root):
    make_tree(library_root, 30, per_dir=10)
    scan(library)
    before = dict(Asset.objects.filter(path__startswith="d001/").values_list("filename", "pk"))
    os.rename(library_root / "d001", library_root / "2024 Summer")
    run = scan(library, batch_size=4)
    assert (run.moved, run.new, run.missing) == (10, 0, 0)
    after = dict(Asset.objects.filter(path__startswith="2024 Summer/").values_list("filename", "pk"))
    assert after == before


def test_an_empty_or_vanished_root_fails_the_scan_instead_of_marking_everything_missing(
    library, library_root
):
    make_tree(library_root, 3)
    scan(library)
    moved_away = library_root.parent / "unmounted"
    os.rename(library_root, moved_away)
    library_root.mkdir()  # the empty mount point an unmounted share leaves
    run = scan(library)
    assert run.state == "failed" and "not marking them missing" in run.error_log[-1]["error"]
    assert set(Asset.objects.values_list("status", flat=True)) == {"ready"}
    library_root.rmdir()
    run = scan(library)
    assert run.state == "failed" and "not reachable" in run.error_log[-1]["error"]
    os.rename(moved_away, library_root)
    assert scan(library).state == "done"


def test_the_scan_command_prints_a_one_line_summary_and_fails_loudly(library, library_root, capsys):
    from django.core.management import CommandError, call_command

    make_tree(library_root, 5)
    call_command("scan", str(library_root), "--inline")
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith(
        f"{library.name}: done, 5 files seen, 5 new, 0 changed, 0 moved, 0 missing, 0 errors,"
    )
    assert line.endswith("files/s")
    with pytest.raises(CommandError, match="no library matches"):
        call_command("scan", "Nope")
    services._create_run(library, ScanRun.State.RUNNING, False)
    with pytest.raises(CommandError, match="already queued or running"):
        call_command("scan", library.name)


def test_a_non_utf8_name_goes_through_every_real_stage(library, library_root, settings):
    """The stored name is encoded for PostgreSQL; source_path() must still open the real file."""
    from mediahub import settings as project

    settings.MEDIAHUB_PIPELINE_STAGES = project.MEDIAHUB_PIPELINE_STAGES
    name = os.fsencode(library_root) + b"/caf\xe9.jpg"  # Latin-1 é: not valid UTF-8
    with open(name, "wb") as fh:
        fh.write(jpeg_bytes(7))
    run = scan(library)
    assert run.errors == 0
    asset = Asset.objects.get(library=library)
    assert os.fsencode(asset.source_path()) == name
    assert asset.status == "ready", asset.last_error
    assert AssetStage.objects.filter(asset=asset, stage="preview", done_at__isnull=False).exists()
