#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, or fails with a clear message.
# pyenv shims answer "command not found" for versions that are not selected, so each candidate is run.
set -u
candidates=(python3.13 python3.12)
for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.13* "${PYENV_ROOT:-$HOME/.pyenv}/versions"/3.12*; do
  [ -x "$root/bin/python3" ] && candidates+=("$root/bin/python3")
done
candidates+=(/usr/bin/python3.13 /usr/bin/python3.12 python3)
for py in "${candidates[@]}"; do
  if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    command -v "$py" 2>/dev/null || echo "$py"
    exit 0
  fi
done
echo "OpenCPF needs Python 3.12 or newer (python3.13 or python3.12 on PATH); none was found." >&2
exit 1
