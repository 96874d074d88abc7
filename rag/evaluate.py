"""Grounding evaluation: does every answer rest on quotes that say what the answer says?

`rag eval --set FILE` asks every question of a set, then measures (definitions below and in
eval/README.md):

- retrieval: evidence hit@1, hit@k and MRR@10 of `rag.search(question)`, and whether the
  passages the answerer actually used contain the evidence (context hit);
- citations: precision (cited quotes that support the sentence citing them, per the judge),
  recall (answer sentences carrying a supporting citation), and the quote verbatim rate
  (`document_text(source)[start:end] == quote`; anything under 100% is a bug);
- faithfulness: the share of the answer's claims that the cited quotes support, per the judge;
- correctness: an answerable question is answered with a quote that overlaps a gold evidence text;
- refusals: refusal precision and recall (unanswerable = positive) and outcome accuracy;
- latency: time to first token and total, per question, with medians.

Two judges decide whether a quote supports a claim: `OfflineJudge` (deterministic, no LLM:
embedding cosine plus the lexical entailment cues of `rag.verify.support`, with a threshold
fitted on labelled pairs by `--judge-accuracy --save-judge`) and `LLMJudge` (RAGAS style:
the answer is broken into claims by an LLM, then each claim is verified against the cited
quotes by a yes/no prompt, on any configured backend).

Question sets are JSONL (`{"id", "q", "answerable", "lang", "sources", "evidence"}`, optional
`"tags"`) or SQuAD-format JSON, whose contexts are ingested as documents and whose gold answer
texts become the evidence.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import html
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import InputError, RagError
from .settings import REPO_ROOT

EVAL_DIR = REPO_ROOT / "eval"
DEFAULT_SET = EVAL_DIR / "seeds_questions.jsonl"
JUDGE_FILE = EVAL_DIR / "judge.json"  # the offline judge's fitted threshold and its measured accuracy
DEFAULT_JUDGE_DATA = (Path("/work/shared/data/covidqa_dev.json"), Path("/work/shared/data/cmrc2018_trial.json"))
MRR_DEPTH = 10
LANGS = ("en", "zh")


# ============================================================ question sets
@dataclass
class Question:
    """One evaluation question. `evidence` holds texts a correct answer rests on (verbatim
    from the sources, whitespace aside); unanswerable questions have none."""

    id: str
    q: str
    answerable: bool
    lang: str
    sources: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class EvalSet:
    path: str
    kind: str  # "jsonl" | "squad"
    questions: list[Question]
    documents: list[Path] = field(default_factory=list)  # files to ingest (SQuAD contexts)
    index_dir: str | None = None  # where a SQuAD collection is indexed when no --data-dir is given


def load_jsonl(path: str | Path) -> list[Question]:
    """Questions from a JSONL file; a malformed line is an InputError naming the line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such question set.") from None
    out: list[Question] = []
    seen: set[str] = set()
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{no}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise InputError(f"{where}: not JSON ({e}).") from None
        if not isinstance(obj, dict):
            raise InputError(f"{where}: expected a JSON object.")
        missing = [k for k in ("id", "q", "answerable") if k not in obj]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}.")
        if not isinstance(obj["answerable"], bool):
            raise InputError(f"{where}: \"answerable\" must be true or false.")
        q = str(obj["q"]).strip()
        if not q:
            raise InputError(f"{where}: empty question.")
        qid = str(obj["id"])
        if qid in seen:
            raise InputError(f"{where}: duplicate id {qid!r}.")
        seen.add(qid)
        evidence = obj.get("evidence") or []
        sources = obj.get("sources") or []
        if not isinstance(evidence, list) or not isinstance(sources, list):
            raise InputError(f"{where}: \"evidence\" and \"sources\" must be lists.")
        lang = obj.get("lang") or detect_lang(q)
        if lang not in LANGS:
            raise InputError(f"{where}: \"lang\" must be one of {', '.join(LANGS)}.")
        out.append(Question(qid, q, obj["answerable"], lang, [str(s) for s in sources],
                            [str(e) for e in evidence if str(e).strip()], [str(t) for t in obj.get("tags") or []]))
    if not out:
        raise InputError(f"{path}: no questions.")
    return out


def detect_lang(text: str) -> str:
    from .lexical import question_lang

    return question_lang(text)


def load_squad_set(path: str | Path, cache_dir: str | None = None) -> EvalSet:
    """A SQuAD-format file as an evaluation set: gold answer texts become evidence, contexts
    become documents (written under the cache folder), `is_impossible` questions (SQuAD 2)
    become unanswerable ones."""
    from .bench import load_squad, squad_file_name, write_collection
    from .settings import load_settings

    path = Path(path)
    titles, contexts, squad_qs = load_squad(path)
    questions = [
        Question(q.id, q.question, True, detect_lang(q.question), [squad_file_name(q.context_index)], list(q.answers),
                 ["squad"])
        for q in squad_qs
    ]
    # load_squad keeps answerable questions only; SQuAD 2 marks the others `is_impossible`.
    data = json.loads(path.read_text(encoding="utf-8"))
    idx = -1
    for article in data.get("data", []):
        for para in article.get("paragraphs", []):
            if not para.get("context", "").strip():
                continue
            idx += 1
            for qa in para.get("qas", []):
                if qa.get("is_impossible"):
                    questions.append(Question(str(qa.get("id")), qa["question"], False, detect_lang(qa["question"]),
                                              [], [], ["squad", "unanswerable"]))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    base = Path(cache_dir or load_settings().cache_dir) / "eval" / f"{path.stem}-{digest}"
    docs = write_collection(contexts, base / "docs")
    return EvalSet(str(path), "squad", questions, docs, str(base / "index"))


def load_set(path: str | Path, cache_dir: str | None = None) -> EvalSet:
    """JSONL question set, or SQuAD-format JSON (recognised by its {"data": [...]} shape)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such question set.")
    if path.suffix.lower() == ".json":
        head = path.read_text(encoding="utf-8", errors="replace")[:4096].lstrip()
        if head.startswith("{") and '"data"' in head:
            return load_squad_set(path, cache_dir)
    return EvalSet(str(path), "jsonl", load_jsonl(path))


# ============================================================ text matching
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9\u00c0-\u024f]+")


def normalise(text: str) -> str:
    """NFKC, collapsed whitespace, lower case: what "whitespace/case normalised" means here."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


def units(text: str) -> list[str]:
    """The words of a text for overlap measures: Latin/digit runs (lower case) and single CJK
    characters. Punctuation and whitespace are ignored, so line wraps and quote styles do not matter."""
    return [u.lower() for u in _UNIT.findall(unicodedata.normalize("NFKC", text))]


class CorpusIDF:
    """Word rarity over the sentences of the indexed documents: idf(u) = ln(1 + N / df(u)), a
    word no sentence has weighing ln(1 + N). Overlap measures weigh words by it, so the phrase
    that every sentence of a collection shares ("new quality productive forces") cannot make a
    title or an unrelated sentence look like the evidence."""

    def __init__(self, texts: Iterable[str]):
        from .splitter import split_sentences

        df: dict[str, int] = {}
        n = 0
        for text in texts:
            for s, e in split_sentences(text):
                n += 1
                for u in set(units(text[s:e])):
                    df[u] = df.get(u, 0) + 1
        self.n = max(1, n)
        self.df = df
        self.default = math.log(1 + self.n)

    def __call__(self, unit: str) -> float:
        d = self.df.get(unit)
        return math.log(1 + self.n / d) if d else self.default

    @classmethod
    def from_store(cls, store) -> "CorpusIDF":
        return cls(t for t in (store.document_text(f.source) for f in store.files()) if t)


def _uniform(_unit: str) -> float:
    return 1.0


def longest_run(a: Sequence[str], b: Sequence[str], weight=None) -> float:
    """The longest contiguous run of units shared by a and b: its length, or with `weight` its
    largest total weight."""
    if not a or not b:
        return 0
    w = weight or _uniform
    best = 0.0
    prev = [0.0] * (len(b) + 1)
    for x in a:
        cur = [0.0] * (len(b) + 1)
        wx = w(x)
        for j, y in enumerate(b, 1):
            if x == y:
                v = prev[j - 1] + wx
                cur[j] = v
                if v > best:
                    best = v
        prev = cur
    return best if weight else int(best)


def _mass(us: Sequence[str], weight) -> float:
    return sum(weight(u) for u in us) if weight else float(len(us))


def evidence_overlap(evidence: str, text: str, idf=None) -> float:
    """Share of the evidence's words (weighted by idf when given) found in one contiguous run of
    text; 1.0 when text contains the evidence."""
    eu = units(evidence)
    if not eu:
        return 0.0
    if normalise(evidence) in normalise(text):
        return 1.0
    return longest_run(eu, units(text), idf) / _mass(eu, idf)


def evidence_hit(evidence: str, text: str, idf=None) -> bool:
    """A passage hits an evidence text when it contains it (whitespace/case normalised) or
    shares with it one contiguous run holding at least half its words (weighted by rarity when
    idf is given; at least 3 words, or all of a shorter evidence)."""
    if normalise(evidence) in normalise(text):
        return True
    eu, tu = units(evidence), units(text)
    if not eu:
        return False
    if longest_run(eu, tu) < min(len(eu), 3):
        return False
    return longest_run(eu, tu, idf) >= 0.5 * _mass(eu, idf)


def quote_covers(quote: str, evidence: str, idf=None) -> bool:
    """A cited quote covers an evidence text when they share one contiguous run of words holding
    at least half of the shorter of the two (weighted by rarity when idf is given; at least 3
    words, or all of a shorter text)."""
    qu, eu = units(quote), units(evidence)
    if not qu or not eu:
        return False
    if longest_run(qu, eu) < min(len(qu), len(eu), 3):
        return False
    return longest_run(qu, eu, idf) >= 0.5 * min(_mass(qu, idf), _mass(eu, idf))


def answer_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """Answer sentences with their [n] markers (rag.verify.split_answer), leaving out a lead
    line without markers that ends in a colon (the cross-lingual "Relevant passages ...:" line)."""
    from .verify import split_answer

    lines = answer.strip().split("\n")
    if len(lines) > 1 and not re.search(r"[\[【]\d", lines[0]) and lines[0].rstrip().endswith((":", "：")):
        answer = "\n".join(lines[1:])
    return [(s, c) for s, c in split_answer(answer) if units(s)]


# ============================================================ judges
@dataclass
class Verdict:
    claim: str
    source: str
    score: float  # offline: support score in [0, 1]; LLM: 1.0 yes, 0.0 no
    supported: bool
    raw: str = ""  # the LLM's reply


class OfflineJudge:
    """Deterministic support judge: `rag.verify.support` (embedding cosine blended with content
    word coverage, halved for a number the source lacks, cut for a negation mismatch), taken at
    the best source sentence (or the whole source, for claims that join sentences), compared
    with a threshold fitted on labelled pairs."""

    name = "offline"

    def __init__(self, embedder, threshold: float | None = None):
        self.embedder = embedder
        self.threshold = float(threshold) if threshold is not None else stored_threshold()
        self._vec: dict[str, Any] = {}

    def _encode(self, texts: Iterable[str]) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self._vec))
        if todo:
            for t, v in zip(todo, self.embedder.encode(todo)):
                self._vec[t] = v

    @staticmethod
    def _pieces(source: str) -> list[str]:
        from .splitter import split_sentences

        sents = [source[s:e] for s, e in split_sentences(source)]
        return list(dict.fromkeys([source.strip()] + sents)) if len(sents) > 1 else [source.strip()]

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        from .lexical import tokenize
        from .verify import support

        pieces = {src: self._pieces(src) for _, src in pairs}
        self._encode([c for c, _ in pairs] + [p for ps in pieces.values() for p in ps])
        tok_cache: dict[str, set[str]] = {}

        def toks(t: str) -> set[str]:
            if t not in tok_cache:
                tok_cache[t] = set(tokenize(t))
            return tok_cache[t]

        out = []
        for claim, src in pairs:
            cv = self._vec[claim]
            best = 0.0
            for p in pieces[src]:
                cos = float(cv @ self._vec[p])
                best = max(best, support(cos, claim, toks(claim), p, toks(p)))
            out.append(round(best, 4))
        return out

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        return [Verdict(c, s, sc, sc >= self.threshold) for (c, s), sc in zip(pairs, self.scores(pairs))]

    def claims(self, answer: str, sentences: list[str]) -> list[str]:
        """The offline judge's claims are the answer's sentences."""
        return sentences

    def describe(self) -> str:
        return f"offline (support score >= {self.threshold:.3f})"


CLAIMS_PROMPT = """Break the answer below into short, self-contained factual statements, one per line. Keep the answer's language and wording. Do not add facts, do not explain, do not number the lines.

Answer: {answer}

Statements:"""

# Phrased as "does the text say that ...": the 0.5B embedded model answers "No" to nearly every
# pair under the stricter "is the statement fully supported ... Yes or No" wording (recall 0.10).
VERIFY_SYSTEM = "You are a careful fact checker."
VERIFY_PROMPT = '''Here is a text:
"""
{context}
"""

Does the text say that "{claim}"? Answer Yes or No.'''

_YES = re.compile(r"^\W*(yes|true|supported|是|对|支持)", re.I)
_NO = re.compile(r"^\W*(no|false|not|unsupported|否|不)", re.I)


class LLMJudge:
    """RAGAS-style judge on any backend of rag.llms (Backend.complete): claims are extracted from
    the answer by one prompt, then each (claim, cited quotes) pair is verified by a yes/no prompt.
    An unparseable reply counts as "not supported"."""

    name = "llm"

    def __init__(self, backend, max_context_chars: int = 3000):
        self.backend = backend
        self.max_context_chars = max_context_chars
        self.threshold = 0.5
        self.unparsed = 0
        self.calls = 0
        self.seconds = 0.0

    def _complete(self, messages, max_tokens: int) -> str:
        t = time.perf_counter()
        try:
            return self.backend.complete(messages, max_tokens=max_tokens)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - t

    def verify_one(self, claim: str, source: str) -> Verdict:
        context = source[: self.max_context_chars]
        reply = self._complete([("system", VERIFY_SYSTEM), ("user", VERIFY_PROMPT.format(context=context, claim=claim))],
                               max_tokens=6).strip()
        if _YES.match(reply):
            ok = True
        elif _NO.match(reply):
            ok = False
        else:
            ok = False
            self.unparsed += 1
        return Verdict(claim, source, 1.0 if ok else 0.0, ok, reply[:80])

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[Verdict]:
        return [self.verify_one(c, s) for c, s in pairs]

    def claims(self, answer: str, sentences: list[str]) -> list[str]:
        text = " ".join(sentences)
        if not text.strip():
            return []
        try:
            reply = self._complete([("user", CLAIMS_PROMPT.format(answer=text))], max_tokens=256)
        except RagError:
            return sentences
        out = []
        for line in reply.splitlines():
            line = re.sub(r"^\s*(?:[-*•·]|\d+[.)、]|statements?:)\s*", "", line, flags=re.I).strip()
            line = re.sub(r"^(?:yes|no)\b[.,:]?\s*", "", line, flags=re.I)  # the 0.5B model echoes the verdict word
            if len(units(line)) >= 3 and line not in out:
                out.append(line)
        return out[:12] or sentences

    def describe(self) -> str:
        return f"llm ({self.backend.label})"


def stored_judge() -> dict:
    try:
        return json.loads(JUDGE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def stored_threshold() -> float:
    """The offline judge's fitted threshold (eval/judge.json), else the engine's support threshold."""
    t = stored_judge().get("offline_threshold")
    if isinstance(t, (int, float)):
        return float(t)
    from .settings import load_settings

    return load_settings().support_threshold


def make_judge(kind: str, rag, backend_name: str | None = None):
    if kind == "offline":
        return OfflineJudge(rag.store.embedder)
    if kind == "llm":
        from .llms import resolve_backend

        backend = resolve_backend(rag.settings, backend_name)
        if backend.llm is None:
            raise RagError("The LLM judge needs an LLM backend (embedded or ollama), not the extractive one: "
                           "use --judge-backend embedded.")
        return LLMJudge(backend)
    raise RagError(f"Unknown judge {kind!r}: use offline or llm.")


# ============================================================ running a set
def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 4) if values else None


def _pct(values: list[float], q: float) -> float | None:
    """The benchmarks' percentile, or None when nothing was measured."""
    from .bench import percentile

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


def evaluate_question(rag, q: Question, judge, backend: str | None, k: int, idf=None) -> dict:
    """Ask one question and measure everything about its answer."""
    # Retrieval, as `rag search` does it.
    t = time.perf_counter()
    found = rag.search(q.q, k=max(k, MRR_DEPTH))
    search_ms = (time.perf_counter() - t) * 1000
    rank = None
    if q.evidence:
        for i, r in enumerate(found[:MRR_DEPTH]):
            if any(evidence_hit(e, r.passage.text, idf) for e in q.evidence):
                rank = i + 1
                break
    retrieval = {
        "rank": rank,
        "hit@1": None if not q.evidence else float(rank == 1),
        "hit@k": None if not q.evidence else float(rank is not None and rank <= k),
        "rr": None if not q.evidence else (1.0 / rank if rank else 0.0),
        "search_ms": round(search_ms, 1),
        "top": [{"source": Path(r.passage.source).name, "path": r.passage.source, "start": r.passage.start,
                 "end": r.passage.end, "score": round(float(r.score), 4)} for r in found[:MRR_DEPTH]],
    }

    t = time.perf_counter()
    ans = rag.ask(q.q, backend=backend, k=k)
    wall = time.perf_counter() - t
    ctx_n = rag.settings.context_passages
    used = ans.passages[:ctx_n]
    retrieval["context"] = [{"source": Path(r.passage.source).name, "path": r.passage.source, "start": r.passage.start,
                             "end": r.passage.end} for r in used]
    retrieval["context_hit"] = (None if not q.evidence else
                                float(any(evidence_hit(e, r.passage.text, idf) for e in q.evidence for r in used)))

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

    covered = [e for e in q.evidence if any(quote_covers(c["quote"], e, idf) for c in cits)]
    n_pairs = sum(1 for s in sent_recs for v in s["verdicts"])
    metrics = {
        "citation_precision": _ratio(sum(v["supported"] for s in sent_recs for v in s["verdicts"]), n_pairs)
        if not ans.refused else None,
        "citation_recall": _ratio(sum(s["supported"] for s in sent_recs), len(sent_recs)) if not ans.refused else None,
        "faithfulness": _ratio(sum(c["supported"] for c in claim_recs), len(claim_recs)) if not ans.refused else None,
        "quote_verbatim": _ratio(sum(c["verbatim"] for c in cits), len(cits)),
        "evidence_recall": (round(len(covered) / len(q.evidence), 4) if q.evidence and not ans.refused
                            else (0.0 if q.evidence else None)),
        "correct": bool(q.answerable and not ans.refused and covered) if q.answerable else None,
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
    from .api import RAG

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
    name = Path(sys.argv[0]).name
    prog = "rag" if name == "rag" else "python -m rag.evaluate" if name in ("evaluate.py", "__main__.py") else sys.argv[0]
    return " ".join([prog] + sys.argv[1:])


def run_eval(rag, questions: list[Question], backend: str | None = "extractive", judge=None, k: int | None = None,
             progress=None, warmup: bool = True, set_path: str = "") -> dict:
    """Ask every question and return the report: {"meta", "metrics", "breakdown", "questions", "judge_accuracy"}."""
    from .llms import resolve_backend

    k = k or rag.settings.top_k
    judge = judge or OfflineJudge(rag.store.embedder)
    chosen = resolve_backend(rag.settings, backend)
    if warmup:  # loading models and caches is not the latency of an answer
        rag.ask("What are new quality productive forces?", backend=backend, k=k)
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
            rank = next((i + 1 for i, p in enumerate(ret["top"][:MRR_DEPTH])
                         if any(evidence_hit(e, passage_text(p), idf) for e in ev)), None)
            ret.update({"rank": rank, "hit@1": float(rank == 1), "hit@k": float(rank is not None and rank <= k),
                        "rr": 1.0 / rank if rank else 0.0})
            if "context" in ret:
                ret["context_hit"] = float(any(evidence_hit(e, passage_text(p), idf) for e in ev for p in ret["context"]))
        covered = [e for e in ev if any(quote_covers(c["quote"], e, idf) for c in rec["citations"])]
        rec["evidence_covered"] = covered
        rec["metrics"]["evidence_recall"] = (round(len(covered) / len(ev), 4) if ev and not rec["refused"]
                                             else (0.0 if ev else None))
        rec["metrics"]["correct"] = bool(not rec["refused"] and covered) if rec["answerable"] else None
        rec["outcome"] = outcome(rec)
        rec["ok"] = good_outcome(rec)
    report["metrics"] = aggregate(report["questions"], k)
    report["breakdown"] = breakdown(report["questions"])
    report["meta"]["rescored"] = _dt.datetime.now().isoformat(timespec="seconds")
    return report


# ============================================================ judge accuracy
@dataclass
class JudgePair:
    group: str  # the SQuAD question the pair was made from (halves never share a group)
    lang: str
    kind: str  # sentence | clause | qa (supported); other-passage | same-document | number | name | negation | qa-swapped
    claim: str
    passage: str
    label: bool


SUPPORTED_KINDS = ("sentence", "clause", "qa")
_AUX = re.compile(r"\b(is|are|was|were|can|could|may|might|will|would|should|has|have|had|does|do|did|must)\b(?! not)")
_ZH_NEG = (("可以", "不可以"), ("能够", "不能够"), ("是", "不是"), ("有", "没有"), ("能", "不能"), ("会", "不会"))
_ZH_WH = re.compile(r"什么时候|什么|哪一年|哪年|哪里|哪儿|哪个|哪位|哪些|多少|几|谁|何时|何地|何")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_NAME = re.compile(r"(?<=\s)[A-Z][A-Za-z0-9-]{2,}")


def _one_line(text: str) -> str:
    from .answer import _one_line_text

    return _one_line_text(text)


def _sentence_spans(context: str) -> list[tuple[int, int]]:
    from .splitter import split_sentences

    return split_sentences(context)


def build_judge_pairs(files: Sequence[str | Path] = DEFAULT_JUDGE_DATA, per_file: int = 70, seed: int = 13
                      ) -> list[JudgePair]:
    """Labelled (claim, passage) pairs from SQuAD-format files.

    For a sampled question, the passage is the gold answer's sentence with up to two sentences
    either side. Supported claims: that sentence verbatim ("sentence"), the clause holding the
    answer ("clause"), the question turned into a statement with the gold answer ("qa").
    Unsupported claims: a sentence from another context ("other-passage") or from far away in
    the same context ("same-document"), and minimal alterations of the gold sentence: a changed
    number ("number"), a swapped name ("name"; for Chinese the answer span is swapped), an
    inserted negation ("negation"), and the question stated with another question's answer
    ("qa-swapped")."""
    from .bench import load_squad

    rng = random.Random(seed)
    pairs: list[JudgePair] = []
    for file in files:
        titles, contexts, questions = load_squad(file)
        spans = {}
        order = list(range(len(questions)))
        rng.shuffle(order)
        all_answers = [a for q in questions for a in q.answers if 2 <= len(a) <= 40]
        made = 0
        for qi in order:
            if made >= per_file:
                break
            q = questions[qi]
            ctx = contexts[q.context_index]
            if q.context_index not in spans:
                spans[q.context_index] = _sentence_spans(ctx)
            sents = spans[q.context_index]
            answer = q.answers[0]
            pos = ctx.find(answer)
            if pos < 0 or not sents:
                continue
            hit = [i for i, (s, e) in enumerate(sents) if s < pos + len(answer) and e > pos]
            if not hit:
                continue
            i0, i1 = hit[0], hit[-1]
            gold = _one_line(ctx[sents[i0][0]: sents[i1][1]])
            if not (20 <= len(gold) <= 400) or len(units(gold)) < 6:
                continue
            w0, w1 = max(0, i0 - 2), min(len(sents) - 1, i1 + 2)
            passage = _one_line(ctx[sents[w0][0]: sents[w1][1]])
            lang = detect_lang(q.question)
            group = f"{Path(file).stem}:{q.id}"
            made += 1

            def add(kind: str, claim: str, label: bool) -> None:
                claim = claim.strip()
                if claim and len(units(claim)) >= 3:
                    pairs.append(JudgePair(group, lang, kind, claim, passage, label))

            add("sentence", gold, True)
            clause = _answer_clause(gold, answer)
            if clause and clause != gold:
                add("clause", clause, True)
            add("qa", _qa_claim(q.question, answer, lang), True)
            # -- unsupported
            other_q = questions[rng.randrange(len(questions))]
            if other_q.context_index != q.context_index:
                octx = contexts[other_q.context_index]
                osents = [s for s in spans.setdefault(other_q.context_index, _sentence_spans(octx))
                          if 30 <= s[1] - s[0] <= 300]
                if osents:
                    s, e = osents[rng.randrange(len(osents))]
                    add("other-passage", _one_line(octx[s:e]), False)
            far = [(s, e) for j, (s, e) in enumerate(sents) if (j < w0 - 3 or j > w1 + 3) and 30 <= e - s <= 300]
            if far:
                s, e = far[rng.randrange(len(far))]
                add("same-document", _one_line(ctx[s:e]), False)
            numbered = _change_number(gold, rng)
            if numbered:
                add("number", numbered, False)
            swapped = _swap_name(gold, answer, passage, lang, all_answers, rng)
            if swapped:
                add("name", swapped, False)
            negated = _negate(gold, lang)
            if negated:
                add("negation", negated, False)
            wrong = [a for a in all_answers if a not in passage and a != answer]
            if wrong:
                add("qa-swapped", _qa_claim(q.question, wrong[rng.randrange(len(wrong))], lang), False)
    return pairs


def _answer_clause(sentence: str, answer: str) -> str:
    """The clause of the sentence that holds the answer, grown with neighbours to 6+ words."""
    parts = [p for p in re.split(r"(?<=[,;:，；：])\s*", sentence) if p.strip()]
    if len(parts) < 2:
        return ""
    pos = sentence.find(answer[: min(len(answer), 12)])
    acc = 0
    idx = 0
    for i, p in enumerate(parts):
        if sentence.find(p, acc) <= pos < sentence.find(p, acc) + len(p):
            idx = i
            break
        acc = sentence.find(p, acc) + len(p)
    lo = hi = idx
    while len(units("".join(parts[lo: hi + 1]))) < 6 and (lo > 0 or hi < len(parts) - 1):
        if hi < len(parts) - 1:
            hi += 1
        else:
            lo -= 1
    clause = (" " if re.search(r"[A-Za-z]", sentence) else "").join(p.strip() for p in parts[lo: hi + 1])
    return clause.rstrip(",;:，；：")


def _qa_claim(question: str, answer: str, lang: str) -> str:
    question = question.strip()
    answer = _one_line(answer).strip().rstrip(".。")
    if lang == "zh":
        if _ZH_WH.search(question):
            return _ZH_WH.sub(answer, question, count=1).rstrip("？?") + "。"
        return f"{question.rstrip('？?')}：{answer}。"
    return f"{question.rstrip(' ?')}: {answer}."


def _change_number(sentence: str, rng: random.Random) -> str:
    nums = list(_NUMBER.finditer(sentence))
    if not nums:
        return ""
    m = nums[rng.randrange(len(nums))]
    val = m.group(0)
    if "." in val:
        new = f"{float(val) * rng.choice((2, 3)) + 1:.{len(val.split('.')[1])}f}"
    else:
        n = int(val)
        new = str(n + rng.choice((1, 2, 3, 7))) if 1900 <= n <= 2100 else str(n * rng.choice((2, 3)) + rng.choice((1, 3)))
    return sentence[: m.start()] + new + sentence[m.end():]


def _swap_name(sentence: str, answer: str, passage: str, lang: str, answers: list[str], rng: random.Random) -> str:
    if lang == "zh":
        if answer not in sentence or len(answer) > 20:
            return ""
        options = [a for a in answers if a not in passage and abs(len(a) - len(answer)) <= 3 and a != answer]
        return sentence.replace(answer, options[rng.randrange(len(options))], 1) if options else ""
    names = [m for m in _NAME.finditer(sentence) if m.group(0).lower() not in {"the", "this", "these", "however"}]
    if not names:
        return ""
    m = names[rng.randrange(len(names))]
    pool = [a for a in answers for a in _NAME.findall(" " + a) if a not in passage and a != m.group(0)]
    if not pool:
        return ""
    return sentence[: m.start()] + pool[rng.randrange(len(pool))] + sentence[m.end():]


def _negate(sentence: str, lang: str) -> str:
    if lang == "zh":
        for word, neg in _ZH_NEG:
            i = sentence.find(word)
            if i >= 0 and sentence[max(0, i - 1): i] not in ("不", "没", "所", "具", "拥", "享", "含", "占", "只", "还", "都"):
                return sentence[:i] + neg + sentence[i + len(word):]
        return ""
    m = _AUX.search(sentence)
    if not m:
        return ""
    return sentence[: m.end()] + " not" + sentence[m.end():]


def _prf(labels: list[bool], preds: list[bool]) -> dict:
    tp = sum(l and p for l, p in zip(labels, preds))
    fp = sum(p and not l for l, p in zip(labels, preds))
    fn = sum(l and not p for l, p in zip(labels, preds))
    tn = sum(not l and not p for l, p in zip(labels, preds))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"pairs": len(labels), "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "accuracy": round((tp + tn) / len(labels), 4) if labels else 0.0,
            "unsupported_rejected": round(tn / (tn + fp), 4) if tn + fp else None}


def _per_kind(pairs: list[JudgePair], preds: list[bool]) -> dict:
    """Share of each kind of pair judged correctly (recall for supported kinds, rejection otherwise)."""
    out: dict[str, list[int]] = {}
    for p, pred in zip(pairs, preds):
        c = out.setdefault(p.kind, [0, 0])
        c[0] += pred == p.label
        c[1] += 1
    return {k: {"right": v[0], "pairs": v[1], "rate": round(v[0] / v[1], 4)} for k, v in sorted(out.items())}


def fit_threshold(scores: list[float], labels: list[bool]) -> float:
    """The threshold maximising F1 ("supported" as the positive class) on these pairs; ties go
    to the higher threshold (a stricter judge)."""
    best_t, best_f = 0.5, -1.0
    for t in sorted(set(scores)):
        f = _prf(labels, [s >= t for s in scores])["f1"]
        if f >= best_f:
            best_t, best_f = t, f
    # Halfway to the next lower score keeps the fit from sitting exactly on a training point.
    lower = [s for s in scores if s < best_t]
    return round((best_t + max(lower)) / 2, 4) if lower else round(best_t, 4)


def judge_accuracy(embedder, llm_backend=None, files: Sequence[str | Path] = DEFAULT_JUDGE_DATA,
                   per_file: int = 70, llm_sample: int = 60, seed: int = 13, engine_threshold: float | None = None,
                   progress=None) -> dict:
    """Precision, recall and F1 of each judge on labelled pairs: the offline threshold is fitted
    on one half of the questions and measured on the other; the LLM judge is measured on a
    sample of the test half stratified by kind (the offline judge is reported on the same sample)."""
    files = [Path(f) for f in files if Path(f).exists()]
    if not files:
        raise InputError("No labelled data for the judge accuracy: pass SQuAD-format files with --judge-data.")
    pairs = build_judge_pairs(files, per_file, seed)
    groups = sorted({p.group for p in pairs})
    random.Random(seed).shuffle(groups)
    fit_groups = set(groups[: len(groups) // 2])
    fit = [p for p in pairs if p.group in fit_groups]
    test = [p for p in pairs if p.group not in fit_groups]
    judge = OfflineJudge(embedder, 0.5)
    t = time.perf_counter()
    fit_scores = judge.scores([(p.claim, p.passage) for p in fit])
    test_scores = judge.scores([(p.claim, p.passage) for p in test])
    offline_s = time.perf_counter() - t
    threshold = fit_threshold(fit_scores, [p.label for p in fit])
    labels = [p.label for p in test]
    rows: dict[str, dict] = {}
    preds = [s >= threshold for s in test_scores]
    rows["offline"] = {**_prf(labels, preds), "threshold": threshold, "per_kind": _per_kind(test, preds),
                       "per_lang": {lang: _prf([p.label for p in test if p.lang == lang],
                                               [pr for p, pr in zip(test, preds) if p.lang == lang])
                                    for lang in sorted({p.lang for p in test})},
                       "ms_per_pair": round(1000 * offline_s / max(1, len(fit) + len(test)), 2)}
    if engine_threshold is not None:
        p2 = [s >= engine_threshold for s in test_scores]
        rows["offline@engine"] = {**_prf(labels, p2), "threshold": engine_threshold, "per_kind": _per_kind(test, p2)}
    result = {
        "data": [str(f) for f in files],
        "seed": seed,
        "pairs": len(pairs),
        "fit_pairs": len(fit),
        "test_pairs": len(test),
        "kinds": {k: sum(p.kind == k for p in pairs) for k in sorted({p.kind for p in pairs})},
        "offline_threshold": threshold,
        "judges": rows,
        "created": _dt.datetime.now().isoformat(timespec="seconds"),
    }
    if llm_backend is not None and llm_sample > 0:
        sample = _stratified(test, llm_sample, seed)
        llm = LLMJudge(llm_backend)
        t = time.perf_counter()
        verdicts = []
        for i, p in enumerate(sample, 1):
            verdicts.append(llm.verify_one(p.claim, p.passage))
            if progress and (i % 10 == 0 or i == len(sample)):
                progress(f"llm judge: {i}/{len(sample)} pairs, {time.perf_counter() - t:.0f}s")
        lp = [v.supported for v in verdicts]
        sl = [p.label for p in sample]
        rows["llm"] = {**_prf(sl, lp), "backend": llm_backend.label, "per_kind": _per_kind(sample, lp),
                       "unparsed": llm.unparsed, "s_per_pair": round((time.perf_counter() - t) / max(1, len(sample)), 2),
                       "examples": [{"kind": p.kind, "label": p.label, "claim": p.claim[:160], "reply": v.raw}
                                    for p, v in list(zip(sample, verdicts))[:8]]}
        idx = {id(p): i for i, p in enumerate(test)}
        op = [test_scores[idx[id(p)]] >= threshold for p in sample]
        rows["offline (same sample)"] = {**_prf(sl, op), "threshold": threshold, "per_kind": _per_kind(sample, op)}
    return result


def _stratified(pairs: list[JudgePair], n: int, seed: int) -> list[JudgePair]:
    rng = random.Random(seed + 1)
    by_kind: dict[str, list[JudgePair]] = {}
    for p in pairs:
        by_kind.setdefault(p.kind, []).append(p)
    for v in by_kind.values():
        rng.shuffle(v)
    out: list[JudgePair] = []
    while len(out) < n and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(out) < n:
                out.append(by_kind[kind].pop())
    return out


def format_judge_accuracy(acc: dict) -> str:
    lines = [f"Judge accuracy: {acc['pairs']} labelled pairs from {', '.join(Path(d).name for d in acc['data'])} "
             f"({acc['fit_pairs']} to fit the offline threshold, {acc['test_pairs']} to test); "
             f"positive class = supported",
             f"{'judge':<24}{'pairs':>6}{'prec':>7}{'recall':>7}{'F1':>7}{'acc':>7}{'reject':>8}  threshold / backend"]
    for name, r in acc["judges"].items():
        extra = r.get("backend") or f"{r.get('threshold', ''):}"
        rej = r.get("unsupported_rejected")
        lines.append(f"{name:<24}{r['pairs']:>6}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
                     f"{r['accuracy']:>7.3f}{(rej if rej is not None else float('nan')):>8.3f}  {extra}")
    kinds = sorted({k for r in acc["judges"].values() for k in r.get("per_kind", {})})
    if kinds:
        lines.append("share judged right, per kind of pair (supported kinds: " + ", ".join(SUPPORTED_KINDS) + ")")
        lines.append(f"{'judge':<24}" + "".join(f"{k[:13]:>14}" for k in kinds))
        for name, r in acc["judges"].items():
            pk = r.get("per_kind", {})
            cells = [f"{pk[k]['rate']:.2f} ({pk[k]['pairs']})" if k in pk else "-" for k in kinds]
            lines.append(f"{name:<24}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


# ============================================================ reports
METRIC_ROWS = [
    ("retrieval_hit@1", "retrieval evidence hit@1"),
    ("retrieval_hit@k", "retrieval evidence hit@k"),
    ("retrieval_mrr@10", "retrieval MRR@10"),
    ("context_hit", "evidence in answerer's context"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("faithfulness", "faithfulness"),
    ("quote_verbatim_rate", "quote verbatim rate"),
    ("correctness", "correctness (answerable)"),
    ("correct_when_answered", "correct when answered"),
    ("evidence_recall", "evidence recall"),
    ("refusal_precision", "refusal precision"),
    ("refusal_recall", "refusal recall"),
    ("refusal_accuracy", "refusal accuracy"),
    ("false_refusal_rate", "false refusal rate"),
    ("outcome_accuracy", "outcome accuracy (all)"),
    ("first_token_p50_s", "first token p50 (s)"),
    ("first_token_p95_s", "first token p95 (s)"),
    ("total_p50_s", "total p50 (s)"),
    ("total_p95_s", "total p95 (s)"),
]


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def format_report(report: dict, per_question: bool = True) -> str:
    meta, m = report["meta"], report["metrics"]
    lines = [f"rag eval {meta['set']}: {m['questions']} questions ({m['answerable']} answerable, "
             f"{m['unanswerable']} not), backend {meta['backend']}, judge {meta['judge_description']}, k={meta['k']}",
             f"{'metric':<34}{'value':>8}"]
    for key, label in METRIC_ROWS:
        lines.append(f"{label:<34}{_fmt(m.get(key)):>8}")
    if report.get("breakdown"):
        lines.append("")
        lines.append(f"{'group':<26}{'n':>4}{'ok':>7}{'correct':>9}{'refusal rec':>12}{'hit@k':>7}")
        for key, b in report["breakdown"].items():
            lines.append(f"{key:<26}{b['questions']:>4}{_fmt(b['outcome_accuracy']):>7}{_fmt(b['correctness']):>9}"
                         f"{_fmt(b['refusal_recall']):>12}{_fmt(b['retrieval_hit@k']):>7}")
    if per_question:
        lines.append("")
        lines.append(f"{'id':<28}{'lang':<5}{'expect':<8}{'outcome':<9}{'rank':>5}{'first':>7}{'total':>7}  answer")
        for r in report["questions"]:
            rank = r["retrieval"]["rank"]
            ans = " ".join(r["answer"].split())
            lines.append(f"{r['id'][:27]:<28}{r['lang']:<5}{'answer' if r['answerable'] else 'refuse':<8}"
                         f"{r['outcome'] + ('' if r['ok'] else '!'):<9}{(str(rank) if rank else '-'):>5}"
                         f"{r['latency']['first_token']:>7.2f}{r['latency']['total']:>7.2f}  {ans[:70]}")
    if report.get("judge_accuracy"):
        lines.append("")
        lines.append(format_judge_accuracy(report["judge_accuracy"]))
    return "\n".join(lines)


def _svg_hist(values: list[float], title: str, xlabel: str, bins: int = 20, lo: float | None = None,
              hi: float | None = None, mark: float | None = None, width: int = 420, height: int = 180) -> str:
    esc = html.escape
    if not values:
        return f'<svg width="{width}" height="40" role="img"><text x="4" y="24">{esc(title)}: no data</text></svg>'
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    if hi <= lo:
        hi = lo + 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int((v - lo) / (hi - lo) * bins)))] += 1
    top = max(counts) or 1
    pl, pr, pt, pb = 34, 10, 22, 34
    w, h = width - pl - pr, height - pt - pb
    bw = w / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>',
             f'<text x="{width / 2}" y="14" text-anchor="middle" class="t">{esc(title)}</text>',
             f'<line x1="{pl}" y1="{pt + h}" x2="{pl + w}" y2="{pt + h}" class="ax"/>',
             f'<line x1="{pl}" y1="{pt}" x2="{pl}" y2="{pt + h}" class="ax"/>']
    for i, c in enumerate(counts):
        if c:
            bh = h * c / top
            parts.append(f'<rect x="{pl + i * bw + 1:.1f}" y="{pt + h - bh:.1f}" width="{max(1.0, bw - 2):.1f}" '
                         f'height="{bh:.1f}" class="bar"><title>{lo + i * (hi - lo) / bins:.3g}–'
                         f'{lo + (i + 1) * (hi - lo) / bins:.3g}: {c}</title></rect>')
    for frac in (0, 0.5, 1):
        x = pl + w * frac
        parts.append(f'<text x="{x:.1f}" y="{pt + h + 14}" text-anchor="middle" class="l">{lo + (hi - lo) * frac:.3g}</text>')
    parts.append(f'<text x="{pl - 4}" y="{pt + 8}" text-anchor="end" class="l">{top}</text>')
    parts.append(f'<text x="{pl + w / 2}" y="{height - 4}" text-anchor="middle" class="l">{esc(xlabel)}</text>')
    if mark is not None and lo <= mark <= hi:
        x = pl + w * (mark - lo) / (hi - lo)
        parts.append(f'<line x1="{x:.1f}" y1="{pt}" x2="{x:.1f}" y2="{pt + h}" class="mark"/>'
                     f'<text x="{x + 3:.1f}" y="{pt + 10}" class="l">threshold {mark:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d232a;max-width:1400px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d6dbe0;padding:4px 7px;vertical-align:top;text-align:left}
th{background:#f2f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{background:#e7f6ea}.bad{background:#fdeaea}.muted{color:#6b7480}
.q td{font-size:13px}.q td:nth-child(6){min-width:260px}.q td:nth-child(7){min-width:300px}.q td:nth-child(8){min-width:220px}.quote{margin:2px 0;padding:2px 6px;border-left:3px solid #9fb3c8;background:#f7f9fb}
.claim.yes::before{content:"✓ ";color:#1a7f37}.claim.no::before{content:"✗ ";color:#c62828}.claim{margin:1px 0}
.plots svg{margin:0 16px 12px 0;border:1px solid #e3e6ea}.bar{fill:#5b8def}.ax{stroke:#888}.mark{stroke:#c62828;stroke-dasharray:4 3}
.t{font-size:13px;font-weight:600}.l{font-size:11px;fill:#555}
code{font-size:12px}
"""


def render_html(report: dict, check: list[str] | None = None) -> str:
    """A self-contained HTML page: metrics, breakdowns, judge accuracy, SVG plots, per-question table."""
    esc = html.escape
    meta, m = report["meta"], report["metrics"]
    out = ["<!doctype html><html><head><meta charset='utf-8'><title>rag eval: "
           f"{esc(Path(meta['set']).name)} / {esc(meta['backend'])}</title><style>{_CSS}</style></head><body>",
           f"<h1>Grounding evaluation — {esc(Path(meta['set']).name)}, backend {esc(meta['backend'])}</h1>",
           f"<p class='muted'>{m['questions']} questions ({m['answerable']} answerable, {m['unanswerable']} not) · "
           f"judge {esc(meta['judge_description'])} · k={meta['k']} · {esc(meta['created'])} · "
           f"{esc(meta.get('backend_label', ''))} · <code>{esc(meta.get('command', ''))}</code></p>"]
    if check is not None:
        cls = "ok" if not check else "bad"
        out.append(f"<p class='{cls}'>Threshold check: {'passed' if not check else 'FAILED: ' + esc('; '.join(check))}</p>")
    out.append("<h2>Metrics</h2><table><tr><th>metric</th><th>value</th></tr>")
    for key, label in METRIC_ROWS:
        out.append(f"<tr><td>{esc(label)}</td><td class='num'>{esc(_fmt(m.get(key)))}</td></tr>")
    out.append("</table>")
    if report.get("breakdown"):
        out.append("<h2>By language and tag</h2><table><tr><th>group</th><th>n</th><th>outcome accuracy</th>"
                   "<th>correctness</th><th>refusal recall</th><th>hit@k</th></tr>")
        for key, b in report["breakdown"].items():
            out.append(f"<tr><td>{esc(key)}</td><td class='num'>{b['questions']}</td>" + "".join(
                f"<td class='num'>{esc(_fmt(b[c]))}</td>" for c in ("outcome_accuracy", "correctness", "refusal_recall",
                                                                     "retrieval_hit@k")) + "</tr>")
        out.append("</table>")
    if report.get("judge_accuracy"):
        out.append(_judge_html(report["judge_accuracy"]))
    qs = report["questions"]
    thr = meta.get("judge_threshold") if meta.get("judge") == "offline" else None
    claim_scores = [c["score"] for r in qs for c in r["claims"]]
    cite_scores = [v["score"] for r in qs for s in r["sentences"] for v in s["verdicts"]]
    totals = [r["latency"]["total"] for r in qs]
    firsts = [r["latency"]["first_token"] for r in qs]
    hi_t = max(totals + firsts + [0.001])
    out.append("<h2>Distributions</h2><div class='plots'>")
    out.append(_svg_hist(cite_scores, "support score: sentence vs its cited quote", "judge score", lo=0, hi=1, mark=thr))
    out.append(_svg_hist(claim_scores, "support score: claim vs all cited quotes", "judge score", lo=0, hi=1, mark=thr))
    out.append(_svg_hist(firsts, "time to first token", "seconds", lo=0, hi=hi_t))
    out.append(_svg_hist(totals, "total answer time", "seconds", lo=0, hi=hi_t))
    out.append("</div>")
    out.append("<h2>Questions</h2><table class='q' id='questions'><tr><th>id</th><th>question</th><th>expected</th>"
               "<th>outcome</th><th>retrieval rank</th><th>answer</th><th>quotes</th><th>claims (judge)</th>"
               "<th>latency (s)</th></tr>")
    for r in qs:
        cls = "ok" if r["ok"] else "bad"
        quotes = "".join(
            f"<div class='quote'>[{c['n']}] {esc(' '.join(c['quote'].split()))}<br><span class='muted'>"
            f"{esc(c['source'])}:{c['start']}–{c['end']}{'' if c['verbatim'] else ' · NOT VERBATIM'}</span></div>"
            for c in r["citations"])
        verdicts = "".join(
            f"<div class='claim {'yes' if v['supported'] else 'no'}' title='{esc(s['text'])}'>sentence {i} → "
            f"[{v['n']}] {v['score']:.2f}</div>" for i, s in enumerate(r["sentences"], 1) for v in s["verdicts"])
        verdicts += "".join(f"<div class='claim no'>sentence {i}: no citation</div>"
                            for i, s in enumerate(r["sentences"], 1) if not s["verdicts"])
        claims = "".join(f"<div class='claim {'yes' if c['supported'] else 'no'}' title='{esc(c['text'])}'>"
                         f"{c['score']:.2f} {esc(c['text'][:110])}{'…' if len(c['text']) > 110 else ''}</div>"
                         for c in r["claims"])
        judged = (f"<b>citations</b>{verdicts}" if verdicts else "") + (f"<b>claims</b>{claims}" if claims else "")
        unsupported = "".join(f"<div class='muted'>dropped: {esc(u[:160])}</div>" for u in r["unsupported"])
        evidence = "".join(f"<div class='muted'>evidence: {esc(e[:200])}</div>" for e in r["evidence"])
        rank = r["retrieval"]["rank"]
        reason = f" ({esc(r['refusal_reason'])})" if r.get("refusal_reason") else ""
        out.append(
            f"<tr class='{cls}'><td>{esc(r['id'])}<br><span class='muted'>{esc(r['lang'])} {esc(' '.join(r['tags']))}"
            f"</span></td><td>{esc(r['q'])}{evidence}</td><td>{'answer' if r['answerable'] else 'refuse'}</td>"
            f"<td>{esc(r['outcome'])}{reason}</td><td class='num'>{rank or '-'}</td>"
            f"<td>{esc(r['answer']).replace(chr(10), '<br>')}{unsupported}</td><td>{quotes}</td><td>{judged}</td>"
            f"<td class='num'>{r['latency']['first_token']:.2f} / {r['latency']['total']:.2f}</td></tr>")
    out.append("</table><p class='muted'>Definitions: eval/README.md. Outcome: answerable questions are "
               "<i>correct</i> (a cited quote overlaps a gold evidence text), <i>wrong</i> or <i>refused</i>; "
               "unanswerable ones are <i>refused</i> (right) or <i>answered</i>.</p></body></html>")
    return "".join(out)


def _judge_html(acc: dict) -> str:
    esc = html.escape
    out = [f"<h2>Judge accuracy</h2><p class='muted'>{acc['pairs']} labelled (claim, passage) pairs from "
           f"{esc(', '.join(Path(d).name for d in acc['data']))}; offline threshold fitted on {acc['fit_pairs']} pairs, "
           f"measured on the other {acc['test_pairs']}; positive class = supported. Measured {esc(acc.get('created', ''))}.</p>",
           "<table><tr><th>judge</th><th>pairs</th><th>precision</th><th>recall</th><th>F1</th><th>accuracy</th>"
           "<th>unsupported rejected</th><th>threshold / backend</th></tr>"]
    for name, r in acc["judges"].items():
        out.append(f"<tr><td>{esc(name)}</td><td class='num'>{r['pairs']}</td>" + "".join(
            f"<td class='num'>{esc(_fmt(r.get(c)))}</td>" for c in ("precision", "recall", "f1", "accuracy",
                                                                     "unsupported_rejected"))
                   + f"<td>{esc(str(r.get('backend') or r.get('threshold', '')))}</td></tr>")
    out.append("</table>")
    kinds = sorted({k for r in acc["judges"].values() for k in r.get("per_kind", {})})
    if kinds:
        out.append("<table><tr><th>share judged right</th>" + "".join(f"<th>{esc(k)}</th>" for k in kinds) + "</tr>")
        for name, r in acc["judges"].items():
            pk = r.get("per_kind", {})
            out.append(f"<tr><td>{esc(name)}</td>" + "".join(
                f"<td class='num'>{pk[k]['rate']:.2f} ({pk[k]['pairs']})</td>" if k in pk else "<td>-</td>" for k in kinds)
                       + "</tr>")
        out.append("</table>")
    return "".join(out)


# ============================================================ compare and check
def compare_reports(a: dict, b: dict) -> tuple[list[tuple[str, Any, Any, float | None]], dict[str, list[str]]]:
    """(metric deltas, question ids grouped by outcome change "A->B")."""
    deltas = []
    for key in list(dict.fromkeys(list(a["metrics"]) + list(b["metrics"]))):
        va, vb = a["metrics"].get(key), b["metrics"].get(key)
        if isinstance(va, bool) or isinstance(vb, bool):
            continue
        d = round(vb - va, 4) if isinstance(va, (int, float)) and isinstance(vb, (int, float)) else None
        deltas.append((key, va, vb, d))
    qa = {r["id"]: r for r in a["questions"]}
    qb = {r["id"]: r for r in b["questions"]}
    changes: dict[str, list[str]] = {}
    for qid in qa:
        if qid in qb and qa[qid]["outcome"] != qb[qid]["outcome"]:
            prefix = "" if qa[qid]["answerable"] else "unanswerable: "
            changes.setdefault(f"{prefix}{qa[qid]['outcome']}->{qb[qid]['outcome']}", []).append(qid)
    only_a = [q for q in qa if q not in qb]
    only_b = [q for q in qb if q not in qa]
    if only_a:
        changes["only in A"] = only_a
    if only_b:
        changes["only in B"] = only_b
    return deltas, changes


_RANK = {"correct": 2, "refused": 1, "wrong": 0}  # answerable outcomes, best first
_RANK_UNANSWERABLE = {"refused": 1, "answered": 0}


def _direction(change: str) -> str:
    """" [better]" / " [worse]" for an outcome change such as "correct->refused"."""
    if "->" not in change:
        return ""
    unanswerable = change.startswith("unanswerable: ")
    a, b = change.removeprefix("unanswerable: ").split("->")
    rank = _RANK_UNANSWERABLE if unanswerable else _RANK
    if a not in rank or b not in rank or rank[a] == rank[b]:
        return ""
    return " [better]" if rank[b] > rank[a] else " [worse]"


def format_compare(a: dict, b: dict, name_a: str = "A", name_b: str = "B") -> str:
    deltas, changes = compare_reports(a, b)
    lines = [f"A = {name_a} ({a['meta'].get('backend')}, {a['meta'].get('judge')}), "
             f"B = {name_b} ({b['meta'].get('backend')}, {b['meta'].get('judge')})",
             f"{'metric':<26}{'A':>9}{'B':>9}{'B-A':>9}"]
    for key, va, vb, d in deltas:
        lines.append(f"{key:<26}{_fmt(va):>9}{_fmt(vb):>9}{(f'{d:+.3f}' if d is not None else '-'):>9}")
    lines.append("")
    if not changes:
        lines.append("No question changed outcome.")
    for key, ids in sorted(changes.items()):
        lines.append(f"{key} ({len(ids)}){_direction(key)}: {', '.join(ids)}")
    return "\n".join(lines)


def check_thresholds(report: dict, thresholds: dict) -> list[str]:
    """Failures (empty = pass). Thresholds: {"backends": {NAME: {"min": {metric: v}, "max": {metric: v}}}};
    a bare {metric: v} under a backend means minimums. A metric that was not measured fails."""
    backend = report["meta"]["backend"]
    per_backend = thresholds.get("backends", thresholds)
    limits = per_backend.get(backend)
    if limits is None:
        return [f"no thresholds for backend {backend!r} (have: {', '.join(k for k in per_backend if k != 'comment')})"]
    mins = limits.get("min", {k: v for k, v in limits.items() if isinstance(v, (int, float))})
    maxs = limits.get("max", {})
    failures = []
    want_set = limits.get("set", thresholds.get("set"))
    if want_set and Path(want_set).name != Path(report["meta"].get("set", "")).name:
        failures.append(f"thresholds are for set {want_set}, the report is for {report['meta'].get('set')}")
    for key, lim in mins.items():
        v = report["metrics"].get(key)
        if not isinstance(v, (int, float)):
            failures.append(f"{key}: not measured (minimum {lim})")
        elif v < lim:
            failures.append(f"{key}: {v:.4f} < minimum {lim}")
    for key, lim in maxs.items():
        v = report["metrics"].get(key)
        if not isinstance(v, (int, float)):
            failures.append(f"{key}: not measured (maximum {lim})")
        elif v > lim:
            failures.append(f"{key}: {v:.4f} > maximum {lim}")
    return failures


def _load_report(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such report.") from None
    except ValueError:
        raise InputError(f"{path}: not a JSON report.") from None
    if not isinstance(data, dict) or "metrics" not in data or "questions" not in data:
        raise InputError(f"{path}: not a `rag eval --json` report.")
    return data


def write_outputs(report: dict, json_out: str | None, html_out: str | None, check: list[str] | None = None) -> None:
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if html_out:
        Path(html_out).parent.mkdir(parents=True, exist_ok=True)
        Path(html_out).write_text(render_html(report, check), encoding="utf-8")


# ============================================================ command line
def add_extra_arguments(p: argparse.ArgumentParser) -> None:
    """Flags beyond those rag/cli.py declares for `rag eval` (it may call this to add them)."""
    p.add_argument("--judge-accuracy", action="store_true",
                   help="measure the judges on labelled (claim, passage) pairs instead of running a set")
    p.add_argument("--judge-data", nargs="+", default=None, help="SQuAD-format files for --judge-accuracy")
    p.add_argument("--judge-pairs-per-file", type=int, default=70, help="questions per file turned into pairs")
    p.add_argument("--judge-sample", type=int, default=60, help="pairs the LLM judge is measured on")
    p.add_argument("--judge-backend", choices=["auto", "ollama", "embedded"], default=None,
                   help="backend of the LLM judge (default: RAG_LLM / auto)")
    p.add_argument("--save-judge", action="store_true",
                   help="with --judge-accuracy: store the fitted threshold and the table in eval/judge.json")
    p.add_argument("--from-json", default=None, help="re-use a saved report (for --check, --html) instead of running")
    p.add_argument("--rescore", action="store_true",
                   help="with --from-json: recompute retrieval hits and correctness with the current definitions")
    p.add_argument("--quiet", action="store_true", help="no per-question lines")


def _arg(args, name: str, default=None):
    return getattr(args, name, default)


def run_cli(args) -> int:
    """`rag eval`: run a set (or --judge-accuracy), print a table, write --json/--html, --check, --compare."""
    log = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    if _arg(args, "compare"):
        a_path, b_path = args.compare
        print(format_compare(_load_report(a_path), _load_report(b_path), a_path, b_path))
        return 0
    json_out, html_out = _arg(args, "json_out"), _arg(args, "html_out")
    if _arg(args, "judge_accuracy"):
        return _run_judge_accuracy(args, log)
    if _arg(args, "from_json"):
        report = _load_report(args.from_json)
        if _arg(args, "rescore"):
            from .api import RAG

            report = rescore(report, RAG(data_dir=_arg(args, "data_dir")))
    else:
        from .errors import BackendError

        evalset = load_set(_arg(args, "set_file") or DEFAULT_SET)
        questions = evalset.questions[: args.limit] if _arg(args, "limit") else evalset.questions
        backend = _arg(args, "backend") or "extractive"
        rag = prepare_rag(evalset, _arg(args, "data_dir"), backend, log)
        try:
            judge = make_judge(_arg(args, "judge") or "offline", rag, _arg(args, "judge_backend"))
        except BackendError as e:
            raise RagError(f"LLM judge unavailable: {e}") from None
        quiet = _arg(args, "quiet", False)
        report = run_eval(rag, questions, backend=backend, judge=judge, k=_arg(args, "k"),
                          progress=None if quiet else log, set_path=str(evalset.path))
    failures = None
    thresholds_path = _arg(args, "check")
    if thresholds_path:
        try:
            thresholds = json.loads(Path(thresholds_path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{thresholds_path}: no such thresholds file.") from None
        except ValueError as e:
            raise InputError(f"{thresholds_path}: not JSON ({e}).") from None
        failures = check_thresholds(report, thresholds)
        report.setdefault("meta", {})["check"] = {"thresholds": thresholds_path, "failures": failures}
    print(format_report(report, per_question=not _arg(args, "quiet", False)))
    write_outputs(report, json_out, html_out, failures)
    if json_out:
        log(f"wrote {json_out}")
    if html_out:
        log(f"wrote {html_out}")
    if failures is not None:
        if failures:
            print(f"\nCHECK FAILED against {thresholds_path}:")
            for f in failures:
                print(f"  {f}")
            return 1
        print(f"\nCheck passed against {thresholds_path}.")
    return 0


def _run_judge_accuracy(args, log) -> int:
    from .api import RAG
    from .errors import BackendError
    from .llms import resolve_backend

    rag = RAG(data_dir=_arg(args, "data_dir"))
    backend = None
    if (_arg(args, "judge") or "offline") == "llm":
        try:
            backend = resolve_backend(rag.settings, _arg(args, "judge_backend"))
        except BackendError as e:
            raise RagError(f"LLM judge unavailable: {e}") from None
        if backend.llm is None:
            raise RagError("The LLM judge needs an LLM backend: use --judge-backend embedded or ollama.")
    files = _arg(args, "judge_data") or DEFAULT_JUDGE_DATA
    acc = judge_accuracy(rag.store.embedder, backend, files, per_file=_arg(args, "judge_pairs_per_file", 70) or 70,
                         llm_sample=_arg(args, "judge_sample", 60) or 0,
                         engine_threshold=rag.settings.support_threshold, progress=log)
    print(format_judge_accuracy(acc))
    if _arg(args, "save_judge"):
        stored = stored_judge()
        if "llm" not in acc["judges"] and "llm" in stored.get("accuracy", {}).get("judges", {}):
            # Keep an earlier LLM measurement (made with the same pairs and seed) beside the new offline one.
            acc["judges"]["llm"] = stored["accuracy"]["judges"]["llm"]
            if "offline (same sample)" in stored["accuracy"]["judges"]:
                acc["judges"]["offline (same sample)"] = stored["accuracy"]["judges"]["offline (same sample)"]
        JUDGE_FILE.write_text(json.dumps({
            "comment": "Written by `rag eval --judge-accuracy --save-judge`: the offline judge's threshold, "
                       "fitted on half of the labelled pairs, and the judges' accuracy on the other half.",
            "offline_threshold": acc["offline_threshold"],
            "accuracy": acc,
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        log(f"saved the fitted threshold {acc['offline_threshold']} to {JUDGE_FILE}")
    report = {"meta": {"set": "judge-accuracy", "backend": "-", "judge": "-", "judge_description": "-", "k": "-",
                       "created": acc["created"]}, "judge_accuracy": acc}
    if _arg(args, "json_out"):
        Path(args.json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if _arg(args, "html_out"):
        Path(args.html_out).write_text(
            f"<!doctype html><html><head><meta charset='utf-8'><title>rag judge accuracy</title><style>{_CSS}</style>"
            f"</head><body>{_judge_html(acc)}</body></html>", encoding="utf-8")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """`python -m rag.evaluate`: the same options as `rag eval`, plus the extra ones."""
    p = argparse.ArgumentParser(prog="python -m rag.evaluate", description="measure grounding (see rag eval)")
    p.add_argument("--data-dir")
    p.add_argument("--set", dest="set_file", default=None)
    p.add_argument("--backend", choices=["auto", "ollama", "embedded", "extractive"], default="extractive")
    p.add_argument("--judge", choices=["offline", "llm"], default="offline")
    p.add_argument("--k", type=int, default=None)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", dest="json_out", default=None)
    p.add_argument("--html", dest="html_out", default=None)
    p.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"), default=None)
    p.add_argument("--check", default=None)
    add_extra_arguments(p)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run_cli(args)
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
