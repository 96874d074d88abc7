"""Benchmark of the claim verifier on hand-labelled claims (eval/claims_{dev,test}.jsonl).

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
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag.evaluation.config import SHARED_DATA_DIR  # noqa: E402

DATA = SHARED_DATA_DIR
SUPPORTED_KINDS = ("paraphrase", "summary", "light_edit", "combination", "zh_paraphrase", "cross_lingual")
UNSUPPORTED_KINDS = ("negation", "swapped_entity", "wrong_number", "wrong_ordinal", "overreach",
                     "reversed_relation", "unrelated")
_REF = re.compile(r"^(?P<file>[^#]+)#data\[(?P<i>\d+)\]\.paragraphs\[(?P<j>\d+)\]$")


def load_claims(split: str) -> list[dict]:
    path = REPO / "eval" / f"claims_{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def context_file_name(ref: str) -> str:
    m = _REF.match(ref)
    stem = Path(m.group("file")).stem
    return f"{stem}_d{int(m.group('i')):03d}_p{int(m.group('j')):02d}.txt"


def write_contexts(claims: list[dict], folder: Path) -> list[Path]:
    """One text file per cited SQuAD-format context (COVID-QA, CMRC)."""
    folder.mkdir(parents=True, exist_ok=True)
    datasets: dict[str, dict] = {}
    out = []
    for ref in sorted({c["source"] for c in claims if "#" in c["source"]}):
        m = _REF.match(ref)
        if not m:
            raise SystemExit(f"cannot parse claim source {ref!r}")
        name = m.group("file")
        if name not in datasets:
            datasets[name] = json.loads((DATA / name).read_text(encoding="utf-8"))
        context = datasets[name]["data"][int(m.group("i"))]["paragraphs"][int(m.group("j"))]["context"]
        path = folder / context_file_name(ref)
        path.write_text(context, encoding="utf-8")
        out.append(path)
    return out


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    vals = sorted(values)
    k = min(len(vals) - 1, max(0, int(round(q * (len(vals) - 1)))))
    return vals[k]


def prf(rows: list[dict]) -> dict:
    tp = sum(1 for r in rows if r["label"] == "supported" and r["predicted"])
    fp = sum(1 for r in rows if r["label"] != "supported" and r["predicted"])
    fn = sum(1 for r in rows if r["label"] == "supported" and not r["predicted"])
    neg = [r for r in rows if r["label"] != "supported"]
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    rejected = sum(1 for r in neg if not r["predicted"]) / len(neg) if neg else 0.0
    acc = sum(1 for r in rows if r["predicted"] == (r["label"] == "supported")) / len(rows) if rows else 0.0
    return {"n": len(rows), "precision": round(p, 4), "recall": round(rc, 4), "f1": round(f1, 4),
            "rejected": round(rejected, 4), "accuracy": round(acc, 4)}


def summarise(rows: list[dict]) -> dict:
    out = {"overall": prf(rows), "by_lang": {}, "by_kind": {}}
    for lang in ("en", "zh"):
        sub = [r for r in rows if r["lang"] == lang]
        if sub:
            out["by_lang"][lang] = prf(sub)
    for kind in SUPPORTED_KINDS + UNSUPPORTED_KINDS:
        sub = [r for r in rows if r["kind"] == kind]
        if sub:
            ok = sum(1 for r in sub if r["predicted"] == (r["label"] == "supported"))
            out["by_kind"][kind] = {"n": len(sub), "accuracy": round(ok / len(sub), 4)}
    comb = [r for r in rows if r["kind"] == "combination"]
    if comb:
        out["combination_cites_both"] = round(sum(1 for r in comb if r["cites_all_evidence"]) / len(comb), 4)
    out["latency_ms"] = {
        "check_p50": round(pct([r["check_ms"] for r in rows], 0.5), 1),
        "check_p95": round(pct([r["check_ms"] for r in rows], 0.95), 1),
        "verify_p50": round(pct([r["verify_ms"] for r in rows], 0.5), 1),
        "verify_p95": round(pct([r["verify_ms"] for r in rows], 0.95), 1),
    }
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cites_evidence(evidence: list[str], quotes: list[str]) -> bool:
    """Every evidence sentence lies inside (or contains a large part of) one of the quotes."""
    if not evidence:
        return False
    joined = [_norm(q) for q in quotes]
    for ev in evidence:
        e = _norm(ev)
        core = e[: max(12, len(e) // 2)]
        if not any(e in q or q in e and len(q) > 0.5 * len(e) or core in q for q in joined):
            return False
    return True


def make_llm_judge(settings):
    from rag.llms import resolve_backend
    from rag.verify import llm_verdict

    backend = resolve_backend(settings, "embedded")

    def judge(claim: str, evidence: list[str]) -> bool:
        return llm_verdict(claim, evidence, backend)

    return judge, backend.label


def run_split(rag, claims: list[dict], verifier: str, judge=None, progress: bool = True) -> list[dict]:
    import rag.check as check_mod
    import rag.verify as verify_mod

    timings: list[float] = []
    base_verify = verify_mod.verify

    def timed_verify(*args, **kwargs):
        if judge is not None:
            kwargs["judge"] = judge
        t = time.perf_counter()
        try:
            return base_verify(*args, **kwargs)
        finally:
            timings.append(time.perf_counter() - t)

    check_mod.verify = timed_verify
    rows = []
    try:
        for i, c in enumerate(claims):
            timings.clear()
            t = time.perf_counter()
            result = rag.check(c["claim"])
            check_ms = (time.perf_counter() - t) * 1000
            sents = result.sentences
            n = max(1, len(sents))
            predicted = bool(sents) and all(s.supported for s in sents)
            quotes = [q.quote for s in sents for q in s.citations]
            rows.append({
                "id": c["id"], "kind": c["kind"], "lang": c["lang"], "label": c["label"], "predicted": predicted,
                "support": round(min((s.score for s in sents), default=0.0), 4), "sentences": len(sents),
                "cites_all_evidence": cites_evidence(c.get("evidence") or [], quotes),
                "quotes": quotes, "check_ms": check_ms / n, "verify_ms": sum(timings) * 1000 / n,
            })
            if progress and verifier == "llm":
                print(f"  {i + 1}/{len(claims)} {c['id']} {c['label']} -> {predicted}", file=sys.stderr, flush=True)
    finally:
        check_mod.verify = base_verify
    return rows


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
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--verifier", choices=("default", "llm"), default="default")
    ap.add_argument("--out", default=str(REPO / "bench-results" / "verifier.json"))
    ap.add_argument("--limit", type=int, default=0, help="first N claims of each split (the LLM judge is slow)")
    ap.add_argument("--threshold", type=float, default=None, help="support_threshold override")
    ap.add_argument("--data-dir", default="", help="reuse this index folder (built when empty or missing)")
    ap.add_argument("--errors", action="store_true", help="print the misjudged claims")
    args = ap.parse_args(argv)

    from rag import RAG

    splits = ["dev", "test"] if args.split == "both" else [args.split]
    all_claims = load_claims("dev") + load_claims("test")
    tmp = Path(tempfile.mkdtemp(prefix="bench-verifier-"))
    data_dir = Path(args.data_dir) if args.data_dir else tmp / "index"
    try:
        overrides = {"data_dir": str(data_dir), "llm": "extractive"}
        if args.threshold is not None:
            overrides["support_threshold"] = args.threshold
        rag = RAG(**overrides)
        if not rag.files():
            docs = write_contexts(all_claims, tmp / "contexts")
            t = time.perf_counter()
            report = rag.ingest([REPO / "seeds", *docs])
            if report.failed:
                raise SystemExit(f"ingest failed: {report.failed}")
            print(f"indexed {len(rag.files())} files in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        judge, label = (None, "default")
        if args.verifier == "llm":
            judge, label = make_llm_judge(rag.settings)
        # Warm up: models load, caches fill for nothing that is measured.
        rag.check("Warm-up sentence about new quality productive forces.")
        out = {"verifier": args.verifier, "judge": label, "support_threshold": rag.settings.support_threshold,
               "limit": args.limit, "splits": {}}
        for split in splits:
            claims = load_claims(split)
            if args.limit:
                claims = claims[: args.limit]
            rows = run_split(rag, claims, args.verifier, judge)
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
