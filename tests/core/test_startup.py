"""A web worker freezes what its imports created, so full garbage collections skip it."""

import subprocess
import sys

from tests.scanning.subprocess_env import REPO, child_env

PROBE = """
import gc
import mediahub.wsgi
import apps.search.api.views as views
frozen = gc.get_freeze_count()
gc.collect()
print(frozen, gc.get_freeze_count(), any(obj is views.__dict__ for obj in gc.get_objects()))
"""


def test_importing_the_wsgi_application_freezes_the_imported_objects(db, tmp_path):
    answer = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=child_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr[-3000:]
    frozen, still_frozen, views_tracked = answer.stdout.split()
    assert int(frozen) > 100_000 and int(still_frozen) == int(frozen)
    assert views_tracked == "False"  # an API view module's namespace is frozen, not walked by each collection


CYCLE_PROBE = """
import gc, weakref
import mediahub.wsgi
from django.core.signals import request_finished

class Node:
    pass

node = Node()
node.itself = node  # a cycle: only the collector frees it
alive = weakref.ref(node)
del node
request_finished.send(sender=None)
print(gc.get_threshold()[0], alive() is None)
"""


def test_a_requests_cyclic_garbage_is_freed_when_it_ends(db, tmp_path):
    answer = subprocess.run([sys.executable, "-c", CYCLE_PROBE], cwd=REPO, env=child_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr[-3000:]
    threshold, freed = answer.stdout.split()
    assert int(threshold) >= 10_000  # automatic young collections no longer run mid-request
    assert freed == "True"
