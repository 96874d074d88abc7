"""Translation alignment: is a Chinese clause's nearest English clause its translation, and back?

    .venv/bin/python eval/bench_alignment.py [--models e5 minilm] [--out bench-results/alignment.json]

Uses the ten verbatim clause pairs of seed 001's two abstracts in eval/alignment_seed001.json.
Both directions are scored: Chinese as the query against the ten English clauses as passages,
and English against Chinese. Prints a table and writes JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rag.embeddings import get_embedder  # noqa: E402

PAIRS = Path(__file__).with_name("alignment_seed001.json")


def alignment(model: str) -> dict:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    zh, en = [p[0] for p in pairs], [p[1] for p in pairs]
    emb = get_embedder(model)
    out = {"model": emb.identity}
    for name, q, p in (("zh->en", zh, en), ("en->zh", en, zh)):
        sims = emb.encode(q, query=True) @ emb.encode(p).T
        out[name] = int((sims.argmax(1) == np.arange(len(q))).sum())
    out["pairs"] = len(pairs)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="+", default=["e5", "minilm"])
    ap.add_argument("--out", default="bench-results/alignment.json")
    args = ap.parse_args()
    rows = [alignment(m) for m in args.models]
    print(f"{'model':<28}{'zh->en':>8}{'en->zh':>8}")
    for r in rows:
        print(f"{r['model']:<28}{r['zh->en']:>5}/{r['pairs']}{r['en->zh']:>5}/{r['pairs']}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
