# Shared by scripts/demo and scripts/test: a virtual environment with pinned dependencies.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PICKETLINE_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_debian_package() {  # need_debian_package COMMAND PACKAGE: install it when missing and root
  local cmd="$1" pkg="$2"
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $pkg (Debian package) for $cmd"
    if [ ! -f /tmp/.picketline-apt-updated ]; then
      apt-get update -qq && touch /tmp/.picketline-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
  fi
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "Missing: '$cmd'. Install the Debian package '$pkg' (sudo apt-get install $pkg) and run again." >&2
    exit 1
  fi
}

ensure_venv() {  # ensure_venv EXTRAS
  local extras="$1" stamp
  if [ ! -x "$PY" ]; then
    say "creating $VENV"
    python3 -m venv "$VENV"
  fi
  stamp="$VENV/.picketline-$extras-$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    say "installing Picketline and its pinned dependencies ($extras)"
    "$PY" -m pip install -q --upgrade pip
    if [ "$extras" = "base" ]; then
      "$PY" -m pip install -q -c "$ROOT/constraints.txt" -e "$ROOT"
    else
      "$PY" -m pip install -q -c "$ROOT/constraints.txt" -e "$ROOT[$extras]"
    fi
    touch "$stamp"
  fi
  need_debian_package msgfmt gettext
  (cd "$ROOT/picketline" && "$PY" -m django compilemessages --settings=picketline.lib.build_settings -v 0)
}
