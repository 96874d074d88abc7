#!/usr/bin/env bash
# Installs the project into .venv/ in the repository root. Safe to run again.
# The first run compiles llama-cpp-python from source (about 7 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# The CPU build of PyTorch first: any other spelling of torch may pull a multi-GB CUDA build.
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -e ".[test]"
echo "Installed: $(.venv/bin/rag --help | head -1)"
