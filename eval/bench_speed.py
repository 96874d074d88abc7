"""Ingest throughput and search latency, in one run, printed as a table and written as JSON.

    .venv/bin/python eval/bench_speed.py seeds/ [--squad ../shared/data/covidqa_dev.json] \
        [--models e5 minilm] [--out F]

Each collection is measured with each embedding model in the same run (default: the default
multilingual-e5-small and the packaged all-MiniLM-L6-v2), so their rates compare directly.

- ingest: wall time of a fresh `RAG.ingest`, passages/s, against the embedding model's bare
  `encode` of the same passage texts (the bound on what ingest can reach);
- re-ingest: wall time of a no-change `RAG.ingest` (nothing embedded);
- search: median/p95 of 50 `RAG.search` calls in one process (embedding included), and the
  median of 5 `rag search` command-line calls (process start and model loading included).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rag import RAG  # noqa: E402
from rag.bench import load_squad, percentile, report_rows, write_collection  # noqa: E402

QUESTIONS = [
    "Why does adapting to local conditions avoid overcapacity?",
    "为什么因地制宜可以避免产能过剩？",
    "What does the development of new quality productive forces ultimately depend on?",
    "Which province has good conditions to develop new quality productive forces?",
    "What are the Five Industrial Bases?",
]


def bench_collection(name: str, paths: list[Path], questions: list[str], model: str = "") -> dict:
    data = tempfile.mkdtemp(prefix=f"rag-speed-{name}-")
    rag = RAG(data_dir=data, embed_model=model)
    rag.store.embedder  # load the model first: ingest time should not include it
    t = time.perf_counter()
    report = rag.ingest(paths)
    ingest_s = time.perf_counter() - t
    texts = [p.text for p in rag.store.passages(rag.store.passages_ids()).values()]
    t = time.perf_counter()
    rag.store.embedder.encode(texts)
    encode_s = time.perf_counter() - t
    t = time.perf_counter()
    again = rag.ingest(paths)
    reingest_s = time.perf_counter() - t
    assert again.passages_embedded == 0

    times = []
    for i in range(50):
        q = questions[i % len(questions)]
        t = time.perf_counter()
        rag.search(q, k=5)
        times.append((time.perf_counter() - t) * 1000)
    cli = []
    for q in questions[:5]:
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("rag")), "search", q, "--data-dir", data, "--json"],
                       check=True, capture_output=True, env={**os.environ, "RAG_EMBED_MODEL": model})
        cli.append(time.perf_counter() - t)
    n = len(texts)
    return {
        "collection": name,
        "model": rag.store.embedder.identity,
        "files": len(rag.files()),
        "passages": n,
        "ingest_s": round(ingest_s, 2),
        "ingest_passages_per_s": round(n / ingest_s, 1),
        "encode_only_s": round(encode_s, 2),
        "encode_passages_per_s": round(n / encode_s, 1),
        "ingest_vs_encode": round((n / ingest_s) / (n / encode_s), 3),
        "embedded_in_ingest": report.passages_embedded,
        "reingest_no_change_s": round(reingest_s, 2),
        "search_p50_ms": round(statistics.median(times), 1),
        "search_p95_ms": round(percentile(times, 0.95), 1),
        "cli_search_median_s": round(statistics.median(cli), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default="seeds")
    ap.add_argument("--squad", default=None, help="also a SQuAD-format file as a collection")
    ap.add_argument("--models", nargs="+", default=["e5", "minilm"])
    ap.add_argument("--out", default="bench-results/speed.json")
    args = ap.parse_args()
    rows = []
    for model in args.models:
        rows.append(bench_collection(Path(args.folder).name, [Path(args.folder)], QUESTIONS, model))
        if args.squad:
            _, contexts, qs = load_squad(args.squad)
            folder = Path(tempfile.mkdtemp(prefix="rag-speed-docs-"))
            rows.append(bench_collection(Path(args.squad).stem, write_collection(contexts, folder),
                                         [q.question for q in qs[:50]], model))
    cols = ["collection", "model", "files", "passages", "ingest_s", "ingest_passages_per_s", "encode_passages_per_s",
            "ingest_vs_encode", "reingest_no_change_s", "search_p50_ms", "search_p95_ms", "cli_search_median_s"]
    report_rows(rows, cols, args.out)


if __name__ == "__main__":
    main()
