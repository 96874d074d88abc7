"""Choose the fusion of dense and BM25 rankings on one split, report it on another.

    .venv/bin/python eval/tune_fusion.py --tune ../shared/data/covidqa_dev.json ../shared/data/cmrc2018_trial.json \
        --report HELD_OUT.json ... --out bench-results/fusion.json

Each file is ingested by the ordinary pipeline (the same cached index as `rag bench-retrieval`),
each question's dense and BM25 candidate lists are fetched once, and every fusion method below
is scored on them offline (answer-text hit@1/hit@5/MRR@10, as `rag bench-retrieval` scores).
The method with the best mean hit@5 over the tuning files, without losing to the better single
retriever on any of them, is reported on the report files, which took no part in the choice.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rag.bench import load_squad, normalise, write_collection  # noqa: E402
from rag.embeddings import encode_cached  # noqa: E402
from rag.ingest import ingest  # noqa: E402
from rag.retrieve import Retriever, containment, shingles  # noqa: E402
from rag.settings import load_settings  # noqa: E402
from rag.store import Store  # noqa: E402

DEPTH = 50
K = 5


def candidates(file: str, settings):
    import hashlib

    titles, contexts, questions = load_squad(file)
    digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()[:12]
    base = Path(settings.cache_dir) / "bench" / f"{Path(file).stem}-{digest}"
    s = settings.replace(data_dir=str(base / f"index-{settings.chunk_tokens}"))
    store = Store(s)
    ingest(store, write_collection(contexts, base / "docs"))
    retr = Retriever(store, s)
    rows = []
    texts: dict[str, str] = {}
    for q in questions:
        vec = encode_cached(store.embedder, [q.question], query=True)[0]
        dense = store.dense_search(vec, DEPTH)
        bm25 = store.bm25().search(q.question, DEPTH)
        need = [pid for pid, _ in dense + bm25 if pid not in texts]
        texts.update({pid: p.text for pid, p in store.passages(need).items()})
        gold = [normalise(a) for a in q.answers]
        hits = {pid for pid, _ in dense + bm25 if any(g in normalise(texts.get(pid, "")) for g in gold)}
        rows.append((dense, bm25, hits))
    del retr
    return rows, texts


def minmax(ranked):
    if not ranked:
        return {}
    hi, lo = ranked[0][1], ranked[-1][1]
    return {pid: (sc - lo) / (hi - lo) if hi > lo else 1.0 for pid, sc in ranked}


def by_max(ranked):
    if not ranked:
        return {}
    hi = ranked[0][1] or 1.0
    return {pid: sc / hi for pid, sc in ranked}


def fuse(method: str, w: float, dense, bm25):
    scores: dict[str, float] = {}
    if method == "rrf":
        for weight, ranked in ((w, dense), (1.0, bm25)):
            for rank, (pid, _) in enumerate(ranked):
                scores[pid] = scores.get(pid, 0.0) + weight / (60 + rank + 1)
    else:
        norm = minmax if method == "weighted" else by_max
        for weight, ranked in ((w, dense), (1.0, bm25)):
            for pid, sc in norm(ranked).items():
                scores[pid] = scores.get(pid, 0.0) + weight * sc
    return [pid for pid, _ in sorted(scores.items(), key=lambda kv: -kv[1])]


def dedupe(order, texts, k):
    out, kept = [], []
    for pid in order:
        sh = shingles(texts.get(pid, ""))
        if any(containment(sh, o) >= 0.4 for o in kept):
            continue
        kept.append(sh)
        out.append(pid)
        if len(out) >= max(10, k):
            break
    return out


def score(rows, texts, ranker):
    h1 = hk = rr = 0.0
    for dense, bm25, hits in rows:
        order = dedupe(ranker(dense, bm25), texts, K)
        rank = next((i for i, pid in enumerate(order) if pid in hits), None)
        if rank is not None:
            h1 += rank == 0
            hk += rank < K
            rr += 1 / (rank + 1)
    n = len(rows)
    return {"hit@1": round(h1 / n, 4), f"hit@{K}": round(hk / n, 4), "mrr@10": round(rr / n, 4)}


METHODS = [("dense", None), ("bm25", None)] + [
    (m, w) for m in ("weighted", "max", "rrf") for w in (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
]


def ranker(method, w):
    if method == "dense":
        return lambda d, b: [pid for pid, _ in d]
    if method == "bm25":
        return lambda d, b: [pid for pid, _ in b]
    return lambda d, b: fuse(method, w, d, b)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tune", nargs="+", required=True)
    ap.add_argument("--report", nargs="*", default=[])
    ap.add_argument("--out", default="bench-results/fusion.json")
    args = ap.parse_args()
    settings = load_settings()
    table: dict[str, dict] = {}
    data = {f: candidates(f, settings) for f in args.tune + args.report}
    for method, w in METHODS:
        name = method if w is None else f"{method} w_dense={w}"
        table[name] = {Path(f).name: score(*data[f], ranker(method, w)) for f in data}
    hk = f"hit@{K}"

    def tune_ok(name):
        res = table[name]
        return all(res[Path(f).name][hk] >= max(table["dense"][Path(f).name][hk], table["bm25"][Path(f).name][hk])
                   for f in args.tune)

    fused = [n for n in table if n not in ("dense", "bm25")]
    eligible = [n for n in fused if tune_ok(n)] or fused
    best = max(eligible, key=lambda n: sum(table[n][Path(f).name][hk] for f in args.tune))
    print(f"{'method':<24}" + "".join(f"{Path(f).name[:22]:>24}" for f in data))
    for name, res in table.items():
        mark = " *" if name == best else ""
        print(f"{name + mark:<24}" + "".join(
            f"{res[Path(f).name]['hit@1']:>8.3f}{res[Path(f).name][hk]:>8.3f}{res[Path(f).name]['mrr@10']:>8.3f}"
            for f in data))
    print(f"chosen on {', '.join(Path(f).name for f in args.tune)}: {best}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"tuned_on": args.tune, "reported_on": args.report, "chosen": best,
                                          "k": K, "results": table}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
