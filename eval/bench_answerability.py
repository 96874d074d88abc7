"""Answerability: does `rag ask` refuse what the collection cannot answer, and answer (with the
right quote) what it can? Extractive backend, so the figures describe retrieval, the relevance
gate, sentence selection and verification, not a model. Prints tables, writes JSON.

    .venv/bin/python eval/bench_answerability.py [--part offtopic|nearmiss|gold|all] [--limit N]
                                                [--out bench-results/answerability.json] [--show N]

Parts:

- offtopic: questions no document of the collection can answer, in the other language.
  Collection A = COVID-QA dev articles (English), asked Chinese CMRC held-out questions;
  collection B = CMRC trial paragraphs (Chinese), asked English COVID-QA held-out questions.
  Reported: share refused per direction (target >= 0.90) and the refusal reasons.
- nearmiss: eval/nearmiss.jsonl over seeds/ (ingested into a temporary data dir, or --seeds-dir).
  Near-miss questions name a subject the seeds mention but ask for an attribute they do not
  hold (should be refused); controls look alike and are answerable (should be answered, with a
  citation quote containing one of the evidence texts). Reported: near-misses refused, controls
  answered, and of the answered controls the share whose quotes hold the evidence.
- gold: SQuAD-format questions asked of their own collection, every Nth question of the file:
  held-out COVID-QA (en) and CMRC dev (zh), and the dev/tuning files, labelled "dev".
  Reported: refused share, gold share (answers whose citation quotes contain a gold answer
  text, normalised as rag.bench.normalise), and two diagnostics: retrieved (a gold text is in
  one of the retrieved passages) and cited_passage (a gold text is in a passage a quote was
  taken from, i.e. the right passage but another sentence was quoted).

Collections of SQuAD files live where `rag bench-retrieval FILE` caches them
(<cache_dir>/bench/<stem>-<sha256[:12]>/index-<chunk_tokens>), so already-built indexes are
reused; ingest is a no-op for an unchanged collection. --limit caps the questions per set
(default: 20 per off-topic direction, all near-miss rows, 40 per gold set).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# BENCH_RAG_CODE=DIR runs another copy of the package (e.g. `git archive HEAD rag prompts | tar -x -C DIR`)
# so that a "before" can be measured while the working tree is being edited.
CODE = Path(os.environ.get("BENCH_RAG_CODE") or REPO)
sys.path.insert(0, str(CODE))

from rag import RAG, load_settings  # noqa: E402
from rag.bench import load_squad, normalise, write_collection  # noqa: E402
from rag.errors import StoreError  # noqa: E402

from rag.evaluation.config import SHARED_DATA_DIR  # noqa: E402

COVID_DEV = SHARED_DATA_DIR / "covidqa_dev.json"
CMRC_DEV = SHARED_DATA_DIR / "cmrc2018_trial.json"
# Held-out sets of the same kinds, never tuned on (not shipped: COVID-QA articles 48-95 of
# deepset-ai/COVID-QA's 200421_covidQA.json, and the CMRC 2018 dev set, in SQuAD format).
COVID_HELD = Path(os.environ.get("RAG_HELDOUT_EN", REPO.parent / "heldout" / "covidqa_48_96.json"))
CMRC_HELD = Path(os.environ.get("RAG_HELDOUT_ZH", REPO.parent / "heldout" / "cmrc2018_dev.json"))
NEARMISS = REPO / "eval" / "nearmiss.jsonl"
SEEDS = REPO / "seeds"


# ------------------------------------------------------------------ helpers
def refusal_reason(a) -> str | None:
    """Answer.refusal_reason where the Answer has one, else the "refusal_<reason>" timings key."""
    return getattr(a, "refusal_reason", None) or next(
        (k[len("refusal_"):] for k in a.timings if k.startswith("refusal_")), None)


def every_nth(items: list, n: int, offset: int = 0) -> list:
    """n items spread evenly over the list, deterministic."""
    if n <= 0 or not items:
        return []
    step = max(1, len(items) // n)
    return items[min(offset, step - 1)::step][:n]


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def fmt(x) -> str:
    return "-" if x is None else (f"{x:.3f}" if isinstance(x, float) else str(x))


def table(title: str, cols: list[str], rows: list[dict]) -> None:
    widths = [max(len(c), *(len(fmt(r.get(c))) for r in rows)) for c in cols]
    print(f"\n{title}")
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  ".join(fmt(r.get(c)).ljust(w) for c, w in zip(cols, widths)))


def short(text: str, n: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def answer_record(a, elapsed: float) -> dict:
    return {
        "refused": a.refused,
        "reason": refusal_reason(a),
        "answer": a.answer,
        "quotes": [c.quote for c in a.citations],
        "sources": [c.source.rsplit("/", 1)[-1] for c in a.citations],
        "relevance": a.timings.get("relevance"),  # set on refusals only
        "top_dense": max((round(float(s.dense_score), 4) for s in a.passages if s.dense_score is not None), default=None),
        "seconds": round(elapsed, 3),
    }


def ask(rag: RAG, q: str) -> dict:
    ans = rag.answerer
    if hasattr(ans, "_relevance") and not getattr(ans, "_bench_wrapped", False):
        # Record the relevance gate's value for answered questions too (Answer.timings holds it
        # only on refusals); diagnostic only, skipped when the answerer has no such stage.
        orig = ans._relevance

        def wrapped(ctx, _orig=orig):
            v = _orig(ctx)
            ans._bench_gate = float(v)
            return v

        ans._relevance = wrapped
        ans._bench_wrapped = True
    ans._bench_gate = None
    t = time.perf_counter()
    a = rag.ask(q)
    rec = answer_record(a, time.perf_counter() - t)
    rec["gate"] = round(ans._bench_gate, 4) if getattr(ans, "_bench_gate", None) is not None else None
    rec["_answer"] = a
    return rec


def squad_rag(file: Path, wait_s: float = 1800.0) -> tuple[RAG, list, dict]:
    """A RAG over the SQuAD file's bench collection (the folder `rag bench-retrieval` uses)."""
    settings = load_settings(llm="extractive")
    titles, contexts, questions = load_squad(file)
    digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
    base = Path(settings.cache_dir) / "bench" / f"{file.stem}-{digest}"
    data_dir = base / f"index-{settings.chunk_tokens}"
    existed = (data_dir / "catalog.sqlite3").exists()
    docs = write_collection(contexts, base / "docs")
    rag = RAG(settings, data_dir=str(data_dir))
    t = time.perf_counter()
    deadline = t + wait_s
    while True:
        try:
            report = rag.ingest(docs)
            break
        except StoreError as e:  # someone else is building this index: wait for them
            if "Another ingest" not in str(e) or time.perf_counter() > deadline:
                raise
            print(f"  {data_dir} is being ingested by another process; waiting…", flush=True)
            time.sleep(20)
    info = {"file": str(file), "data_dir": str(data_dir), "existed": existed, "documents": len(contexts),
            "passages_embedded": report.passages_embedded, "ingest_s": round(time.perf_counter() - t, 1)}
    print(f"  collection {file.name}: {len(contexts)} docs, {'reused' if existed else 'built'} "
          f"({info['passages_embedded']} passages embedded, {info['ingest_s']}s)", flush=True)
    return rag, questions, info


# ------------------------------------------------------------------ parts
def part_offtopic(limit: int | None, show: int, questions: str = "heldout") -> dict:
    """`questions`: "heldout" (the reported figure) or "dev": the other dev file's own questions,
    for tuning without touching the held-out sets."""
    n = limit or 20
    zh_q, en_q = (CMRC_HELD, COVID_HELD) if questions == "heldout" else (CMRC_DEV, COVID_DEV)
    directions = [
        ("en-collection<-zh-questions", COVID_DEV, zh_q),
        ("zh-collection<-en-questions", CMRC_DEV, en_q),
    ]
    out: dict = {"directions": {}}
    rows = []
    for label, coll_file, q_file in directions:
        rag, _, info = squad_rag(coll_file)
        _, _, qs = load_squad(q_file)
        picked = every_nth(qs, n, offset=1)
        recs = []
        for q in picked:
            r = ask(rag, q.question)
            r.pop("_answer")
            recs.append({"id": q.id, "q": q.question, **r})
        refused = sum(r["refused"] for r in recs)
        reasons = Counter(r["reason"] for r in recs if r["refused"])
        summary = {"collection": info, "questions_from": str(q_file), "n": len(recs),
                   "refused": ratio(refused, len(recs)), "reasons": dict(reasons),
                   "median_s": round(sorted(r["seconds"] for r in recs)[len(recs) // 2], 3) if recs else None}
        out["directions"][label] = {**summary, "records": recs}
        rows.append({"direction": label, "n": len(recs), "refused": summary["refused"],
                     "reasons": ",".join(f"{k}:{v}" for k, v in reasons.most_common()) or "-",
                     "median_s": summary["median_s"]})
        answered = [r for r in recs if not r["refused"]]
        for r in answered[:show]:
            print(f"    ANSWERED off-topic: {short(r['q'], 80)} -> {short(' | '.join(r['quotes']), 140)} (gate {r['gate']}, top dense {r['top_dense']})")
    table("Off-topic questions (other language, other collection): share refused, target >= 0.90",
          ["direction", "n", "refused", "reasons", "median_s"], rows)
    return out


def evidence_hit(quotes: list[str], evidence: list[str]) -> bool:
    qs = [normalise(q) for q in quotes]
    return any(normalise(e) in q for e in evidence for q in qs)


def part_nearmiss(limit: int | None, show: int, seeds_dir: str | None) -> dict:
    rows_in = [json.loads(line) for line in NEARMISS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:  # keep the near-miss/control mix: the first `limit` of each kind
        rows_in = [r for r in rows_in if not r["answerable"]][:limit] + [r for r in rows_in if r["answerable"]][:limit]
    data_dir = seeds_dir or tempfile.mkdtemp(prefix="rag-nearmiss-")
    rag = RAG(load_settings(llm="extractive"), data_dir=data_dir)
    t = time.perf_counter()
    rag.ingest([SEEDS])
    print(f"  seeds ingested into {data_dir} in {time.perf_counter() - t:.1f}s", flush=True)
    recs = []
    for row in rows_in:
        r = ask(rag, row["q"])
        r.pop("_answer")
        r["evidence_in_quote"] = (not r["refused"]) and evidence_hit(r["quotes"], row["evidence"]) if row["answerable"] else None
        recs.append({"id": row["id"], "q": row["q"], "answerable": row["answerable"], "lang": row["lang"],
                     "asks": row["asks"], **r})

    def summarise(sel: list[dict]) -> dict:
        nm = [r for r in sel if not r["answerable"]]
        ctl = [r for r in sel if r["answerable"]]
        ans = [r for r in ctl if not r["refused"]]
        return {"nearmiss_n": len(nm), "nearmiss_refused": ratio(sum(r["refused"] for r in nm), len(nm)),
                "control_n": len(ctl), "control_answered": ratio(len(ans), len(ctl)),
                "control_correct_of_answered": ratio(sum(r["evidence_in_quote"] for r in ans), len(ans)),
                "control_correct_of_all": ratio(sum(r["evidence_in_quote"] for r in ans), len(ctl))}

    summary = {"all": summarise(recs), "en": summarise([r for r in recs if r["lang"] == "en"]),
               "zh": summarise([r for r in recs if r["lang"] == "zh"])}
    by_asks = {}
    for kind in sorted({r["asks"] for r in recs if not r["answerable"]}):
        sel = [r for r in recs if not r["answerable"] and r["asks"] == kind]
        by_asks[kind] = {"n": len(sel), "refused": ratio(sum(r["refused"] for r in sel), len(sel))}
    reasons = {"nearmiss": dict(Counter(r["reason"] for r in recs if not r["answerable"] and r["refused"])),
               "control": dict(Counter(r["reason"] for r in recs if r["answerable"] and r["refused"]))}
    table("Near-miss questions on seeds/ (should refuse) and controls (should answer, quoting the evidence)",
          ["lang", "nearmiss_n", "nearmiss_refused", "control_n", "control_answered", "control_correct_of_answered",
           "control_correct_of_all"], [{"lang": k, **v} for k, v in summary.items()])
    table("Near-miss refusals by attribute asked", ["asks", "n", "refused"], [{"asks": k, **v} for k, v in by_asks.items()])
    print(f"  refusal reasons: near-miss {reasons['nearmiss']}; controls {reasons['control']}")
    bad = [r for r in recs if (not r["answerable"] and not r["refused"]) or (r["answerable"] and not r["evidence_in_quote"])]
    for r in bad[:show]:
        what = "ANSWERED near-miss" if not r["answerable"] else ("REFUSED control" if r["refused"] else "WRONG quote, control")
        print(f"    {what} {r['id']}: {short(r['q'], 70)} -> "
              f"{r['reason'] or short(' | '.join(r['quotes']), 150)}")
    return {"data_dir": data_dir, "summary": summary, "by_asks": by_asks, "reasons": reasons, "records": recs}


def gold_lenient_hit(answers: list[str], quotes: list[str]) -> bool:
    """For gold texts spanning sentences, which no single quote can contain: a quote contains the
    gold text, or its first sentence (15+ characters), or a quote of 20+ characters lies inside it."""
    qs = [normalise(q) for q in quotes]
    for g in (normalise(a) for a in answers):
        first = re.split(r"(?<=[.!?。！？])\s*", g, maxsplit=1)[0]
        for qt in qs:
            if g in qt or (len(first) >= 15 and first in qt) or (len(qt) >= 20 and qt in g):
                return True
    return False


def part_gold(limit: int | None, show: int, splits: str = "both") -> dict:
    n = limit or 40
    # dev first: their indexes are usually built already, a held-out one may still be being built
    sets = [("dev", "en", COVID_DEV), ("dev", "zh", CMRC_DEV),
            ("heldout", "en", COVID_HELD), ("heldout", "zh", CMRC_HELD)]
    sets = [x for x in sets if splits in ("both", x[0])]
    out: dict = {"sets": {}}
    rows = []
    for split, lang, file in sets:
        t0 = time.perf_counter()
        rag, qs, info = squad_rag(file)
        picked = every_nth(qs, n)
        recs = []
        for q in picked:
            r = ask(rag, q.question)
            a = r.pop("_answer")
            gold = [normalise(g) for g in q.answers]
            quotes = [normalise(c.quote) for c in a.citations]
            cited_ids = {c.passage_id for c in a.citations}
            cited_passages = [normalise(s.passage.text) for s in a.passages if s.passage.id in cited_ids]
            retrieved = [normalise(s.passage.text) for s in a.passages]
            r.update({
                "gold_in_quote": (not a.refused) and any(g in qt for g in gold for qt in quotes),
                "gold_lenient": (not a.refused) and gold_lenient_hit(q.answers, [c.quote for c in a.citations]),
                "gold_in_cited_passage": (not a.refused) and any(g in p for g in gold for p in cited_passages),
                "gold_retrieved": any(g in p for g in gold for p in retrieved),
            })
            recs.append({"id": q.id, "q": q.question, "gold": q.answers, **r})
        m = len(recs)
        answered = [r for r in recs if not r["refused"]]
        summary = {
            "split": split, "lang": lang, "file": file.name, "n": m,
            "refused": ratio(m - len(answered), m),
            "gold_in_quote": ratio(sum(r["gold_in_quote"] for r in recs), m),
            "gold_of_answered": ratio(sum(r["gold_in_quote"] for r in answered), len(answered)),
            "gold_lenient": ratio(sum(r["gold_lenient"] for r in recs), m),
            "cited_passage": ratio(sum(r["gold_in_cited_passage"] for r in recs), m),
            "retrieved": ratio(sum(r["gold_retrieved"] for r in recs), m),
            "refused_but_retrieved": ratio(sum(r["refused"] and r["gold_retrieved"] for r in recs), m),
            "reasons": dict(Counter(r["reason"] for r in recs if r["refused"])),
            "median_s": round(sorted(r["seconds"] for r in recs)[m // 2], 3) if recs else None,
            "seconds": round(time.perf_counter() - t0, 1),
        }
        out["sets"][f"{split}-{lang}"] = {**summary, "collection": info, "records": recs}
        rows.append({**summary, "reasons": ",".join(f"{k}:{v}" for k, v in Counter(summary["reasons"]).most_common()) or "-"})
        near = [r for r in recs if r["gold_in_cited_passage"] and not r["gold_in_quote"]]
        for r in near[:show]:
            print(f"    NEIGHBOUR quote ({split}-{lang}) {short(r['q'], 70)} gold={short(r['gold'][0], 40)!r} -> "
                  f"{short(' | '.join(r['quotes']), 150)}")
    table("Gold-quote share: SQuAD questions asked of their own collection (gold_in_quote over all asked)",
          ["split", "lang", "n", "refused", "gold_in_quote", "gold_of_answered", "gold_lenient", "cited_passage", "retrieved",
           "refused_but_retrieved", "reasons", "median_s"], rows)
    return out


def code_state() -> dict:
    """The commit and the uncommitted changes under rag/, so that before/after runs can be told apart."""
    import subprocess

    def git(*a):
        try:
            return subprocess.run(["git", *a], cwd=REPO, capture_output=True, text=True, timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    import rag as package

    return {"package": str(Path(package.__file__).parent), "repo_head": git("rev-parse", "--short", "HEAD"),
            "dirty": git("status", "--short", "--", "rag", "prompts").splitlines() if CODE == REPO else "BENCH_RAG_CODE"}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--part", choices=["offtopic", "nearmiss", "gold", "all"], default="all")
    p.add_argument("--limit", type=int, default=None, help="questions per set (default 20 off-topic, all near-miss, 40 gold)")
    p.add_argument("--out", default=str(REPO / "bench-results" / "answerability.json"))
    p.add_argument("--show", type=int, default=5, help="failing answers printed per set")
    p.add_argument("--offtopic-questions", choices=["heldout", "dev"], default="heldout",
                   help="off-topic part: ask the held-out questions (reported) or the dev files' own (for tuning)")
    p.add_argument("--gold-split", choices=["dev", "heldout", "both"], default="both",
                   help="gold part: the dev files (for tuning), the held-out files (reported), or both")
    p.add_argument("--seeds-dir", default=None, help="data dir for the seeds index (default: a new temporary one)")
    args = p.parse_args()

    parts = ["offtopic", "nearmiss", "gold"] if args.part == "all" else [args.part]
    result: dict = {"settings": {k: getattr(load_settings(), k) for k in
                                 ("chunk_tokens", "relevance_threshold", "support_threshold", "top_k", "fusion")},
                    "limit": args.limit, "code": code_state(), "timings_s": {}}
    for part in parts:
        print(f"\n== {part}", flush=True)
        t = time.perf_counter()
        if part == "offtopic":
            result[part] = part_offtopic(args.limit, args.show, args.offtopic_questions)
        elif part == "nearmiss":
            result[part] = part_nearmiss(args.limit, args.show, args.seeds_dir)
        else:
            result[part] = part_gold(args.limit, args.show, args.gold_split)
        result["timings_s"][part] = round(time.perf_counter() - t, 1)
        print(f"  [{part}: {result['timings_s'][part]}s]", flush=True)
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    print(f"\ntimings per part (s): {result['timings_s']}; JSON: {args.out}")


if __name__ == "__main__":
    main()
