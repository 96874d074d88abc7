"""Scoring: ask every question of a set, measure each answer, aggregate (definitions in eval/README.md)."""
from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Iterable, Sequence

from ..settings import REPO_ROOT
from .config import MRR_DEPTH
from .judges import LLMJudge, OfflineJudge, stored_judge
from .matching import CorpusIDF, answer_sentences, first_evidence_hit, quote_covers
from .sets import EvalSet, Question


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 4) if values else None


def _pct(values: list[float], q: float) -> float | None:
    """The benchmarks' percentile, or None when nothing was measured."""
    from ..bench import percentile

    return round(percentile(values, q), 4) if values else None


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def outcome(rec: dict) -> str:
    """answerable: correct | wrong | refused; unanswerable: refused | answered."""
    if rec["answerable"]:
        if rec["refused"]:
            return "refused"
        return "correct" if rec["metrics"]["correct"] else "wrong"
    return "refused" if rec["refused"] else "answered"


def good_outcome(rec: dict) -> bool:
    return rec["outcome"] == ("correct" if rec["answerable"] else "refused")


def _rank_measures(evidence: Sequence[str], texts: Iterable[str], k: int, idf) -> dict:
    """Retrieval rank of the first passage (of the top MRR_DEPTH texts) that hits the evidence,
    with hit@1, hit@k and the reciprocal rank; all None for a question without evidence."""
    if not evidence:
        return {"rank": None, "hit@1": None, "hit@k": None, "rr": None}
    i = first_evidence_hit(evidence, islice(texts, MRR_DEPTH), idf)
    rank = None if i is None else i + 1
    return {"rank": rank, "hit@1": float(rank == 1), "hit@k": float(rank is not None and rank <= k),
            "rr": 1.0 / rank if rank else 0.0}


def _context_hit(evidence: Sequence[str], texts: Iterable[str], idf) -> float | None:
    """1.0 when a passage the answerer used hits the evidence; None for a question without evidence."""
    return None if not evidence else float(first_evidence_hit(evidence, texts, idf) is not None)


def _evidence_measures(rec: dict, quotes: list[str], idf) -> tuple[list[str], dict]:
    """The evidence texts a cited quote covers, and the evidence recall and correctness they give."""
    ev = rec["evidence"]
    covered = [e for e in ev if any(quote_covers(q, e, idf) for q in quotes)]
    return covered, {
        "evidence_recall": (round(len(covered) / len(ev), 4) if ev and not rec["refused"] else (0.0 if ev else None)),
        "correct": bool(not rec["refused"] and covered) if rec["answerable"] else None,
    }


def _passage_ref(r) -> dict:
    return {"source": Path(r.passage.source).name, "path": r.passage.source, "start": r.passage.start,
            "end": r.passage.end}


def evaluate_question(rag, q: Question, judge, backend: str | None, k: int, idf=None) -> dict:
    """Ask one question and measure everything about its answer."""
    # Retrieval, as `rag search` does it.
    t = time.perf_counter()
    found = rag.search(q.q, k=max(k, MRR_DEPTH))
    search_ms = (time.perf_counter() - t) * 1000
    retrieval = {
        **_rank_measures(q.evidence, (r.passage.text for r in found), k, idf),
        "search_ms": round(search_ms, 1),
        "top": [{**_passage_ref(r), "score": round(float(r.score), 4)} for r in found[:MRR_DEPTH]],
    }

    t = time.perf_counter()
    ans = rag.ask(q.q, backend=backend, k=k)
    wall = time.perf_counter() - t
    ctx_n = rag.settings.context_passages
    used = ans.passages[:ctx_n]
    retrieval["context"] = [_passage_ref(r) for r in used]
    retrieval["context_hit"] = _context_hit(q.evidence, (r.passage.text for r in used), idf)

    # Citations: located and verbatim?
    cits = []
    texts: dict[str, str | None] = {}
    for c in ans.citations:
        if c.source not in texts:
            texts[c.source] = rag.store.document_text(c.source)
        doc = texts[c.source]
        cits.append({"n": c.n, "source": Path(c.source).name, "title": c.title, "quote": c.quote, "start": c.start,
                     "end": c.end, "score": c.score, "verbatim": bool(doc is not None and doc[c.start:c.end] == c.quote)})
    by_n = {c["n"]: c for c in cits}

    sentences = answer_sentences(ans.answer) if not ans.refused else []
    # Citation precision pairs: each (sentence, quote it cites).
    pairs = [(s, by_n[n]["quote"]) for s, cited in sentences for n in dict.fromkeys(cited) if n in by_n]
    pair_verdicts = judge.judge(pairs) if pairs else []
    it = iter(pair_verdicts)
    sent_recs = []
    for s, cited in sentences:
        vs = []
        for n in dict.fromkeys(cited):
            if n in by_n:
                v = next(it)
                vs.append({"n": n, "score": v.score, "supported": v.supported})
            else:
                vs.append({"n": n, "score": 0.0, "supported": False, "dangling": True})
        sent_recs.append({"text": s, "cited": cited, "verdicts": vs, "supported": any(v["supported"] for v in vs)})

    # Faithfulness: claims against everything the answer cites.
    claim_recs = []
    if sentences and cits:
        context = "\n".join(dict.fromkeys(c["quote"] for c in cits))
        claims = judge.claims(ans.answer, [s for s, _ in sentences])
        for v in judge.judge([(c, context) for c in claims]):
            claim_recs.append({"text": v.claim, "score": v.score, "supported": v.supported, **({"reply": v.raw} if v.raw else {})})

    covered, evidence_metrics = _evidence_measures(
        {"evidence": q.evidence, "refused": ans.refused, "answerable": q.answerable}, [c["quote"] for c in cits], idf)
    n_pairs = sum(1 for s in sent_recs for v in s["verdicts"])
    metrics = {
        "citation_precision": _ratio(sum(v["supported"] for s in sent_recs for v in s["verdicts"]), n_pairs)
        if not ans.refused else None,
        "citation_recall": _ratio(sum(s["supported"] for s in sent_recs), len(sent_recs)) if not ans.refused else None,
        "faithfulness": _ratio(sum(c["supported"] for c in claim_recs), len(claim_recs)) if not ans.refused else None,
        "quote_verbatim": _ratio(sum(c["verbatim"] for c in cits), len(cits)),
        **evidence_metrics,
    }
    if ans.refused:  # a refusal makes no claims: nothing to be unfaithful about, nothing cited
        metrics.update(citation_precision=None, citation_recall=None, faithfulness=None)
    rec = {
        "id": q.id, "q": q.q, "lang": q.lang, "answerable": q.answerable, "tags": q.tags, "sources": q.sources,
        "evidence": q.evidence, "answer": ans.answer, "refused": ans.refused, "backend": ans.backend,
        "backend_note": ans.backend_note, "refusal_reason": ans.refusal_reason or None,
        "citations": cits, "unsupported": list(ans.unsupported), "sentences": sent_recs, "claims": claim_recs,
        "evidence_covered": covered, "retrieval": retrieval, "metrics": metrics,
        "latency": {"first_token": round(ans.timings.get("first_token", ans.timings.get("total", wall)), 4),
                    "total": round(ans.timings.get("total", wall), 4), "wall": round(wall, 4)},
        "timings": {k2: round(v, 4) for k2, v in ans.timings.items()},
    }
    rec["outcome"] = outcome(rec)
    rec["ok"] = good_outcome(rec)
    return rec


def aggregate(records: list[dict], k: int) -> dict:
    """Aggregated metrics (each defined in eval/README.md). Per-question ratios are averaged over
    the questions where they are defined (macro); the quote verbatim rate is over all citations."""
    ans = [r for r in records if r["answerable"]]
    una = [r for r in records if not r["answerable"]]
    with_ev = [r for r in ans if r["evidence"]]
    answered = [r for r in records if not r["refused"]]
    refused = [r for r in records if r["refused"]]
    n_cits = sum(len(r["citations"]) for r in records)
    n_verb = sum(c["verbatim"] for r in records for c in r["citations"])
    correct = sum(1 for r in ans if r["outcome"] == "correct")
    answered_ans = [r for r in ans if not r["refused"]]
    firsts = [r["latency"]["first_token"] for r in records]
    totals = [r["latency"]["total"] for r in records]
    m = {
        "questions": len(records),
        "answerable": len(ans),
        "unanswerable": len(una),
        "retrieval_hit@1": _mean(r["retrieval"]["hit@1"] for r in with_ev),
        "retrieval_hit@k": _mean(r["retrieval"]["hit@k"] for r in with_ev),
        "retrieval_mrr@10": _mean(r["retrieval"]["rr"] for r in with_ev),
        "context_hit": _mean(r["retrieval"]["context_hit"] for r in with_ev),
        "citation_precision": _mean(r["metrics"]["citation_precision"] for r in answered),
        "citation_recall": _mean(r["metrics"]["citation_recall"] for r in answered),
        "faithfulness": _mean(r["metrics"]["faithfulness"] for r in answered),
        "quote_verbatim_rate": _ratio(n_verb, n_cits) if n_cits else None,
        "citations": n_cits,
        "correctness": _ratio(correct, len(ans)),
        "correct_when_answered": _ratio(correct, len(answered_ans)),
        "evidence_recall": _mean(r["metrics"]["evidence_recall"] for r in with_ev),
        "refusal_precision": _ratio(sum(1 for r in refused if not r["answerable"]), len(refused)),
        "refusal_recall": _ratio(sum(1 for r in una if r["refused"]), len(una)),
        "refusal_accuracy": _ratio(sum(1 for r in records if r["refused"] != r["answerable"]), len(records)),
        "false_refusal_rate": _ratio(sum(1 for r in ans if r["refused"]), len(ans)),
        "outcome_accuracy": _ratio(sum(1 for r in records if r["ok"]), len(records)),
        "first_token_p50_s": _median(firsts),
        "first_token_p95_s": _pct(firsts, 0.95),
        "total_p50_s": _median(totals),
        "total_p95_s": _pct(totals, 0.95),
    }
    m["retrieval_k"] = k
    return m


def breakdown(records: list[dict]) -> dict:
    """Outcome accuracy, correctness and refusal recall per language and per tag."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(f"lang:{r['lang']}", []).append(r)
        for t in r["tags"]:
            groups.setdefault(f"tag:{t}", []).append(r)
    out = {}
    for key in sorted(groups):
        rs = groups[key]
        ans = [r for r in rs if r["answerable"]]
        una = [r for r in rs if not r["answerable"]]
        out[key] = {
            "questions": len(rs),
            "outcome_accuracy": _ratio(sum(r["ok"] for r in rs), len(rs)),
            "correctness": _ratio(sum(r["outcome"] == "correct" for r in ans), len(ans)),
            "refusal_recall": _ratio(sum(r["refused"] for r in una), len(una)),
            "retrieval_hit@k": _mean(r["retrieval"]["hit@k"] for r in ans if r["evidence"]),
        }
    return out


def prepare_rag(evalset: EvalSet, data_dir: str | None, backend: str | None, log=print):
    """A RAG over the set's collection: SQuAD contexts are ingested (incrementally); a JSONL set
    over an empty index gets seeds/ ingested when its sources are seed files."""
    from ..api import RAG

    if evalset.kind == "squad":
        rag = RAG(data_dir=data_dir or evalset.index_dir)
        report = rag.ingest(evalset.documents)
        if report.added or report.updated:
            log(f"ingested {len(report.added) + len(report.updated)} contexts of {evalset.path} into {rag.settings.data_dir}")
        return rag
    rag = RAG(data_dir=data_dir)
    names = {Path(f.source).name for f in rag.files()}
    wanted = {s for q in evalset.questions for s in q.sources}
    seeds = REPO_ROOT / "seeds"
    if not names and wanted and all((seeds / s).exists() for s in wanted):
        log(f"the index in {rag.settings.data_dir} is empty: ingesting {seeds}")
        rag.ingest([seeds])
        names = {Path(f.source).name for f in rag.files()}
    missing = sorted(wanted - names)
    if missing:
        log(f"warning: {len(missing)} source(s) named by the set are not indexed in {rag.settings.data_dir}: "
            f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    return rag


def _command_line() -> str:
    prog = "rag" if Path(sys.argv[0]).name == "rag" else sys.argv[0]
    return " ".join([prog] + sys.argv[1:])


def run_eval(rag, questions: list[Question], backend: str | None = "extractive", judge=None, k: int | None = None,
             progress=None, warmup: bool = True, set_path: str = "", claims_split: str | None = None,
             log=None) -> dict:
    """Ask every question and return the report: {"meta", "metrics", "breakdown", "questions",
    "judge_accuracy", "gold_claims"}. With `claims_split` ("test" or "dev"), the verifier and the
    judge are also measured against the hand-labelled claims of that split (rag.evaluation.claimset)."""
    from ..llms import resolve_backend

    k = k or rag.settings.top_k
    judge = judge or OfflineJudge(rag.store.embedder)
    chosen = resolve_backend(rag.settings, backend)
    if warmup and questions:  # loading models and caches is not the latency of an answer
        rag.ask(questions[0].q, backend=backend, k=k)
    idf = CorpusIDF.from_store(rag.store)
    records = []
    t0 = time.perf_counter()
    for i, q in enumerate(questions, 1):
        rec = evaluate_question(rag, q, judge, backend, k, idf)
        records.append(rec)
        if progress:
            progress(f"[{i}/{len(questions)}] {rec['id']:<28} {rec['outcome']:<9} {rec['latency']['total']:6.2f}s")
    report = {
        "meta": {
            "set": set_path,
            "backend": chosen.name,
            "backend_label": chosen.label,
            "judge": judge.name,
            "judge_description": judge.describe(),
            "judge_threshold": getattr(judge, "threshold", None),
            "k": k,
            "created": _dt.datetime.now().isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - t0, 2),
            "command": _command_line(),
            "settings": {key: getattr(rag.settings, key) for key in (
                "top_k", "chunk_tokens", "fusion", "context_passages", "relevance_threshold", "support_threshold",
                "strict", "ollama_model", "embed_model")},
            "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        },
        "metrics": aggregate(records, k),
        "breakdown": breakdown(records),
        "questions": records,
    }
    if isinstance(judge, LLMJudge):
        report["meta"]["judge_calls"] = judge.calls
        report["meta"]["judge_seconds"] = round(judge.seconds, 2)
        report["meta"]["judge_unparsed"] = judge.unparsed
    if claims_split:
        from .claimset import gold_section

        gold = gold_section(rag, judge, claims_split, log=log)
        report["gold_claims"] = gold
        report["metrics"].update({
            "verifier_f1": gold["verifier"]["overall"]["f1"],
            "verifier_rejected": gold["verifier"]["overall"]["rejected"],
            "verifier_accuracy": gold["verifier"]["overall"]["accuracy"],
            "judge_agreement": gold["judge"]["overall"]["accuracy"],
        })
    stored = stored_judge()
    if stored.get("accuracy"):
        report["judge_accuracy"] = stored["accuracy"]
    return report


def rescore(report: dict, rag) -> dict:
    """Recompute the evidence measures of a saved report (retrieval hits from the stored passage
    offsets, correctness from the stored quotes) with the current definitions and this index,
    then the outcomes and aggregates. Answers and judge verdicts are kept as they were."""
    idf = CorpusIDF.from_store(rag.store)
    paths = {Path(f.source).name: f.source for f in rag.files()}
    texts: dict[str, str | None] = {}

    def passage_text(p: dict) -> str:
        path = p.get("path") or paths.get(p["source"], "")
        if path not in texts:
            texts[path] = rag.store.document_text(path)
        doc = texts[path]
        return doc[p["start"]: p["end"]] if doc else ""

    k = report["meta"]["k"]
    for rec in report["questions"]:
        ev = rec["evidence"]
        ret = rec["retrieval"]
        if ev:
            ret.update(_rank_measures(ev, (passage_text(p) for p in ret["top"]), k, idf))
            if "context" in ret:
                ret["context_hit"] = _context_hit(ev, (passage_text(p) for p in ret["context"]), idf)
        covered, evidence_metrics = _evidence_measures(rec, [c["quote"] for c in rec["citations"]], idf)
        rec["evidence_covered"] = covered
        rec["metrics"].update(evidence_metrics)
        rec["outcome"] = outcome(rec)
        rec["ok"] = good_outcome(rec)
    report["metrics"] = aggregate(report["questions"], k)
    report["breakdown"] = breakdown(report["questions"])
    report["meta"]["rescored"] = _dt.datetime.now().isoformat(timespec="seconds")
    return report
