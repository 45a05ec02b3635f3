#!/usr/bin/env bash
# Run the whole test suite from a fresh clone (what .ci/run calls).
#   ./test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")"

source deploy/scripts/install.sh
install_system ffmpeg chromium
install_python dev
install_frontend

exec .venv/bin/python -m pytest "$@"
