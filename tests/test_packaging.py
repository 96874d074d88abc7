"""The project installs as a package: a built wheel carries the prompts, and an installed copy
(not the repository) finds them."""
from __future__ import annotations

import glob
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_prompts_and_an_installed_copy_loads_them(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(REPO),
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True, timeout=300)
    wheel = glob.glob(str(tmp_path / "dist" / "*.whl"))[0]
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = sorted(p.name for p in (REPO / "prompts").glob("*.txt"))
    assert prompts and all(f"rag/prompt_files/{p}" in names for p in prompts)
    assert "rag/evaluation/scoring.py" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), wheel],
                   check=True, capture_output=True, timeout=300)
    code = "import rag.prompts as p; print(p.__file__); print(p.load_prompt('refusal_en'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(target)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(str(target)) and "The documents do not say" in out.stdout
