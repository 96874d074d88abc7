"""Benchmark of the claim verifier on hand-labelled claims (eval/claims_{dev,dev2,test,holdout}.jsonl).

Builds a fresh index (temporary --data-dir) of seeds/ plus, as extra documents, every COVID-QA
and CMRC paragraph that a claim of either split cites (one text file per cited context), then
runs the product path, `RAG.check(claim)`, for every claim of the chosen split(s):
retrieve 4 passages for the sentence, then `verify()`. A claim is judged supported when its
sentence comes back with citations.

Prints and writes (--out, default bench-results/verifier.json): supported precision / recall /
F1, share of unsupported claims rejected, the same per language, accuracy per kind, whether
`combination` claims cite two sentences, and latency per sentence (p50/p95 of the whole check,
and of verify() alone).

    .venv/bin/python eval/bench_verifier.py --split both
    .venv/bin/python eval/bench_verifier.py --split dev --verifier llm --limit 40
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag.evaluation.claimset import SPLITS, all_claims, claims_rag, load_claims, summarise, verifier_agreement  # noqa: E402


def make_llm_judge(settings):
    from rag.llms import resolve_backend
    from rag.verify import llm_verdict

    backend = resolve_backend(settings, "embedded")

    def judge(claim: str, evidence: list[str]) -> bool:
        return llm_verdict(claim, evidence, backend)

    return judge, backend.label


def print_summary(name: str, s: dict) -> None:
    o = s["overall"]
    print(f"\n== {name}: n={o['n']} F1={o['f1']:.3f} P={o['precision']:.3f} R={o['recall']:.3f} "
          f"rejected={o['rejected']:.3f} acc={o['accuracy']:.3f}")
    for lang, v in s["by_lang"].items():
        print(f"   {lang}: n={v['n']} F1={v['f1']:.3f} P={v['precision']:.3f} R={v['recall']:.3f} rejected={v['rejected']:.3f}")
    for kind, v in s["by_kind"].items():
        print(f"   {kind:18s} n={v['n']:3d} acc={v['accuracy']:.3f}")
    if "combination_cites_both" in s:
        print(f"   combination cites all evidence: {s['combination_cites_both']:.3f}")
    lat = s["latency_ms"]
    print(f"   latency ms/sentence: check p50={lat['check_p50']} p95={lat['check_p95']}; "
          f"verify p50={lat['verify_p50']} p95={lat['verify_p95']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=(*SPLITS, "both", "all"), default="both",
                    help="both: dev and test; dev2 ... dev8: more tuning claims, each written apart; dev9 ... dev14: "
                         "written apart and only measured; holdout: "
                         "eval/claims_holdout.jsonl, written apart and never tuned on; all: every split")
    ap.add_argument("--verifier", choices=("default", "llm"), default="default")
    ap.add_argument("--out", default=str(REPO / "bench-results" / "verifier.json"))
    ap.add_argument("--limit", type=int, default=0, help="first N claims of each split (the LLM judge is slow)")
    ap.add_argument("--threshold", type=float, default=None, help="support_threshold override")
    ap.add_argument("--data-dir", default="", help="keep the index (and the contexts) in this folder and reuse it next time (default: a temporary one)")
    ap.add_argument("--errors", action="store_true", help="print the misjudged claims")
    args = ap.parse_args(argv)

    from rag import RAG

    splits = {"both": ["dev", "test"], "all": list(SPLITS)}.get(args.split, [args.split])
    tmp = Path(tempfile.mkdtemp(prefix="bench-verifier-"))
    folder = Path(args.data_dir) if args.data_dir else tmp
    try:
        t = time.perf_counter()
        rag = claims_rag(folder, all_claims(), log=lambda m: print(m, file=sys.stderr))
        if args.threshold is not None:
            rag = RAG(data_dir=rag.settings.data_dir, llm="extractive", chroma_url="", support_threshold=args.threshold)
        print(f"index ready in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        judge, label = (None, "default")
        if args.verifier == "llm":
            judge, label = make_llm_judge(rag.settings)
        # Warm up: models load, caches fill for nothing that is measured (the first Chinese
        # sentence of a process loads jieba's word tags, about 0.45 s, once).
        rag.check("Warm-up sentence about new quality productive forces.")
        rag.check("关于新质生产力的预热句子，在北京发表。")
        out = {"verifier": args.verifier, "judge": label, "support_threshold": rag.settings.support_threshold,
               "limit": args.limit, "splits": {}}
        for split in splits:
            claims = load_claims(split)
            if args.limit:
                claims = claims[: args.limit]
            progress = (lambda m: print("  " + m, file=sys.stderr, flush=True)) if args.verifier == "llm" else None
            rows = verifier_agreement(rag, claims, judge, progress=progress)
            s = summarise(rows)
            out["splits"][split] = {"summary": s, "rows": rows}
            print_summary(split, s)
            if args.errors:
                for r, c in zip(rows, claims):
                    if r["predicted"] != (r["label"] == "supported") or (
                            r["kind"] == "combination" and not r["cites_all_evidence"]):
                        print(f"   x {r['id']} {r['kind']:17s} {r['label'][:3]} s={r['support']:.3f} {c['claim'][:110]}")
        path = Path(args.out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nwritten {path}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
