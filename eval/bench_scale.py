"""Retrieval latency and memory as the collection grows: 1k, 10k, 100k passages, embedded
Chroma and a `chroma run` server started here. Prints a table, writes JSON.

    .venv/bin/python eval/bench_scale.py [--sizes 1000 10000 100000] [--out bench-results/scale.json]

Passages are synthetic (sentences drawn from a fixed vocabulary, in files of 100 passages) and
ingested through the ordinary pipeline, except that their vectors come from a hash of the text
instead of the model: embedding 100k passages would take about 4 hours on 2 cores and measures
the model, which `bench_speed.py` already does. A query's latency is the real encode of
the question plus the hybrid search (dense + BM25 + fusion + catalogue) at that size; an answer's
is a whole extractive `ask` (retrieval, verification, quotes). Each row runs in its own process,
so its peak memory (VmHWM) is its own; the server rows add the `chroma run` process's peak.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rag.answer import Answerer  # noqa: E402
from rag.bench import free_port, peak_rss_mb, percentile, report_rows  # noqa: E402
from rag.embeddings import get_embedder  # noqa: E402
from rag.ingest import ingest  # noqa: E402
from rag.retrieve import Retriever  # noqa: E402
from rag.settings import load_settings  # noqa: E402
from rag.store import Store  # noqa: E402

WORDS = ("industry innovation talent reform region capital market energy vehicle battery chip software "
         "factory supply chain export policy province city research university finance credit bank "
         "data platform network green carbon solar wind grid rail port logistics farm water health "
         "education training worker wage price demand growth output productivity technology").split()


class HashEmbedder:
    """Deterministic unit vectors from text hashes: the pipeline's cost without the model's."""

    def __init__(self, real):
        self.real = real
        self.identity = real.identity  # queries are then embedded by the real model, as a user's are
        self.dim = real.dim

    def encode(self, texts, query=False):
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha1(t.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out

    def count_tokens(self, texts):
        return [len(t.split()) + 2 for t in texts]


def make_collection(folder: Path, passages: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in range(max(1, passages // 100)):
        paras = []
        for _ in range(100):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(5)]
            paras.append(" ".join(sentences))
        p = folder / f"doc_{f:05d}.txt"
        p.write_text("\n\n".join(paras))
        paths.append(p)
    return paths


def measure(size: int, docs: list[Path], real, chroma_url: str = "") -> dict:
    data = tempfile.mkdtemp(prefix=f"rag-scale-{size}-")
    # ~70 words a passage: chunk_tokens in hash-embedder tokens (words + 2) keeps 1 paragraph each.
    settings = load_settings(data_dir=data, chroma_url=chroma_url, chunk_tokens=80, overlap_sentences=0)
    store = Store(settings, embedder=HashEmbedder(real))
    t = time.perf_counter()
    ingest(store, docs)
    ingest_s = time.perf_counter() - t
    # Queries from here on are what a user's are: the real encode plus the hybrid search.
    store._embedder = real
    retriever = Retriever(store, settings)
    questions = [" ".join(random.Random(i).choice(WORDS) for _ in range(6)) for i in range(30)]
    times = []
    for q in questions:
        t = time.perf_counter()
        retriever.search(q, k=5)
        times.append((time.perf_counter() - t) * 1000)
    # And whole answers (retrieval, verification, quotes) with the extractive backend.
    answerer = Answerer(store, retriever, settings)
    answer_times, cited = [], 0
    for q in questions[:5]:
        t = time.perf_counter()
        cited += bool(answerer.ask(f"What about {q}?", backend="extractive").citations)
        answer_times.append(time.perf_counter() - t)
    row = {
        "passages": store.count(),
        "store": "server" if chroma_url else "embedded",
        "ingest_s_without_model": round(ingest_s, 1),
        "query_p50_ms": round(statistics.median(times), 1),
        "query_p95_ms": round(percentile(times, 0.95), 1),
        "answer_p50_s": round(statistics.median(answer_times), 2),
        "answers_with_quotes": f"{cited}/{len(answer_times)}",
        "max_rss_mb": peak_rss_mb(),
    }
    shutil.rmtree(data, ignore_errors=True)
    return row


def wait_for_server(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    import urllib.request
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"chroma run exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"chroma run did not answer at {url} within {timeout:.0f} s")


def run_one(size: int, docs: Path, chroma_url: str) -> dict:
    """One measurement in a fresh process (see main), so each row's memory is its own."""
    cmd = [sys.executable, __file__, "--one", str(size), "--docs", str(docs)]
    if chroma_url:
        cmd += ["--chroma-url", chroma_url]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"measuring {size} passages failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--out", default="bench-results/scale.json")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one measurement
    ap.add_argument("--docs", help=argparse.SUPPRESS)
    ap.add_argument("--chroma-url", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        row = measure(args.one, sorted(Path(args.docs).glob("*.txt")), get_embedder(), args.chroma_url)
        print(json.dumps(row), flush=True)
        return
    rows = []
    chroma = Path(sys.executable).with_name("chroma")
    for size in args.sizes:
        docs = Path(tempfile.mkdtemp(prefix="rag-scale-docs-"))
        make_collection(docs, size)
        rows.append(run_one(size, docs, ""))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        srv_dir = tempfile.mkdtemp(prefix="rag-scale-chroma-")
        server = subprocess.Popen([str(chroma), "run", "--path", srv_dir, "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        try:
            wait_for_server(url, server)
            row = run_one(size, docs, url)
            row["server_max_rss_mb"] = peak_rss_mb(server.pid)
            rows.append(row)
        finally:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(srv_dir, ignore_errors=True)
            shutil.rmtree(docs, ignore_errors=True)
        print(json.dumps(rows[-2:]), flush=True)
    cols = ["passages", "store", "ingest_s_without_model", "query_p50_ms", "query_p95_ms", "answer_p50_s",
            "answers_with_quotes", "max_rss_mb",
            "server_max_rss_mb"]
    report_rows(rows, cols, args.out)


if __name__ == "__main__":
    main()
