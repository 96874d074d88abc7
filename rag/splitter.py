"""Splitting a document into located passages of whole sentences.

Sentences come from `rag.text.split_sentences`. Passages pack whole sentences up to
`chunk_tokens` embedding-model tokens, repeat the last `overlap_sentences` at the start of the
next one, and never run across boilerplate that the loader left out of the content spans.
Every passage is an exact slice `doc.text[start:end]`, so a quote taken from it can always be
located in its source.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from .text import PARAGRAPH_BREAK, cjk_count, split_sentences, trim
from .types import Document, Passage

__all__ = ["PARAGRAPH_BREAK", "TokenCounter", "approx_tokens", "split_document", "split_sentences"]

TokenCounter = Callable[[Sequence[str]], list[int]]


def approx_tokens(texts: Sequence[str]) -> list[int]:
    """A tokenizer-free estimate (CJK char ~ 1 token, Latin word ~ 1.3): for tests and tools."""
    out = []
    for t in texts:
        words = len(re.findall(r"[A-Za-z0-9]+", t))
        out.append(cjk_count(t) + int(words * 1.3) + 1)
    return out


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
        ps, pe = trim(text, pos, cut)
        if pe > ps:
            out.append((ps, pe, max(1, n * (pe - ps) // max(1, e - s))))
        pos = cut
    return out


def split_document(
    doc: Document,
    count_tokens: TokenCounter = approx_tokens,
    chunk_tokens: int = 160,
    overlap_sentences: int = 1,
    signature: str = "",
) -> Iterator[Passage]:
    """Pack a document's sentences into passages; yields them lazily (a 50 MB file streams).
    `signature`: what else the split depends on (the store's: splitter version, tokenizer)."""
    window: list[_Sentence] = []
    ordinal = 0
    # An id names one text. Same content at two paths must not share ids; a changed file, or the
    # same file split another way, must not reuse old ids: an ingest upserts the new vectors
    # before it commits, and would overwrite those of passages that readers still see.
    salt = f"{doc.source}\0{doc.content_hash}\0{chunk_tokens}\0{overlap_sentences}\0{signature}"
    prefix = hashlib.sha1(salt.encode()).hexdigest()[:16]

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
