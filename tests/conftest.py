"""Shared fixtures: one real index of seeds/ per test session (real Chroma, real MiniLM)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
RAG_BIN = str(Path(sys.executable).with_name("rag"))

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory) -> Path:
    """A private copy of seeds/, so tests that add files never touch the repository."""
    d = tmp_path_factory.mktemp("seeds")
    for f in SEEDS.iterdir():
        shutil.copy(f, d / f.name)
    return d


@pytest.fixture(scope="session")
def seeds_rag(tmp_path_factory, seeds_dir):
    """A RAG over the seeds, extractive by default (tests choose other backends per call)."""
    from rag import RAG

    rag = RAG(data_dir=str(tmp_path_factory.mktemp("index")), llm="extractive")
    report = rag.ingest([seeds_dir])
    assert len(report.added) == 5 and not report.failed
    return rag


def run_cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([RAG_BIN, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rag_over(tmp_path: Path, text: str, name: str = "doc.txt"):
    """An extractive RAG over one document holding `text`, indexed in `tmp_path`."""
    return rag_over_files(tmp_path, {name: text})


def rag_over_files(tmp_path: Path, files: dict[str, str]):
    """An extractive RAG over documents named and holding `files`, indexed in `tmp_path`."""
    from rag import RAG

    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    rag = RAG(data_dir=str(tmp_path / "index"), llm="extractive")
    rag.ingest([docs])
    return rag
