"""The small typed objects that flow between pipeline stages.

Every stage takes and returns these; none reaches into another stage's internals.
Offsets (`start`, `end`) are always character offsets into `Document.text`, which for
plain-text files is the decoded file itself, so `text[start:end]` is the exact quote.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Document:
    """One loaded source file."""

    source: str  # path of the file as ingested (absolute, POSIX style)
    text: str  # the full text offsets refer to (decoded file, or text extracted from HTML/PDF)
    spans: list[tuple[int, int]]  # content regions of `text`; boilerplate lies outside them
    title: str
    lang: str  # "en", "zh" (dominant script), or "mixed"
    content_hash: str  # sha256 of the raw file bytes
    author: str | None = None
    date: str | None = None
    encoding: str = "utf-8"

    @property
    def name(self) -> str:
        return self.source.rsplit("/", 1)[-1]


@dataclass
class Passage:
    """A retrievable piece of a document: `doc.text[start:end] == text`."""

    id: str
    source: str
    title: str
    text: str
    start: int
    end: int
    lang: str = "en"
    ordinal: int = 0  # position of the passage within its document
    # (short form, long form) of each abbreviation the passage uses that its document defines
    # ("EEs", "early endosomes"): the sentences using it state the long form's words.
    terms: tuple[tuple[str, str], ...] = ()
    # who wrote the document, from its byline or reference line ("Qiu Ping", "张夏恒"): a claim
    # in their voice ("Qiu Ping argues ...") names no one the sentences must name.
    authors: tuple[str, ...] = ()


@dataclass
class SearchResult:
    """A passage with the score the retriever gave it (higher is better)."""

    passage: Passage
    score: float
    dense_score: float | None = None
    bm25_score: float | None = None

    def to_json(self) -> dict[str, Any]:
        p = self.passage
        return {
            "text": p.text,
            "source": p.source,
            "title": p.title,
            "start": p.start,
            "end": p.end,
            "score": round(float(self.score), 6),
        }


@dataclass
class Citation:
    """A verbatim quote from a source that supports one or more answer sentences."""

    n: int  # the number used in the answer's [n] markers
    source: str
    title: str
    quote: str  # verbatim: source_text[start:end] == quote
    start: int
    end: int
    passage_id: str = ""
    score: float = 0.0  # how strongly the quote supports the sentence(s) citing it

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """A verified answer: text with [n] markers, the citations behind them, and what was dropped."""

    question: str
    answer: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    unsupported: list[str] = field(default_factory=list)
    backend: str = "extractive"
    backend_note: str = ""  # why this backend answered (e.g. "Ollama not reachable at ...")
    standalone_question: str = ""  # the question after condensing with chat history
    lang: str = "en"
    passages: list[SearchResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    refusal_reason: str = ""  # retrieval | not_covered | model | unsupported | not_stated, when refused
    relevance: float = 0.0  # how well the best retrieved sentence matched the question (the gate's measure)
    extractive_fallback: bool = False  # the model's draft was not borne out, so the sources were quoted

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "refusal_reason": self.refusal_reason,
            "relevance": round(self.relevance, 4),
            "extractive_fallback": self.extractive_fallback,
            "citations": [c.to_json() for c in self.citations],
            "unsupported": list(self.unsupported),
            "backend": self.backend,
            "backend_note": self.backend_note,
            "standalone_question": self.standalone_question,
            "lang": self.lang,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


@dataclass
class CheckedSentence:
    """One sentence of a checked text: supported or not, with the quotes that support it; when
    it is not, why (`reason`) and the closest source sentences it was judged against (`closest`)."""

    text: str
    supported: bool
    score: float
    citations: list[Citation] = field(default_factory=list)
    reason: str | None = None  # e.g. "the source does not state 2.5"; None when supported
    closest: list[Citation] = field(default_factory=list)  # empty when supported

    def to_json(self) -> dict[str, Any]:
        def quotes(cs: list[Citation]) -> list[dict[str, Any]]:
            return [{k: getattr(c, k) for k in ("source", "title", "quote", "start", "end")} for c in cs]

        return {
            "text": self.text,
            "supported": self.supported,
            "score": round(float(self.score), 4),
            "citations": quotes(self.citations),
            "reason": self.reason,
            "closest": quotes(self.closest),
        }


@dataclass
class Check:
    """A text checked sentence by sentence against the collection (`RAG.check`)."""

    text: str
    sentences: list[CheckedSentence] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return bool(self.sentences) and all(s.supported for s in self.sentences)

    def to_json(self) -> dict[str, Any]:
        return {"sentences": [s.to_json() for s in self.sentences]}
