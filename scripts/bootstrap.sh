#!/usr/bin/env bash
# Sets up .venv with a Python >= 3.12 found on this machine and the locked dependencies.
# Safe to run again: uv only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never   # interpreters cannot be downloaded on government intranets

find_python() {
    local candidate
    if [ -n "${TIEUCHI_PYTHON:-}" ]; then echo "$TIEUCHI_PYTHON"; return 0; fi
    for candidate in python3.14 python3.13 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && ok "$(command -v "$candidate")"; then
            command -v "$candidate"; return 0
        fi
    done
    # pyenv keeps interpreters that its shims may not expose (the global version may be 3.11).
    local root="${PYENV_ROOT:-$HOME/.pyenv}"
    if command -v pyenv >/dev/null 2>&1; then root="$(pyenv root)"; fi
    for candidate in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV) \
                     /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9]; do
        if [ -x "$candidate/bin/python3" ] && ok "$candidate/bin/python3"; then
            echo "$candidate/bin/python3"; return 0
        fi
        if [ -x "$candidate" ] && [ ! -d "$candidate" ] && ok "$candidate"; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

PY="$(find_python)" || {
    echo "Không tìm thấy Python >= 3.12. Cài Python 3.12 (hoặc đặt TIEUCHI_PYTHON=/đường/dẫn/python3.12) rồi chạy lại." >&2
    exit 1
}

UV="$(command -v uv || true)"
if [ -z "$UV" ] || ! "$UV" --version >/dev/null 2>&1; then
    UV=""
    for candidate in "$HOME/.local/bin/uv" "$(dirname "$(command -v python3)")/uv"; do
        if [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then UV="$candidate"; break; fi
    done
fi
if [ -z "$UV" ]; then
    echo "Đang cài uv bằng pip..." >&2
    python3 -m pip install --quiet --user uv >&2 || python3 -m pip install --quiet uv >&2
    UV="$(python3 -c 'import sysconfig,os;print(os.path.join(sysconfig.get_path("scripts","posix_user"),"uv"))')"
    [ -x "$UV" ] || UV="$(python3 -c 'import sysconfig,os;print(os.path.join(sysconfig.get_path("scripts"),"uv"))')"
fi

"$UV" sync --frozen --python "$PY" --quiet
echo "Môi trường sẵn sàng: .venv ($("$PY" --version))" >&2
