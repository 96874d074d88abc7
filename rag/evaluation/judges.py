"""Judges: does a quote support a claim? `OfflineJudge` (deterministic, no LLM) and `LLMJudge`
(RAGAS style, on any configured backend; its prompts are prompts/judge_*.txt)."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..errors import RagError
from ..prompts import load_prompt
from .config import JUDGE_FILE
from .matching import units


# The offline judge's score: the engine's first verifier, a similarity measure. It is kept here,
# away from the engine, so that `rag eval` never grades the verifier with the verifier.
_NUM = re.compile(r"\d+(?:[.,]\d+)*%?")
_NEG_EN = re.compile(r"\b(?:not|no|never|none|neither|nor|cannot|can't|don't|doesn't|isn't|aren't|won't|without)\b", re.I)
_NEG_ZH = re.compile(r"[不没无非未别勿]")
COS_WEIGHT = 0.5  # fitted with `rag eval --judge-accuracy` on the judge pairs (docs/evaluation.md, "Judges")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUM.findall(text)}


def _negated(text: str) -> bool:
    return bool(_NEG_EN.search(text) or _NEG_ZH.search(text))


def support(cos: float, claim: str, claim_tokens: set[str], source: str, source_tokens: set[str]) -> float:
    """Embedding cosine blended with word coverage, halved for a number the source lacks, times
    0.7 for a negation mismatch."""
    coverage = len(claim_tokens & source_tokens) / len(claim_tokens) if claim_tokens else 0.0
    score = COS_WEIGHT * max(0.0, cos) + (1 - COS_WEIGHT) * coverage
    if _numbers(claim) - _numbers(source):
        score *= 0.5
    if _negated(claim) != _negated(source):
        score *= 0.7
    return score


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
        from ..splitter import split_sentences

        sents = [source[s:e] for s, e in split_sentences(source)]
        return list(dict.fromkeys([source.strip()] + sents)) if len(sents) > 1 else [source.strip()]

    def scores(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        from ..lexical import tokenize

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


def judge_prompt(name: str) -> str:
    """prompts/judge_<name>.txt, without the file's final line break; used with str.format."""
    return load_prompt(f"judge_{name}").rstrip("\n")


# judge_verify.txt is phrased as "does the text say that ...": the 0.5B embedded model answers "No"
# to nearly every pair under the stricter "is the statement fully supported ... Yes or No" wording
# (recall 0.10).
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
        reply = self._complete([("system", judge_prompt("verify_system")),
                                ("user", judge_prompt("verify").format(context=context, claim=claim))],
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
            reply = self._complete([("user", judge_prompt("claims").format(answer=text))], max_tokens=256)
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
    from ..settings import load_settings

    return load_settings().support_threshold


def make_judge(kind: str, rag, backend_name: str | None = None):
    if kind == "offline":
        return OfflineJudge(rag.store.embedder)
    if kind == "llm":
        from ..llms import resolve_backend

        backend = resolve_backend(rag.settings, backend_name)
        if not backend.generates:
            raise RagError("The LLM judge needs an LLM backend (embedded or ollama), not the extractive one: "
                           "use --judge-backend embedded.")
        return LLMJudge(backend)
    raise RagError(f"Unknown judge {kind!r}: use offline or llm.")
