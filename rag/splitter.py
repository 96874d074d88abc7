"""Sentence-aware splitting of a document into located passages.

Sentences end at English `.!?` (followed by whitespace and a likely sentence start) and at
Chinese `。！？；`. Passages pack whole sentences up to `chunk_tokens` embedding-model tokens,
repeat the last `overlap_sentences` at the start of the next one, and never run across
boilerplate that the loader left out of the content spans. Every passage is an exact slice
`doc.text[start:end]`, so a quote taken from it can always be located in its source.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .types import Document, Passage

# An English sentence ends at . ! ? (plus closing quotes/brackets) before whitespace and a
# capital, digit, quote or CJK character; lowercase after a period is an abbreviation ("e.g. the").
_EN_END = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9\u4e00-\u9fff])""")
# Chinese ends need no following space; semicolons end clauses long enough to stand alone.
_ZH_END = re.compile(r"[。！？；!?][”’」』）)]*")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|etc|vs|Dr|Mr|Mrs|Ms|Prof|Fig|No|Vol|pp|St|Jr|Sr|Inc|Ltd|Co)|\b[A-Z])\.$")

TokenCounter = Callable[[Sequence[str]], list[int]]


def approx_tokens(texts: Sequence[str]) -> list[int]:
    """A tokenizer-free estimate (CJK char ~ 1 token, Latin word ~ 1.3): for tests and tools."""
    out = []
    for t in texts:
        cjk = len(re.findall(r"[\u3400-\u9fff\uf900-\ufaff]", t))
        words = len(re.findall(r"[A-Za-z0-9]+", t))
        out.append(cjk + int(words * 1.3) + 1)
    return out


PARAGRAPH_BREAK = r"\n[^\S\n]*\n"  # a blank line (spaces allowed, not newlines)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], trimmed of whitespace."""
    end = len(text) if end is None else end
    cuts = set()
    segment = text[start:end]
    for m in _EN_END.finditer(segment):
        if not _ABBREV.search(segment[max(0, m.start() - 8) : m.end()]):
            cuts.add(start + m.end())
    for m in _ZH_END.finditer(segment):
        cuts.add(start + m.end())
    # A blank line or an indented new line ends a sentence (headings, citation blocks, lists).
    for m in re.finditer(rf"{PARAGRAPH_BREAK}|\n(?=[ \t\u3000]+\S)|\n(?=\s*[•·\-*]\s)", segment):
        cuts.add(start + m.start())
    bounds = sorted(c for c in cuts if start < c < end) + [end]
    out = []
    prev = start
    for b in bounds:
        s, e = _trim(text, prev, b)
        if e > s:
            out.append((s, e))
        prev = b
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


@dataclass
class _Sentence:
    start: int
    end: int
    tokens: int
    hard_break_before: bool  # boilerplate lies between this sentence and the previous one


def _sentences(doc: Document, count: TokenCounter, max_tokens: int) -> Iterator[_Sentence]:
    """All sentences of the document's content spans, long ones cut to fit max_tokens."""
    prev_end = None
    for span_start, span_end in doc.spans:
        hard = prev_end is not None and doc.text[prev_end:span_start].strip() != ""
        prev_end = span_end
        raw = split_sentences(doc.text, span_start, span_end)
        for b in range(0, len(raw), 512):  # batches keep a 50 MB single-paragraph file in bounds
            batch = raw[b : b + 512]
            for (s, e), n in zip(batch, count([doc.text[s:e] for s, e in batch])):
                pieces = [(s, e, n)] if n <= max_tokens else _cut_long(doc.text, s, e, n, max_tokens)
                for ps, pe, pn in pieces:
                    yield _Sentence(ps, pe, pn, hard)
                    hard = False


def _cut_long(text: str, s: int, e: int, n: int, max_tokens: int) -> list[tuple[int, int, int]]:
    """Cut an over-long sentence into roughly equal pieces at whitespace (or anywhere for CJK)."""
    parts = -(-n // max_tokens) + 1  # one spare so a piece's estimate stays under the limit
    step = max(1, (e - s) // parts)
    out = []
    pos = s
    while pos < e:
        cut = min(e, pos + step)
        if cut < e:
            space = text.rfind(" ", pos + step // 2, cut)
            cut = space if space > pos else cut
        ps, pe = _trim(text, pos, cut)
        if pe > ps:
            out.append((ps, pe, max(1, n * (pe - ps) // max(1, e - s))))
        pos = cut
    return out


def split_document(
    doc: Document,
    count_tokens: TokenCounter = approx_tokens,
    chunk_tokens: int = 160,
    overlap_sentences: int = 1,
) -> Iterator[Passage]:
    """Pack a document's sentences into passages; yields them lazily (a 50 MB file streams)."""
    window: list[_Sentence] = []
    ordinal = 0
    # Same content at two paths must not share ids; a changed file must not reuse old ids.
    prefix = hashlib.sha1(f"{doc.source}\0{doc.content_hash}".encode()).hexdigest()[:16]

    def emit() -> Passage:
        nonlocal ordinal
        s, e = window[0].start, window[-1].end
        p = Passage(
            id=f"{prefix}-{ordinal:06d}",
            source=doc.source,
            title=doc.title,
            text=doc.text[s:e],
            start=s,
            end=e,
            lang=doc.lang,
            ordinal=ordinal,
        )
        ordinal += 1
        return p

    fresh = 0  # sentences in the window not already emitted in the previous passage
    for sent in _sentences(doc, count_tokens, chunk_tokens):
        size = sum(x.tokens for x in window)
        if window and (sent.hard_break_before or size + sent.tokens > chunk_tokens):
            if fresh:
                yield emit()
            keep = [] if sent.hard_break_before else window[-overlap_sentences:] if overlap_sentences else []
            # Overlap must leave room for new text, or passages would repeat forever.
            while keep and sum(x.tokens for x in keep) + sent.tokens > chunk_tokens // 2:
                keep = keep[1:]
            window = keep
            fresh = 0
        window.append(sent)
        fresh += 1
    if window and fresh:
        yield emit()
