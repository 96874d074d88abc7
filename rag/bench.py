"""Retrieval benchmark on a SQuAD-format file: answer-text hit@k, MRR and latency per mode.

Each context becomes a document ingested by the ordinary pipeline (cleaning, splitting,
embedding), so the figures describe what `rag search` does. A retrieved passage hits when it
contains a gold answer text, whitespace and case normalised (`rag.evaluation.matching.answer_hit`,
the rule the grounding evaluation shares; SQuAD files are read by `rag.evaluation.sets.load_squad`).
"""
from __future__ import annotations

import hashlib
import json
import re
import socket
import statistics
import tempfile
import time
from pathlib import Path

from .errors import InputError
# normalise is imported for the eval/*.py scripts that take it from here.
from .evaluation.matching import first_answer_hit, normalise  # noqa: F401
from .evaluation.sets import SquadQuestion, load_squad, write_collection
from .ingest import ingest
from .retrieve import Retriever
from .settings import Settings
from .store import Store


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a server a benchmark starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def peak_rss_mb(pid: int | str = "self") -> int:
    """A process's peak resident memory in MB (this process's by default).

    Read from VmHWM, which belongs to the process's own address space: getrusage's ru_maxrss
    keeps the high-water mark of the parent a process was forked from (Linux carries it across
    exec), so a child of a large test runner would report the runner's peak.
    """
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) // 1024


def report_rows(rows: list[dict], cols: list[str], out: str | Path) -> None:
    """Print benchmark rows as a table and write them as JSON."""
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r.get(c, "-")) for c in cols))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(rows, indent=2))


def bench_retrieval(file: str | Path, settings: Settings, k: int = 5, limit: int | None = None,
                    fresh: bool = False, progress: bool = False, modes=("fused", "dense", "bm25"),
                    baseline: bool = False) -> dict:
    file = Path(file)
    titles, contexts, questions = load_squad(file)
    if limit:
        questions = questions[:limit]
    if not questions:
        raise InputError(f"{file}: no answerable questions found.")
    digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
    base = Path(settings.cache_dir) / "bench" / f"{file.stem}-{digest}"
    data_dir = Path(tempfile.mkdtemp(prefix="rag-bench-")) if fresh else base / f"index-{settings.chunk_tokens}"
    settings = settings.replace(data_dir=str(data_dir))
    store = Store(settings)
    docs = write_collection(contexts, base / "docs")
    t = time.perf_counter()
    report = ingest(store, docs, progress=progress)
    ingest_s = time.perf_counter() - t
    retriever = Retriever(store, settings)

    depth = max(10, k)
    results: dict[str, dict] = {}
    context_tokens: list[int] = []
    for mode in modes:
        hits1 = hitk = 0
        rr = 0.0
        times: list[float] = []
        for q in questions:
            t = time.perf_counter()
            found = retriever.search(q.question, depth, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
            rank = first_answer_hit(q.answers, (r.passage.text for r in found))
            if rank is not None:
                hits1 += rank == 0
                hitk += rank < k
                rr += 1.0 / (rank + 1) if rank < 10 else 0.0
            if mode == "fused":
                context_tokens.append(sum(store.embedder.count_tokens([r.passage.text for r in found[:k]])))
        n = len(questions)
        results[mode] = {
            "hit@1": round(hits1 / n, 4),
            "hit@k": round(hitk / n, 4),
            "mrr@10": round(rr / n, 4),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
        }
    if baseline:
        results["llamaindex"] = llamaindex_baseline(docs, questions, settings, k, context_tokens_out := [])
    return {
        "file": str(file),
        "k": k,
        "questions": len(questions),
        "documents": len(contexts),
        "passages": store.count(),
        "chunk_tokens": settings.chunk_tokens,
        "fusion": settings.fusion,
        "context_tokens_mean": round(statistics.mean(context_tokens), 1) if context_tokens else 0.0,
        **({"llamaindex_context_tokens_mean": round(statistics.mean(context_tokens_out), 1)} if baseline else {}),
        "ingest_seconds": round(ingest_s, 2),
        "passages_embedded": report.passages_embedded,
        "results": results,
    }


def format_table(result: dict) -> str:
    k = result["k"]
    lines = [
        f"{result['file']}: {result['questions']} questions, {result['documents']} documents, "
        f"{result['passages']} passages (chunk {result['chunk_tokens']} tokens), "
        f"context {result['context_tokens_mean']} tokens for k={k}",
        f"{'retriever':<12}{'hit@1':>8}{'hit@' + str(k):>8}{'MRR@10':>8}{'p50 ms':>9}{'p95 ms':>9}",
    ]
    for mode, r in result["results"].items():
        lines.append(f"{mode:<12}{r['hit@1']:>8.3f}{r['hit@k']:>8.3f}{r['mrr@10']:>8.3f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}")
    return "\n".join(lines)


def llamaindex_baseline(docs: list[Path], questions: list[SquadQuestion], settings: Settings, k: int,
                        context_tokens: list[int]) -> dict:
    """The plain pipeline people wire themselves: SimpleDirectoryReader, a VectorStoreIndex over
    Chroma with the same embedding model and llama-index's default chunking (1024 tokens)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from .embeddings import default_model_path, get_embedder

    embed = HuggingFaceEmbedding(model_name=settings.embed_model or default_model_path(), device="cpu")
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    store = ChromaVectorStore(chroma_collection=client.get_or_create_collection("llamaindex_baseline"))
    documents = SimpleDirectoryReader(input_files=[str(p) for p in docs]).load_data()
    index = VectorStoreIndex.from_documents(documents, storage_context=StorageContext.from_defaults(vector_store=store),
                                            embed_model=embed)
    retriever = index.as_retriever(similarity_top_k=max(10, k))
    counter = get_embedder(settings.embed_model, settings.cache_dir)
    hits1 = hitk = 0
    rr = 0.0
    times = []
    for q in questions:
        t = time.perf_counter()
        nodes = retriever.retrieve(q.question)
        times.append((time.perf_counter() - t) * 1000)
        texts = [n.node.get_content() for n in nodes]
        rank = first_answer_hit(q.answers, texts)
        if rank is not None:
            hits1 += rank == 0
            hitk += rank < k
            rr += 1.0 / (rank + 1) if rank < 10 else 0.0
        context_tokens.append(sum(counter.count_tokens(texts[:k])))
    n = len(questions)
    return {"hit@1": round(hits1 / n, 4), "hit@k": round(hitk / n, 4), "mrr@10": round(rr / n, 4),
            "p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 0.95), 2)}
