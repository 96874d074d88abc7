"""Where the verifier's misses come from: retrieval, the choice of evidence, or the checks.

For every claim of the chosen split(s) that the verifier gets wrong, the claim's labelled
evidence (`evidence` in eval/claims_*.jsonl) is looked up among the sentences the verifier had
for it (those of the passages `rag check` retrieved), and the built-in checks are run on those
sentences as if they had been cited. Each miss falls in one class:

  true claim rejected
    not retrieved          none of its labelled sentences was among those the verifier had
    partly retrieved       some were
    cited it, a check fired  the verifier cited just the labelled sentences and a check still
                           found it wrong (the reasons are the checks' mistakes)
    other cited, labelled pass  it cited other sentences; the labelled ones pass every check
    other cited, labelled fail  it cited other sentences; the labelled ones would fail too
    cited it, score low    it cited the labelled sentences, no check fired, the alignment
                           score is under the threshold
  wrong claim accepted
    not retrieved          the sentence it distorts was not among those the verifier had
    checks blind           the checks pass it even against the sentence it distorts
    evidence choice        the checks would catch it against the sentence it distorts, which
                           was not the one cited

Unrelated claims have no labelled evidence and are counted apart. Reuses the index of
eval/bench_verifier.py (--data-dir); read-only diagnostics, nothing is written but --out.

    .venv/bin/python eval/verifier_misses.py --split dev12 --data-dir /tmp/vwork14
    .venv/bin/python eval/verifier_misses.py --split all --skip dev13 --data-dir /tmp/vwork14 --out misses.json
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag import verify as V  # noqa: E402
from rag.evaluation.claimset import SPLITS, all_claims, claims_rag, load_claims  # noqa: E402


def _squashed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _holds(sentence: str, evidence: str) -> bool:
    """Whether a source sentence is part of a labelled evidence string (which may run over
    several sentences), or holds it (a clause of a sentence)."""
    s, e = _squashed(sentence), _squashed(evidence)
    return bool(s) and (s in e or e in s)


def classify(rag, claim: dict) -> dict:
    """The verdict on one claim, and for a miss, the class it falls in (see the module's doc)."""
    seen: dict = {}
    judge = V._judge_sentence

    def spy(a, sources, embedder, *rest):
        score, evidence = judge(a, sources, embedder, *rest)
        seen.update(a=a, singles=sources.sentences, chosen=evidence, score=score)
        return score, evidence

    V._judge_sentence = spy
    try:
        sentences = rag.check(claim["claim"]).sentences
    finally:
        V._judge_sentence = judge
    supported = all(s.supported for s in sentences)
    row = {"id": claim["id"], "kind": claim["kind"], "lang": claim["lang"], "label": claim["label"],
           "supported": supported, "reasons": [s.reason for s in sentences if s.reason]}
    if supported == (claim["label"] == "supported"):
        return row
    gold = claim.get("evidence") or []
    if not gold:
        row["class"] = "unrelated"
        return row
    singles = seen.get("singles", [])
    labelled = [s for s in singles if any(_holds(s.text, g) for g in gold)]
    found = [g for g in gold if any(_holds(s.text, g) for s in labelled)]
    if not found:
        row["class"] = "not retrieved"
        return row
    if len(found) < len(gold) and claim["label"] == "supported":
        row["class"] = "partly retrieved"
        return row
    reasons = V._check(seen["a"], labelled, singles)
    row["reasons_on_labelled"] = reasons
    cited = {id(s) for s in seen.get("chosen", [])} == {id(s) for s in labelled}
    if claim["label"] == "supported":
        if cited:
            row["class"] = "cited it, a check fired" if reasons else "cited it, score low"
        else:
            row["class"] = "other cited, labelled fail" if reasons else "other cited, labelled pass"
    else:
        row["class"] = "evidence choice" if reasons and not cited else "checks blind"
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=(*SPLITS, "all"), default="dev")
    ap.add_argument("--skip", default="", help="comma-separated splits to leave out of --split all "
                                               "(a split kept for measuring only: its claims are not to be read)")
    ap.add_argument("--data-dir", required=True, help="the folder eval/bench_verifier.py --data-dir built (reused)")
    ap.add_argument("--out", default="", help="write every miss, with its class and reasons, as JSON")
    ap.add_argument("--quiet", action="store_true", help="counts only, no line per miss")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    splits = [s for s in (SPLITS if args.split == "all" else [args.split]) if s not in skip]
    rag = claims_rag(Path(args.data_dir), all_claims(), log=lambda m: print(m, file=sys.stderr))
    misses, counts, total = [], collections.Counter(), 0
    for split in splits:
        for claim in load_claims(split):
            total += 1
            row = classify(rag, claim)
            if "class" not in row:
                continue
            row["split"] = split
            misses.append(row)
            side = "true claim rejected" if claim["label"] == "supported" else "wrong claim accepted"
            counts[(side, row["class"])] += 1
            if not args.quiet:
                why = "; ".join(row.get("reasons_on_labelled") or row["reasons"])[:100]
                print(f"{split:8s} {row['id']} {row['kind']:17s} {row['lang']} {row['class']:28s} {why}")
    print(f"\n{len(misses)} misses of {total} claims ({', '.join(splits)})")
    for side in ("true claim rejected", "wrong claim accepted"):
        print(f"  {side}:")
        for (s, cls), n in sorted(counts.items(), key=lambda kv: -kv[1]):
            if s == side:
                print(f"    {n:4d}  {cls}")
    if args.out:
        Path(args.out).write_text(json.dumps(misses, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
