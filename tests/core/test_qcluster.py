"""MediaHub's django-q2 cluster: queues that survive a killed worker, and one queue per kind of work."""

import multiprocessing
import os
import pickle
import signal
import time
from pathlib import Path

import pytest
from django_q.models import OrmQ

from apps.core.qcluster.locks import ProcessLock, RobustQueue
from apps.core.queue import LONG, SHORT, enqueue, waiting
from mediahub import config

fork = multiprocessing.get_context("fork")


def _read_forever(task_queue, result_queue):
    for item in iter(task_queue.get, "STOP"):
        result_queue.put((os.getpid(), item))


def _wchan(pid: int) -> str:
    return Path(f"/proc/{pid}/wchan").read_text()


def _wait_for_wchan(pids, word, deadline_s=10):
    deadline = time.monotonic() + deadline_s
    while not any(word in _wchan(pid) for pid in pids):
        assert time.monotonic() < deadline, f"no reader blocked in {word}"
        time.sleep(0.01)
    return next(pid for pid in pids if word in _wchan(pid))


def test_a_reader_killed_while_it_holds_the_queue_lock_does_not_stop_the_other_readers():
    # Two idle readers: one waits for data inside the read lock, the other for the lock. Killing the
    # first left a multiprocessing.Queue locked for ever (the idle worker the issue killed).
    task_queue, result_queue = RobustQueue(8), RobustQueue()
    readers = [
        fork.Process(target=_read_forever, args=(task_queue, result_queue), daemon=True) for _ in range(2)
    ]
    for reader in readers:
        reader.start()
    try:
        holder = _wait_for_wchan([r.pid for r in readers], "pipe")
        os.kill(holder, signal.SIGKILL)
        # Reaped before anything is put: a killed reader that is still being woken could take a
        # message's first bytes with it (the window the report names), which is not what this test is about.
        next(r for r in readers if r.pid == holder).join(10)
        for item in range(3):
            task_queue.put(item)
        done = [result_queue.get(timeout=10) for _ in range(3)]
        assert sorted(item for _, item in done) == [0, 1, 2]
        assert {pid for pid, _ in done} == {r.pid for r in readers} - {holder}
        assert task_queue.qsize() == 0
    finally:
        for reader in readers:
            reader.kill()


def _hold_lock_then_wait(lock, ready):
    lock.acquire()
    ready.set()
    signal.pause()


def test_a_process_lock_is_released_by_the_death_of_its_holder_and_excludes_meanwhile():
    lock, ready = ProcessLock(), fork.Event()
    holder = fork.Process(target=_hold_lock_then_wait, args=(lock, ready), daemon=True)
    holder.start()
    assert ready.wait(10)
    assert not lock.acquire(timeout=0.2)
    holder.kill()
    holder.join()
    assert lock.acquire(timeout=5)
    with lock:  # re-entrant in its holder
        pass
    lock.release()


def test_a_process_lock_is_shared_by_forking_only():
    with pytest.raises(TypeError, match="forking"):
        pickle.dumps(ProcessLock())


def test_each_queue_claims_its_tasks_for_as_long_as_they_may_run():
    cluster = config.q_cluster_settings("", workers=2, timeout=600, long_workers=1, long_timeout=7200)
    long = cluster["ALT_CLUSTERS"][config.LONG_QUEUE]
    assert (cluster["timeout"], cluster["retry"]) == (600, 660)
    assert (long["timeout"], long["retry"], long["workers"]) == (7200, 7260, 1)


@pytest.mark.django_db
def test_long_tasks_go_to_the_long_queue_and_the_rest_to_the_default_one():
    enqueue("apps.scanning.tasks.scan_library_task", 1, key="scan-1", group="scan")
    enqueue("apps.people.tasks.recluster_faces", 1, key="recluster-1", group="faces")
    enqueue("apps.scanning.tasks.run_stages_task", ["a"], key="stages-a", group="pipeline")
    enqueue("apps.scanning.tasks.run_stages_task", ["b"], key="stages-b", group="pipeline", queue=LONG)
    by_queue = {}
    for row in OrmQ.objects.all():
        by_queue.setdefault(row.key, set()).add(row.task["name"])
    assert by_queue == {"mediahub": {"stages-a"}, config.LONG_QUEUE: {"scan-1", "recluster-1", "stages-b"}}
    assert (waiting(SHORT), waiting(LONG)) == (1, 3)
