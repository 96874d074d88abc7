"""The hand-labelled claims (eval/claims_{dev,test}.jsonl): the gold labels that the verifier and
the faithfulness judge are measured against.

Each claim is a sentence written by hand about seeds/ or about a COVID-QA / CMRC paragraph of
../shared/data, labelled `supported` or not, with its kind (paraphrase, negation, swapped_entity,
...) and the verbatim evidence it paraphrases or distorts.

- `verifier_agreement` runs the product path, `RAG.check(claim)` (retrieve, then verify), over an
  index of seeds/ plus every cited paragraph, and compares the verdicts with the labels.
- `judge_agreement` asks an evaluation judge the question it answers in `rag eval` (does this
  quote support this claim?) with the claim's gold evidence as the quote.

Both give supported precision / recall / F1, the share of unsupported claims rejected, per
language and accuracy per kind: `rag eval` reports them beside faithfulness, so no figure of the
engine is graded by the engine alone.
"""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from .config import REPO_ROOT, SHARED_DATA_DIR

CLAIMS_DIR = REPO_ROOT / "eval"
SUPPORTED_KINDS = ("paraphrase", "summary", "light_edit", "combination", "zh_paraphrase", "cross_lingual")
UNSUPPORTED_KINDS = ("negation", "swapped_entity", "wrong_number", "wrong_ordinal", "overreach",
                     "reversed_relation", "unrelated")
_REF = re.compile(r"^(?P<file>[^#]+)#data\[(?P<i>\d+)\]\.paragraphs\[(?P<j>\d+)\]$")


# dev and dev2 are tuned on (dev2: written on 2026-12-06 by a separate writer, after the
# verifier had reached 0.91 on dev; dev3: likewise, at the end of that day; dev4 and dev5:
# likewise, late on 2026-12-06, from sources no other split uses, dev5 after dev4's rules);
# dev6: written on 2026-12-07 by a writer who had seen no other claims and ran no project code,
# weighted to the weakest kinds (reversed relations, overreach, swaps, cross-lingual); dev7:
# likewise, by another such writer, at the start of 2026-12-07's second session; dev8: likewise,
# written after that session's first rules, measured (0.567 with the code before them, 0.550 with
# them), then tuned on for paraphrases read as errors; dev9: likewise, written at the end of that
# session and measured only, not tuned on (a held-out measure of that session's rules); test is
# reported; holdout was written apart and is not tuned on; dev10: written on 2026-12-07 (fourth
# session) by another such writer, after that session's rules, and measured only; dev11: likewise,
# written at the start of 2026-12-07's fifth session, from CMRC paragraphs no other split uses;
# its misses were read in the sixth session (2026-12-07, evening), which then wrote dev12 the same
# way at its start, measured only; dev12's misses were read in the seventh session (2026-12-07,
# late), which wrote dev13 the same way at its start, measured only; dev13's misses were read in
# the eighth session (2026-12-08), which wrote dev14 the same way at its start, measured only.
SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12",
          "dev13", "dev14", "test", "holdout")


def all_claims() -> list[dict]:
    """Every split's claims: one index of their documents serves every measurement."""
    return [c for split in SPLITS for c in load_claims(split)]


def load_claims(split: str) -> list[dict]:
    path = CLAIMS_DIR / f"claims_{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def context_file_name(ref: str) -> str:
    m = _REF.match(ref)
    stem = Path(m.group("file")).stem
    return f"{stem}_d{int(m.group('i')):03d}_p{int(m.group('j')):02d}.txt"


def write_contexts(claims: list[dict], folder: Path, data_dir: Path = SHARED_DATA_DIR) -> list[Path]:
    """One text file per cited SQuAD-format paragraph (COVID-QA, CMRC)."""
    folder.mkdir(parents=True, exist_ok=True)
    datasets: dict[str, dict] = {}
    out = []
    for ref in sorted({c["source"] for c in claims if "#" in c["source"]}):
        m = _REF.match(ref)
        if not m:
            raise ValueError(f"cannot parse the claim source {ref!r}")
        name = m.group("file")
        if name not in datasets:
            datasets[name] = json.loads((data_dir / name).read_text(encoding="utf-8"))
        context = datasets[name]["data"][int(m.group("i"))]["paragraphs"][int(m.group("j"))]["context"]
        path = folder / context_file_name(ref)
        path.write_text(context, encoding="utf-8")
        out.append(path)
    return out


def claims_rag(folder: Path, claims: list[dict], base=None, log=None):
    """A RAG over seeds/ plus the claims' paragraphs, in `folder` (reused when already built).
    With `base` (a RAG whose index holds seeds/), its index is copied first, so the seeds are
    not embedded twice."""
    from ..api import RAG

    folder = Path(folder)
    index = folder / "index"
    if base is not None and not base.settings.chroma_url and not index.exists():
        shutil.copytree(base.settings.data_dir, index, ignore=shutil.ignore_patterns(".ingest.lock"))
    # Embedded Chroma always: a configured server's collection is the user's, not ours to add to.
    rag = RAG(data_dir=str(index), llm="extractive", chroma_url="")
    docs = write_contexts(claims, folder / "contexts")
    t = time.perf_counter()
    report = rag.ingest([REPO_ROOT / "seeds", *docs])
    if report.failed:
        raise RuntimeError(f"indexing the claims' documents failed: {report.failed}")
    if log and (report.added or report.updated):
        log(f"indexed {len(report.added) + len(report.updated)} documents for the claims in {time.perf_counter() - t:.1f}s")
    return rag


def prf(rows: list[dict]) -> dict:
    """Supported precision / recall / F1, share of unsupported rejected, accuracy."""
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
    comb = [r for r in rows if r["kind"] == "combination" and "cites_all_evidence" in r]
    if comb:
        out["combination_cites_both"] = round(sum(1 for r in comb if r["cites_all_evidence"]) / len(comb), 4)
    if rows and "check_ms" in rows[0]:
        from ..bench import percentile as _pct

        out["latency_ms"] = {
            "check_p50": round(_pct([r["check_ms"] for r in rows], 0.5), 1),
            "check_p95": round(_pct([r["check_ms"] for r in rows], 0.95), 1),
            "verify_p50": round(_pct([r["verify_ms"] for r in rows], 0.5), 1),
            "verify_p95": round(_pct([r["verify_ms"] for r in rows], 0.95), 1),
        }
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cites_evidence(evidence: list[str], quotes: list[str]) -> bool:
    """Every evidence sentence lies inside (or contains a large part of) one of the quotes."""
    if not evidence:
        return False
    joined = [_squash(q) for q in quotes]
    for ev in evidence:
        e = _squash(ev)
        core = e[: max(12, len(e) // 2)]
        if not any(e in q or q in e and len(q) > 0.5 * len(e) or core in q for q in joined):
            return False
    return True


def verifier_agreement(rag, claims: list[dict], judge=None, progress=None) -> list[dict]:
    """One row per claim: the product path's verdict (`RAG.check`) beside the gold label, with
    the time of the whole check and of verify() alone, per sentence. `judge(claim, evidence)`
    replaces the built-in checks (the `llm` verifier)."""
    import rag.check as check_mod

    timings: list[float] = []
    base_verify = check_mod.verify

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
        for i, c in enumerate(claims, 1):
            timings.clear()
            t = time.perf_counter()
            result = rag.check(c["claim"])
            check_ms = (time.perf_counter() - t) * 1000
            sents = result.sentences
            n = max(1, len(sents))
            quotes = [q.quote for s in sents for q in s.citations]
            rows.append({
                "id": c["id"], "kind": c["kind"], "lang": c["lang"], "label": c["label"],
                "predicted": bool(sents) and all(s.supported for s in sents),
                "support": round(min((s.score for s in sents), default=0.0), 4), "sentences": len(sents),
                "cites_all_evidence": cites_evidence(c.get("evidence") or [], quotes),
                "quotes": quotes, "check_ms": check_ms / n, "verify_ms": sum(timings) * 1000 / n,
            })
            if progress:
                progress(f"[{i}/{len(claims)}] {c['id']} {c['label']} -> {rows[-1]['predicted']}")
    finally:
        check_mod.verify = base_verify
    return rows


def judge_agreement(judge, claims: list[dict]) -> list[dict]:
    """One row per claim: the evaluation judge's verdict on (claim, its gold evidence)."""
    pairs = [(c["claim"], " ".join(c.get("evidence") or [])) for c in claims]
    verdicts = judge.judge(pairs)
    return [{"id": c["id"], "kind": c["kind"], "lang": c["lang"], "label": c["label"],
             "predicted": bool(v.supported), "score": v.score} for c, v in zip(claims, verdicts)]


def gold_section(rag, judge, split: str = "test", work_dir: Path | None = None, log=None) -> dict:
    """What `rag eval` reports about the labelled claims: the verifier's and the judge's agreement
    with the gold labels on one split."""
    import tempfile

    claims = load_claims(split)
    own = work_dir is None
    folder = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="rag-claims-"))
    try:
        t = time.perf_counter()
        crag = claims_rag(folder, all_claims(), base=rag, log=log)
        crag.check("Warm-up sentence about new quality productive forces.")
        verifier = summarise(verifier_agreement(crag, claims))
        judged = summarise(judge_agreement(judge, claims))
        return {"split": split, "file": f"eval/claims_{split}.jsonl", "claims": len(claims),
                "verifier": verifier, "judge": judged, "judge_name": judge.describe(),
                "seconds": round(time.perf_counter() - t, 1)}
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)
