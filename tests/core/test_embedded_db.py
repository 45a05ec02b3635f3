"""The embedded server is shared by every process of an install and keeps its data."""

import json
import os
import subprocess
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parents[2]

# Each child joins (or starts) the cluster in PGDATA, writes its own row, waits
# until the other child's row is visible, then reports the postmaster it used.
CHILD = r"""
import json, os, sys, time
from mediahub.embedded_db import ensure_database, ensure_running
import psycopg

server = ensure_running(os.environ["PGDATA"])
ensure_database(server, "shared")
with psycopg.connect(server.conninfo("shared"), autocommit=True) as conn:
    with conn.transaction():  # two children may create the table at once
        conn.execute("SELECT pg_advisory_xact_lock(42)")
        conn.execute("CREATE TABLE IF NOT EXISTS seen (who text primary key)")
    conn.execute("INSERT INTO seen VALUES (%s) ON CONFLICT DO NOTHING", [sys.argv[1]])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = {r[0] for r in conn.execute("SELECT who FROM seen")}
        if set(sys.argv[2:]) <= rows:
            break
        time.sleep(0.05)
    pid = conn.execute("SELECT pg_postmaster_start_time()::text").fetchone()[0]
print(json.dumps({"rows": sorted(rows), "postmaster": pid}))
"""


def run_children(pgdata, names, expect):
    """One process per name, started together; each waits until it sees every name in `expect`."""
    env = {**os.environ, "PGDATA": str(pgdata), "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, name, *expect], env=env, stdout=subprocess.PIPE, text=True
        )
        for name in names
    ]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=90)
        assert proc.returncode == 0
        results.append(json.loads(out))
    return results


def test_two_processes_share_one_data_dir_at_the_same_time(tmp_path):
    web, worker = run_children(tmp_path / "pg", ["web", "worker"], expect=["web", "worker"])
    assert web["rows"] == worker["rows"] == ["web", "worker"]
    assert web["postmaster"] == worker["postmaster"], "both processes must use one server"


def test_data_survives_a_restart(tmp_path):
    (first,) = run_children(tmp_path / "pg", ["before-restart"], expect=["before-restart"])
    # The last process exited, so pgserver stopped the server; this starts it again.
    (second,) = run_children(tmp_path / "pg", ["after-restart"], expect=["after-restart", "before-restart"])
    assert second["rows"] == ["after-restart", "before-restart"]
    assert second["postmaster"] != first["postmaster"]
