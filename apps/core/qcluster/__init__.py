"""MediaHub's django-q2 cluster: `manage.py qcluster` (apps/core/management/commands) runs this.

django-q2's own cluster, with three changes (see each module for the measured reasons):
- locks.py: the queues between sentinel, pusher, workers and monitor use locks the kernel frees when
  their holder dies, so a killed worker can no longer leave the others waiting for ever;
- sentinel.py: a stop that ends within MEDIAHUB_WORKER_STOP_GRACE (tasks handed out but not started
  go back to the broker, busy workers are stopped after the grace), and a `cluster_tick` signal at
  start and every MEDIAHUB_RECONCILE_INTERVAL seconds, so apps can rebuild the queue from their own
  state (apps/scanning/recovery.py);
- cluster.py: the main process waits a bounded time for the sentinel and never leaves orphans.
"""
