"""django-q2's Sentinel with queues that survive a killed worker, a bounded stop and a tick signal.

The stop of django-q2 1.11.1 waits for the pusher (which blocks for ever on a full task queue when the
workers are stuck), then for every task already handed to the workers to *finish*, up to queue_limit
of them, each up to the task timeout: with busy workers SIGTERM took minutes, with stuck ones for ever.
Here the tasks not started go back to the broker, the running ones get MEDIAHUB_WORKER_STOP_GRACE
seconds, and what is left is killed: every task is idempotent and its state table (stage status,
scan run) tells the next cluster what is left to do.
"""

import logging
import time
from multiprocessing import current_process
from multiprocessing.sharedctypes import RawValue
from queue import Empty, Full

from django import db
from django.conf import settings
from django.utils.translation import gettext as _
from django_q.brokers import get_broker
from django_q.cluster import Sentinel
from django_q.conf import Conf
from django_q.conf import logger as q_logger
from django_q.humanhash import humanize
from django_q.scheduler import scheduler
from django_q.signing import BadSignature, SignedPackage
from django_q.status import Stat
from django_q.worker import worker

from .locks import RobustQueue, robust_value
from .signals import cluster_tick

logger = logging.getLogger(__name__)

PUSHER_STOP_S = 3  # the pusher looks at its stop flag after each broker poll (ORM: 0.2 s, Redis: 1 s)
MONITOR_STOP_S = 5  # the monitor saves the results of the tasks that finished, then stops
TICK_AFTER_DEATH_S = 1  # a dead worker's database session (and its advisory locks) is gone by then


def give_back(broker, payload: str, ack_id) -> None:
    """Return a task this cluster took but will not run, for the next cluster to run at once
    (not when its claim expires). Generic over brokers: queue it again, drop the claimed copy."""
    broker.enqueue(payload)
    if ack_id is not None:
        broker.delete(ack_id)


def pusher(task_queue, stop_flag, broker=None):
    """django-q2's pusher, except that it never blocks on a full task queue: it looks at its stop
    flag every half second and gives back what it holds when asked to stop."""
    broker = broker or get_broker()
    name = current_process().name
    q_logger.info(_("%(name)s pushing tasks at %(id)s") % {"name": name, "id": current_process().pid})
    while not stop_flag.value:
        try:
            task_set = broker.dequeue() or []
        except Exception:  # noqa: BLE001 - the broker is down: the sentinel spawns a new pusher later
            q_logger.exception("Failed to pull task from broker")
            _wait_for(lambda: stop_flag.value, 10)
            break
        for index, (ack_id, payload) in enumerate(task_set):
            try:
                task = SignedPackage.loads(payload)
            except (TypeError, BadSignature):
                q_logger.exception("Failed to push task to queue")
                broker.fail(ack_id)
                continue
            task["cluster"] = Conf.CLUSTER_NAME
            task["ack_id"] = ack_id
            if not _put_unless_stopped(task_queue, task, stop_flag):
                for rest_ack_id, rest_payload in task_set[index:]:
                    give_back(broker, rest_payload, rest_ack_id)
                break
    q_logger.info(_("%(name)s stopped pushing tasks") % {"name": name})


def _put_unless_stopped(task_queue, task, stop_flag) -> bool:
    while True:
        try:
            task_queue.put(task, timeout=0.5)
            return True
        except Full:
            if stop_flag.value:
                return False


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


class RobustSentinel(Sentinel):
    def __init__(self, stop_event, start_event, cluster_id, broker=None, timeout=None, start=True):
        super().__init__(stop_event, start_event, cluster_id, broker, timeout, start=False)
        self.task_queue = RobustQueue(Conf.QUEUE_LIMIT or 0)
        self.result_queue = RobustQueue()
        # A plain byte, not an Event: an Event's lock held by a killed pusher would block set().
        self.pusher_stop = RawValue("b", 0)
        self.tick_interval = settings.MEDIAHUB_RECONCILE_INTERVAL
        self.next_tick = 0.0
        self.ticks = 0
        if start:
            self.start()

    # -- processes ------------------------------------------------------------------------------
    def spawn_worker(self):
        # The guard holds each worker's timer lock while it looks at the worker: a worker killed while
        # it held that lock (it does, briefly, after each task) must not stop the guard.
        self.spawn_process(worker, self.task_queue, self.result_queue, robust_value("f", -1), self.timeout)

    def spawn_pusher(self):
        return self.spawn_process(pusher, self.task_queue, self.pusher_stop, self.broker)

    def reincarnate(self, process):
        was_worker = process in self.pool
        super().reincarnate(process)
        if was_worker:
            # Its task, if it had one, is in the state tables as started and not finished.
            self.next_tick = min(self.next_tick, time.monotonic() + TICK_AFTER_DEATH_S)

    # -- the guard loop -------------------------------------------------------------------------
    def guard(self):
        cluster_name = humanize(self.cluster_id.hex) + f" [{self.queue_name()}]"
        q_logger.info(
            _("%(name)s guarding cluster %(cluster_name)s")
            % {"name": current_process().name, "cluster_name": cluster_name}
        )
        self.start_event.set()
        Stat(self).save()
        q_logger.info(_("Q Cluster %(cluster_name)s running.") % {"cluster_name": cluster_name})
        counter = 0
        cycle = Conf.GUARD_CYCLE
        while True:
            self.check_workers(cycle)
            if not self.monitor.is_alive():
                self.reincarnate(self.monitor)
            if not self.pusher.is_alive():
                self.reincarnate(self.pusher)
            counter += cycle
            if counter >= 30 and Conf.SCHEDULER:
                counter = 0
                scheduler(broker=self.broker)
            self.tick_if_due()
            Stat(self).save()
            if self.stop_event.wait(cycle):
                break
        self.stop()

    def check_workers(self, cycle: float) -> None:
        for process in list(self.pool):
            with process.timer.get_lock():
                if not process.is_alive() or process.timer.value == 0:
                    self.reincarnate(process)
                elif process.timer.value > 0:
                    process.timer.value -= cycle

    def tick_if_due(self) -> None:
        now = time.monotonic()
        if now < self.next_tick:
            return
        self.next_tick = now + self.tick_interval
        responses = cluster_tick.send_robust(
            sender=type(self),
            queue=Conf.CLUSTER_NAME,
            starting=self.ticks == 0,
            started=self.tob,
            handed_out=self.task_queue.qsize(),
        )
        self.ticks += 1
        for receiver, response in responses:
            if isinstance(response, Exception):
                logger.error("cluster tick %s failed: %r", receiver, response, exc_info=response)
        # Never keep a connection across the next fork (a reincarnated worker would share it).
        db.connections.close_all()

    # -- stopping -------------------------------------------------------------------------------
    def stop(self):
        Stat(self).save()
        name = current_process().name
        started = time.monotonic()
        q_logger.info(_("%(name)s stopping cluster processes") % {"name": name})
        self.pusher_stop.value = 1
        if not _wait_for(lambda: not self.pusher.is_alive(), PUSHER_STOP_S):
            self.pusher.kill()
        handed_back = self.hand_back_queued()
        for __ in self.pool:
            try:
                self.task_queue.put("STOP", timeout=0.5)
            except Full:
                break
        grace = settings.MEDIAHUB_WORKER_STOP_GRACE
        _wait_for(lambda: not any(p.is_alive() for p in self.pool), grace)
        busy = [p for p in self.pool if p.is_alive()]
        for process in busy:
            process.kill()
        for process in self.pool:
            process.join(1)
        self.pool = []
        self.result_queue.put("STOP")
        if not _wait_for(lambda: not self.monitor.is_alive(), MONITOR_STOP_S):
            self.monitor.kill()
        # Nobody reads these queues any more: exiting must not wait to flush them into their pipes.
        self.task_queue.cancel_join_thread()
        self.result_queue.cancel_join_thread()
        logger.info(
            "%s stopped in %.1f s: %d task(s) not started given back, %d busy worker(s) stopped after %s s",
            name,
            time.monotonic() - started,
            handed_back,
            len(busy),
            grace,
        )
        Stat(self).save()

    def hand_back_queued(self) -> int:
        """Tasks this cluster took from the broker but no worker started: back to the broker now."""
        given = 0
        deadline = time.monotonic() + 1
        while self.task_queue.qsize() > 0 and time.monotonic() < deadline:
            try:
                task = self.task_queue.get(timeout=0.1)
            except Empty:
                continue
            if not isinstance(task, dict):
                continue
            ack_id = task.pop("ack_id", None)
            give_back(self.broker, SignedPackage.dumps(task), ack_id)
            given += 1
        return given
