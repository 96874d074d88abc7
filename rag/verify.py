"""Verification after generation: every answer sentence must be backed by a source sentence.

A draft is split into sentences (English and Chinese). Each is scored against every sentence
of the retrieved passages by `support()`: embedding cosine blended with how much of the answer
sentence's content words the source sentence contains, with penalties for the cheap ways a
claim drifts from its source (a number or a negation that the source does not have). The best
source sentence becomes the citation; a citation the model put on the wrong passage is moved.
Sentences below `support_threshold` are unsupported: listed, and dropped in strict mode.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from .embeddings import encode_cached
from .lexical import tokenize
from .splitter import PARAGRAPH_BREAK, split_sentences
from .types import Citation, Passage, SearchResult

_PARAGRAPH_BREAK = re.compile(PARAGRAPH_BREAK)
# A citation marker: [1], [1, 2], 【1】, [1、2].
_MARK_BODY = r"[\[【]\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[\]】]"
_MARK = re.compile(r"\s*" + _MARK_BODY)
_MARK_AFTER_STOP = re.compile(rf"([.。!?！？；;])\s*((?:{_MARK_BODY}\s*)+)")
_MARK_BEFORE_SENTENCE = re.compile(rf"((?:{_MARK_BODY})+)[^\S\n]+(?=[A-Z0-9\"“‘(（\u4e00-\u9fff])")
_NUM = re.compile(r"\d+(?:[.,]\d+)*%?")
_NEG_EN = re.compile(r"\b(?:not|no|never|none|neither|nor|cannot|can't|don't|doesn't|isn't|aren't|won't|without)\b", re.I)
_NEG_ZH = re.compile(r"[不没无非未别勿]")
PAIR_MARGIN = 0.05
COS_WEIGHT = 0.5  # fitted with `rag eval` on the judge set (README, "Judges")


@dataclass
class SourceSentence:
    passage: Passage
    rank: int  # position of the passage in the retrieved list (0 = best)
    start: int  # offsets into the source document
    end: int
    text: str
    tokens: set[str] = field(default_factory=set)


@dataclass
class Verdict:
    sentence: str  # answer sentence, without citation markers
    cited: list[int]  # passage numbers the draft cited (1-based, as in the prompt)
    support: float
    sources: list[SourceSentence]  # best first; empty when unsupported

    @property
    def supported(self) -> bool:
        return bool(self.sources)


def sentence_pairs(sentences: list[SourceSentence]) -> list[SourceSentence]:
    """Adjacent sentences of one passage as one quote: "It is a key measure ..." needs the
    sentence before it to say what "it" is. The quote is still one verbatim slice."""
    out = []
    for a, b in zip(sentences, sentences[1:]):
        if a.passage.id == b.passage.id:
            text = span_text(a, b)
            if _PARAGRAPH_BREAK.search(text):  # a heading and the line under it are no pair
                continue
            out.append(SourceSentence(a.passage, a.rank, a.start, b.end, text, a.tokens | b.tokens))
    return out


def span_text(a: SourceSentence, b: SourceSentence) -> str:
    """The verbatim text from the start of `a` to the end of `b`, two sentences of one passage."""
    p = a.passage
    return p.text[a.start - p.start : b.end - p.start]


def source_sentences(results: list[SearchResult]) -> list[SourceSentence]:
    out = []
    seen = set()
    for rank, r in enumerate(results):
        p = r.passage
        for s, e in split_sentences(p.text):
            key = (p.source, p.start + s)
            if key in seen:  # overlapping passages repeat a sentence
                continue
            seen.add(key)
            text = p.text[s:e]
            out.append(SourceSentence(p, rank, p.start + s, p.start + e, text, set(tokenize(text))))
    return out


def strip_marks(text: str, replacement: str = "") -> str:
    """`text` without its citation markers ([1], [1, 2], 【1】) and the space before them."""
    return _MARK.sub(replacement, text)


def split_answer(draft: str) -> list[tuple[str, list[int]]]:
    """Answer sentences with the [n] numbers cited in each, markers removed."""
    # "...overcapacity. [1]" and "...过剩。[1]": a marker after the full stop belongs before it.
    draft = _MARK_AFTER_STOP.sub(lambda m: f" {m.group(2)}{m.group(1)} ", draft)
    # "…Updated: 2024-05-30 [2] The Necessity…": a marker followed by a new sentence ends the one
    # before it even without a full stop, or two sources' texts would be judged as one claim.
    draft = _MARK_BEFORE_SENTENCE.sub(lambda m: m.group(1) + "\n\n", draft)
    out = []
    for s, e in split_sentences(draft):
        sent = draft[s:e]
        cited = [int(n) for m in _MARK.finditer(sent) for n in re.split(r"\s*[,，、]\s*", m.group(1))]
        clean = re.sub(r"\s+([.。!?！？,，;；:：])", r"\1", strip_marks(sent)).strip()
        # A marker left dangling after the full stop belongs to this sentence.
        if clean and not re.fullmatch(r"[\W_]*", clean):
            out.append((clean, cited))
        elif out and cited:
            out[-1][1].extend(cited)
    return out


def local_idf(sources: list[SourceSentence]) -> dict[str, float]:
    """IDF over the retrieved sentences: words shared by many of them (the topic) weigh little."""
    df: dict[str, int] = {}
    for s in sources:
        for t in s.tokens:
            df[t] = df.get(t, 0) + 1
    n = len(sources) or 1
    return {t: math.log(1 + n / d) for t, d in df.items()}


def weighted_coverage(query: set[str], tokens: set[str], idf: dict[str, float]) -> float:
    """Share of the query's weight (rare words weigh more) found in tokens."""
    default = max(idf.values(), default=1.0)  # a word no source has is as rare as it gets
    total = sum(idf.get(t, default) for t in query)
    return sum(idf.get(t, default) for t in query & tokens) / total if total else 0.0


def _overlaps(a: SourceSentence, b: SourceSentence) -> bool:
    return a.passage.source == b.passage.source and a.start < b.end and b.start < a.end


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUM.findall(text)}


def _negated(text: str) -> bool:
    return bool(_NEG_EN.search(text) or _NEG_ZH.search(text))


def support(cos: float, claim: str, claim_tokens: set[str], source: str, source_tokens: set[str]) -> float:
    """How well one source sentence supports one claim, in [0, 1]."""
    coverage = len(claim_tokens & source_tokens) / len(claim_tokens) if claim_tokens else 0.0
    score = COS_WEIGHT * max(0.0, cos) + (1 - COS_WEIGHT) * coverage
    if _numbers(claim) - _numbers(source):
        score *= 0.5  # a number the source does not state is the commonest hallucination
    if _negated(claim) != _negated(source):
        score *= 0.7
    return score


def score_matrix(claims: list[str], sources: list[SourceSentence], embedder) -> np.ndarray:
    if not claims or not sources:
        return np.zeros((len(claims), len(sources)))
    cos = embedder.relatedness(encode_cached(embedder, claims, query=True) @ encode_cached(embedder, [s.text for s in sources]).T)
    out = np.zeros_like(cos)
    for i, claim in enumerate(claims):
        ct = set(tokenize(claim))
        for j, src in enumerate(sources):
            out[i, j] = support(float(cos[i, j]), claim, ct, src.text, src.tokens)
    return out


def verify(draft: str, results: list[SearchResult], embedder, threshold: float, keep_fragments: bool = False
           ) -> list[Verdict]:
    """A verdict per answer sentence; identical sentences (repetition loops) are kept once, and
    fragments ("Zhang, Ma.") are left out unless `keep_fragments` (a text being checked)."""
    parts = []
    seen: set[str] = set()
    for sent, cited in split_answer(draft):
        key = re.sub(r"\W+", "", sent.lower())
        if key in seen or (len(tokenize(sent)) < 3 and not keep_fragments):
            continue
        seen.add(key)
        parts.append((sent, cited))
    singles = source_sentences(results)
    sources = singles + sentence_pairs(singles)
    scores = score_matrix([p[0] for p in parts], sources, embedder)
    n_single = len(singles)
    verdicts = []
    for i, (sent, cited) in enumerate(parts):
        row = scores[i].copy() if len(sources) else np.zeros(0)
        # A pair must beat the best single sentence clearly, or quotes grow for nothing.
        if n_single and len(row) > n_single:
            row[n_single:] -= PAIR_MARGIN
        order = list(np.argsort(-row)) if len(row) else []
        best = [sources[j] for j in order[:1] if row[j] >= threshold]
        if best and len(order) > 1:
            # A sentence that joins two source sentences cites both, when the second adds words.
            j2 = next((j for j in order[1:] if not _overlaps(sources[j], best[0])), order[1])
            claim_tokens = set(tokenize(sent))
            gain = len((claim_tokens & sources[j2].tokens) - best[0].tokens) / max(1, len(claim_tokens))
            if row[j2] >= threshold * 0.8 and gain >= 0.25 and not _overlaps(sources[j2], best[0]):
                best.append(sources[j2])
        verdicts.append(Verdict(sent, cited, float(row[order[0]]) if order else 0.0, best))
    return verdicts


def assemble(verdicts: list[Verdict], strict: bool, joiner: str = " ", max_sentences: int = 0
             ) -> tuple[str, list[Citation], list[str]]:
    """(answer text with [n] markers, citations, unsupported sentences)."""
    citations: list[Citation] = []
    index: dict[tuple[str, int, int], int] = {}
    pieces: list[str] = []
    unsupported: list[str] = []
    for v in verdicts:
        if not v.supported:
            unsupported.append(v.sentence)
            if strict:
                continue
            pieces.append(v.sentence)
            continue
        if max_sentences and len(pieces) >= max_sentences:
            break
        marks = []
        for src in v.sources:
            key = (src.passage.source, src.start, src.end)
            if key not in index:
                index[key] = len(citations) + 1
                citations.append(Citation(
                    n=index[key], source=src.passage.source, title=src.passage.title, quote=src.text,
                    start=src.start, end=src.end, passage_id=src.passage.id, score=round(v.support, 4),
                ))
            marks.append(f"[{index[key]}]")
        pieces.append(f"{v.sentence} {''.join(marks)}" if joiner == " " else f"{v.sentence}{''.join(marks)}")
    return joiner.join(pieces).strip(), citations, unsupported
