"""`manage.py qcluster`: django-q2's command, running MediaHub's cluster (apps/core/qcluster).

Listed before django_q in INSTALLED_APPS, so this one is the `qcluster` Django finds. The queue a
cluster serves is django-q2's Q_CLUSTER_NAME environment variable: unset for the default queue of
short tasks, `mediahub-long` for scans, transcodes and re-clusters, `mediahub-ml` for model inference
(see README, "Workers").
"""

import sys

from django.conf import settings
from django_q.management.commands.qcluster import Command as DjangoQCommand

from apps.core.qcluster.cluster import MediaHubCluster


class Command(DjangoQCommand):
    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018 - refuse to start without one: tasks are signed with it
        if options.get("cluster_name"):
            self.stderr.write(
                "--name is read too late on Linux: set Q_CLUSTER_NAME in the environment instead"
            )
            sys.exit(2)
        cluster = MediaHubCluster()
        cluster.start()
        if options.get("run_once"):
            cluster.stop()
            return
        code = cluster.supervise()
        if code:
            sys.exit(code)
