"""Text matching: word units, the answer-text hit rule and the evidence overlap measures.

`answer_hit` is the one rule for "a passage contains a gold answer text" (both normalised by
`rag.text.normalise`: NFKC, whitespace, case): `rag bench-retrieval` scores with it, and the evaluation's
evidence measures start from it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from typing import Iterable, Sequence

from ..text import CJK, LATIN, normalise, split_sentences

_UNIT = re.compile(rf"[{CJK}]|[0-9{LATIN}]+")


def answer_hit(answers: Iterable[str], text: str) -> bool:
    """True when the text contains one of the gold answer texts, both normalised (`normalise`)."""
    norm = normalise(text)
    return any(normalise(a) in norm for a in answers)


def first_answer_hit(answers: Sequence[str], texts: Iterable[str]) -> int | None:
    """The 0-based position of the first text that contains a gold answer text (`answer_hit`), else None."""
    return next((i for i, text in enumerate(texts) if answer_hit(answers, text)), None)


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
    if answer_hit([evidence], text):
        return 1.0
    return longest_run(eu, units(text), idf) / _mass(eu, idf)


def evidence_hit(evidence: str, text: str, idf=None) -> bool:
    """A passage hits an evidence text when it contains it (`answer_hit`: whitespace/case
    normalised) or shares with it one contiguous run holding at least half its words (weighted
    by rarity when idf is given; at least 3 words, or all of a shorter evidence)."""
    if answer_hit([evidence], text):
        return True
    eu, tu = units(evidence), units(text)
    if not eu:
        return False
    if longest_run(eu, tu) < min(len(eu), 3):
        return False
    return longest_run(eu, tu, idf) >= 0.5 * _mass(eu, idf)


def first_evidence_hit(evidence: Sequence[str], texts: Iterable[str], idf=None) -> int | None:
    """The 0-based position of the first text that hits one of the evidence texts (`evidence_hit`), else None."""
    return next((i for i, text in enumerate(texts) if any(evidence_hit(e, text, idf) for e in evidence)), None)


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
    from ..verify import split_answer

    lines = answer.strip().split("\n")
    if len(lines) > 1 and not re.search(r"[\[【]\d", lines[0]) and lines[0].rstrip().endswith((":", "：")):
        answer = "\n".join(lines[1:])
    return [(s, c) for s, c in split_answer(answer) if units(s)]
