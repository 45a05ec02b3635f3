# Sourced by run.sh and test.sh: installs what is missing, fast when nothing is.
# Re-running is safe: each step is skipped when its inputs have not changed.

STAMPS=.install-stamps
mkdir -p "$STAMPS"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# install_system PKG...: Debian/Ubuntu packages, installed only when missing.
install_system() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_bin() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "MediaHub needs Python 3.11 or newer" >&2
  return 1
}

# install_python PROFILE: a .venv with requirements/PROFILE.txt (base, dev, ml...).
install_python() {
  local profile=$1 stamp="$STAMPS/python-$1" digest
  digest=$(cat requirements/*.txt | sha256sum | cut -d' ' -f1)
  if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return 0
  fi
  if [ ! -x .venv/bin/python ]; then
    local py; py=$(python_bin)
    "$py" -m venv .venv 2>/dev/null || { install_system python3-venv; "$py" -m venv .venv; }
  fi
  echo "==> pip install -r requirements/$profile.txt"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "requirements/$profile.txt"
  echo "$digest" >"$stamp"
}

# install_frontend: npm ci into node_modules, then vendored into static/vendor.
install_frontend() {
  local stamp="$STAMPS/npm" digest
  command -v npm >/dev/null || install_system nodejs npm
  digest=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -d static/vendor ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    return 0
  fi
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$digest" >"$stamp"
}
