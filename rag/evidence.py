"""Evidence: what one question's sources say, gathered once between retrieval and answering.

Every stage after retrieval reads the same sentences of the context passages: the relevance
gate, the choice of sentences sent to a model, the extractive answer, the verifier, and the
checks on the answer's quotes. `gather` builds them once per question: the question's forms
(queries, dictionary groups, where the expansion sits), the results, the context passages'
source sentences and the rarity of their words; their vectors and the per-sentence relevance
are worked out when first asked for and kept. `from_results` is the light kind, sentences
without a question, for `verify()` of a text being checked (`rag check`).

The primitives are here too: a source sentence (a verbatim slice with offsets into its
document), the sentences of passages, adjacent pairs as one quote, rarity-weighted coverage.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from . import claims as C
from .abbreviations import used_in
from .asks import DATE, PERSON, PUBLICATION, asked_kind
from .embeddings import encode_cached
from .lexical import tokenize
from .text import PARAGRAPH_BREAK, detect_lang, is_bibliographic, split_sentences
from .types import Passage, SearchResult

if TYPE_CHECKING:
    from .retrieve import QueryForms

_PARAGRAPH_BREAK = re.compile(PARAGRAPH_BREAK)
MIN_EXPANSION_HITS = 2  # question words whose translation a sentence must hold for the gate to count them
MIN_EXPANSION_RELATEDNESS = 0.33  # ... and the embedder's relatedness it must reach (off-topic median 0.29-0.33)
BIBLIOGRAPHIC_KINDS = (PUBLICATION, PERSON, DATE)  # what a reference line can answer: journal, authors, year
BIBLIOGRAPHIC_FACTOR = 0.6  # relevance factor of a reference line for other questions (as for a non-sentence)


@dataclass
class SourceSentence:
    passage: Passage
    rank: int  # position of the passage in the retrieved list (0 = best)
    start: int  # offsets into the source document
    end: int
    text: str
    tokens: frozenset[str] | set[str] = field(default_factory=frozenset)

    # What the claim checks read of a source sentence, worked out once per sentence.
    @cached_property
    def lang(self) -> str:
        return detect_lang(self.text)

    @cached_property
    def pinyin(self) -> str:
        return C.pinyin(self.text)

    @cached_property
    def letters(self) -> str:
        return C.letters(self.text)


def span_text(a: SourceSentence, b: SourceSentence) -> str:
    """The verbatim text from the start of `a` to the end of `b`, two sentences of one passage."""
    p = a.passage
    return p.text[a.start - p.start : b.end - p.start]


# A piece the splitter cut after an abbreviation or a list number ("accession no.", "(1.", "et al.")
# is no sentence: it is joined to the piece after it.
_CUT_AFTER = re.compile(r"(?:\b(?:no|nos|vs|e\.g|i\.e|et al|fig|figs|dr|mr|mrs|ms|st|approx|ref|refs|vol|pp|cf|ca)\."
                        r"|^\W*\(?\d{1,2}[.)])\s*$", re.I)


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of a passage, as (start, end) offsets: worked out once per passage text
    (`rag check` meets the same passages sentence after sentence)."""
    spans = list(split_sentences(text))
    out: list[list[int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            prev = text[ps:pe]
            gap = text[pe:s]
            if not _PARAGRAPH_BREAK.search(prev + gap) and (_CUT_AFTER.search(prev) or len(tokenize(prev)) < 2):
                out[-1][1] = e
                continue
        out.append([s, e])
    return tuple((s, e) for s, e in out)


@lru_cache(maxsize=16384)
def _tokens(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def source_sentences(results: list[SearchResult]) -> list[SourceSentence]:
    out = []
    seen = set()
    for rank, r in enumerate(results):
        p = r.passage
        for s, e in _pieces(p.text):
            key = (p.source, p.start + s)
            if key in seen:  # overlapping passages repeat a sentence
                continue
            seen.add(key)
            text = p.text[s:e]
            out.append(SourceSentence(p, rank, p.start + s, p.start + e, text, tokens_with_terms(text, p.terms)))
    return out


def tokens_with_terms(text: str, terms: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """The sentence's words, and the long form's words of each abbreviation it uses ("most EEs
    were much smaller than ELs" states "early endosomes" and "endolysosomes")."""
    tokens = _tokens(text)
    used = [long for short, long in used_in(text, dict(terms))] if terms else []
    return tokens.union(*(_tokens(long) for long in used)) if used else tokens


def local_idf(sources: list[SourceSentence]) -> dict[str, float]:
    """IDF over the retrieved sentences: words shared by many of them (the topic) weigh little."""
    df: dict[str, int] = {}
    for s in sources:
        # A sentence's own words: the long forms of its abbreviations count where they are
        # written out, or "chest X-ray", named by every "CXRAY", would weigh as little as the topic.
        for t in _tokens(s.text):
            df[t] = df.get(t, 0) + 1
    n = len(sources) or 1
    return {t: math.log(1 + n / d) for t, d in df.items()}


def weighted_coverage(query: set[str], tokens: set[str], idf: dict[str, float]) -> float:
    """Share of the query's weight (rare words weigh more) found in tokens."""
    default = max(idf.values(), default=1.0)  # a word no source has is as rare as it gets
    total = sum(idf.get(t, default) for t in query)
    return sum(idf.get(t, default) for t in query & tokens) / total if total else 0.0


# ---------------------------------------------------------------------------- one question's evidence
@dataclass(eq=False)  # one question's: compared by identity
class Evidence:
    """The sources of one question as every stage after retrieval reads them."""

    results: list[SearchResult]  # retrieved, best first
    passages: list[SearchResult]  # the context: the first `context_passages` results
    sentences: list[SourceSentence]  # of the context passages, passage by passage in reading order
    embedder: Any
    question: str = ""  # as asked
    standalone: str = ""  # what is searched and answered (a follow-up rewritten to stand alone)
    queries: list[str] = field(default_factory=list)  # the question's forms (`QueryForms.queries`)
    groups: list[set[str]] = field(default_factory=list)  # dictionary translations, one set per question word
    expansion_at: int = -1  # index of the dictionary expansion in `queries`
    idf: dict[str, float] = field(init=False)  # rarity of words among `sentences`
    _vectors: dict[bool, dict[str, np.ndarray]] = field(init=False, repr=False)
    _relevance: dict[tuple[bool, bool], np.ndarray] = field(init=False, repr=False)

    def __post_init__(self):
        self.idf = local_idf(self.sentences)
        self._vectors = {False: {}, True: {}}
        self._relevance = {}

    def vectors(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        """The embedder's vectors of `texts` (as search queries or as passages), each text
        encoded once for this evidence, the missing ones in one batch."""
        known = self._vectors[query]
        misses = [t for t in dict.fromkeys(texts) if t not in known]
        if misses:
            # Still through the embedder's cache, which lasts across questions: the retriever
            # has just embedded the question's forms, `rag check` retrieves the same passages
            # for neighbouring sentences, and the next question about the same documents meets
            # many of these sentences again.
            for t, v in zip(misses, encode_cached(self.embedder, misses, query=query)):
                known[t] = v
        if not texts:
            return np.zeros((0, getattr(self.embedder, "dim", 0)), dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def relevance(self, sentences: Sequence[SourceSentence] | None = None, ranking: bool = False,
                  windows: bool = False) -> np.ndarray:
        """Per source sentence: the best match over the question's own forms (the question, a
        follow-up's rewrite and words, a model's translation). A sentence in the question's
        language blends the embedder's relatedness with rare-word coverage; across languages
        coverage means nothing and relatedness (one space for both) decides alone.

        The dictionary expansion counts the question words of which a translation is present,
        which singles out the sentence in the other language. For the gate (not `ranking`) it
        counts only when several words match a sentence the embedder also relates to the question:
        generic words matched off-topic sentences
        (on the tuning questions they lifted off-topic relevance from p90 0.38 to 0.51).

        Of the context's sentences (`sentences` None) the measure is worked out once and kept
        (read-only). Of other sentences (an answer's quotes, a quote of two sentences among
        them) word rarity is that among the sentences given, and vectors are looked up by text;
        `windows` is for the context's sentences only."""
        if sentences is None:
            key = (ranking, windows)
            if key not in self._relevance:
                measured = self._measure(self.sentences, self.idf, ranking, windows)
                measured.flags.writeable = False
                self._relevance[key] = measured
            return self._relevance[key]
        if windows:
            raise ValueError("windows are measured over the context's sentences only")
        sentences = list(sentences)
        return self._measure(sentences, local_idf(sentences), ranking, False)

    def best_relevance(self) -> float:
        """How well the best context sentence matches the question: the relevance gate's measure."""
        return float(self.relevance().max()) if self.sentences else 0.0

    def _measure(self, sents: list[SourceSentence], idf: dict[str, float], ranking: bool, windows: bool
                 ) -> np.ndarray:
        if not self.queries:  # evidence without a question (`from_results`)
            return np.zeros(len(sents))
        texts = [s.text for s in sents]
        if windows:
            # "It is a key measure to avoid overcapacity" matches through the sentence before it.
            # The window is the verbatim slice the verifier quotes as a pair (one vector serves
            # both), though a window may also span a blank line, where the verifier pairs nothing.
            texts += [span_text(sents[j - 1], s) if j and sents[j - 1].passage.id == s.passage.id else s.text
                      for j, s in enumerate(sents)]
        ns = len(sents)
        qvecs = self.vectors(self.queries, query=True)
        svecs = self.vectors(texts)
        cos = qvecs @ svecs[:ns].T
        if windows:
            cos = np.maximum(cos, qvecs @ svecs[ns:].T)
        cos = self.embedder.relatedness(cos)
        focus = set(tokenize(self.question)) if self.standalone != self.question else set()
        sentence_langs = [s.lang for s in sents]
        rows = []
        for i, q in enumerate(self.queries):
            if i == self.expansion_at and self.groups:
                hits = np.array([sum(1 for g in self.groups if g & s.tokens) for s in sents])
                cover = hits / len(self.groups)
                if not ranking:  # one generic word in common is no evidence of being on topic
                    cover = np.where((hits >= MIN_EXPANSION_HITS) & (cos[i] >= MIN_EXPANSION_RELATEDNESS), cover, 0.0)
                rows.append(0.5 * cos[i] + 0.5 * cover)
                continue
            q_lang = detect_lang(q)
            same = np.array([lang == q_lang for lang in sentence_langs])
            qt = set(tokenize(q))
            cover = np.array([weighted_coverage(qt, s.tokens, idf) for s in sents])
            if focus:  # after a follow-up ("那人才方面呢？"), its own words say what is asked now
                cover = 0.3 * cover + 0.7 * np.array([weighted_coverage(focus, s.tokens, idf) for s in sents])
            rows.append(np.where(same, 0.5 * cos[i] + 0.5 * cover, cos[i]))
        best = np.max(np.array(rows), axis=0)
        if asked_kind(self.standalone) not in BIBLIOGRAPHIC_KINDS:
            # A DOI, a citation or a journal line is near many questions in the embedding space
            # (short, names and numbers) and answers only where and by whom a paper appeared.
            best = best * np.array([BIBLIOGRAPHIC_FACTOR if is_bibliographic(s.text) else 1.0 for s in sents])
        return best


def gather(forms: QueryForms, results: list[SearchResult], embedder, context_passages: int,
           question: str = "") -> Evidence:
    """The evidence of one question: `forms` as `Retriever.forms` made them (the standalone
    question first), the `results` of searching them, the first `context_passages` of which are
    the context. `question`: as asked, when a follow-up was rewritten (its own words then say
    what is asked now)."""
    passages = results[:context_passages]
    standalone = forms.queries[0]
    return Evidence(results, passages, source_sentences(passages), embedder, question or standalone, standalone,
                    list(forms.queries), list(forms.groups), forms.expansion_at)


def from_results(results: list[SearchResult], embedder) -> Evidence:
    """Evidence without a question: the sentences of all `results` (a text being checked)."""
    return Evidence(results, list(results), source_sentences(results), embedder)
