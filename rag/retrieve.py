"""Hybrid retrieval: dense (Chroma) and BM25 candidates fused, near-duplicates removed.

Fusion is `weighted` by default (min-max normalised scores, weighted sum); `rrf` (reciprocal
rank fusion) is the alternative. Both were measured with `rag bench-retrieval` (README).
Near-duplicate passages (the same abstract in two files, re-wrapped) are collapsed so the same
sentence is not returned twice.

When the collection holds documents in the other language (Chinese and English), a question
is also searched in a dictionary translation of its words (and in an LLM translation where
the answerer has a model), and the rankings are fused: a Chinese question reaches English
passages through `rag search` as well as through `rag ask`.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from .embeddings import encode_cached
from .bilingual import expand_groups, pinyin_index, pinyin_name_groups, zh_name_spellings
from .errors import QueryError
from .lexical import tokenize
from .settings import Settings
from .store import Store
from .text import CJK, detect_lang, normalise
from .types import SearchResult

MODES = ("fused", "dense", "bm25")
MAX_CANDIDATES = 2000  # deepest a search looks for k distinct passages


@dataclass
class Candidates:
    dense: list[tuple[str, float]]
    bm25: list[tuple[str, float]]
    timings: dict[str, float]


@dataclass
class QueryForms:
    """The texts a question is searched with: its own forms first (the question; a follow-up's
    standalone rewrite and own words), then its other-language forms."""
    queries: list[str]
    originals: int = 1
    groups: list[set[str]] = field(default_factory=list)  # dictionary translations, one set per word
    expansion_at: int = -1  # index of the dictionary expansion in `queries`


def shingles(text: str, n: int = 3) -> set[str]:
    """Word n-grams for Latin text, character n-grams for CJK; case, spacing and Unicode
    width ignored (`normalise`)."""
    units = re.findall(rf"[{CJK}]|[a-z0-9]+", normalise(text))
    if len(units) < n:
        return {" ".join(units)} if units else set()
    return {" ".join(units[i : i + n]) for i in range(len(units) - n + 1)}


def containment(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class Retriever:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self._languages: tuple[int, set[str]] = (-1, set())
        self._pinyin: tuple[int, dict[str, list[str]]] = (-1, {})

    # ------------------------------------------------------------ other-language forms
    def languages(self) -> set[str]:
        """Languages of the indexed documents (en, zh, mixed), re-read only after an ingest."""
        gen = self.store.generation()
        if self._languages[0] != gen:
            self._languages = (gen, {f.lang for f in self.store.files()})
        return self._languages[1]

    def pinyin_names(self) -> dict[str, list[str]]:
        """The collection's Chinese words by their pinyin spelling (see `pinyin_index`), rebuilt
        only after an ingest."""
        gen = self.store.generation()
        if self._pinyin[0] != gen:
            model = self.store.bm25().model
            self._pinyin = (gen, pinyin_index(model.vocab_dict) if model is not None else {})
        return self._pinyin[1]

    def other_language(self, lang: str) -> str | None:
        """The language a question in `lang` should also be searched in, if any document has it."""
        langs = self.languages()
        if lang == "zh" and langs & {"en", "mixed"}:
            return "en"
        if lang == "en" and "zh" in langs:
            return "zh"
        return None

    def forms(self, query: str, own: list[str] | tuple[str, ...] = (), translation: str = "") -> QueryForms:
        """The query, its `own` further forms, then a dictionary expansion and `translation` into
        the other language when the collection has documents in it."""
        queries = [query, *own]
        forms = QueryForms(queries, originals=len(queries))
        other = self.other_language(detect_lang(query))
        if not other:
            return forms
        raw_groups = []
        if self.settings.query_expansion:
            raw_groups = expand_groups(query, other, self.settings.cache_dir)
            raw_groups += (pinyin_name_groups(query, self.pinyin_names()) if other == "zh"
                           else zh_name_spellings(query, self.settings.cache_dir))
        forms.groups = [g for g in (set(tokenize(" ".join(group))) for group in raw_groups) if g]
        if raw_groups:
            forms.expansion_at = len(queries)
            # Figures are the same in both languages: they join the other-language form.
            figures = [m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", query) if len(m) >= 2]
            queries.append(" ".join(dict.fromkeys([w for group in raw_groups for w in group] + figures)))
        if translation and translation not in queries:
            queries.append(translation)
        return forms

    def search_forms(self, forms: QueryForms, k: int | None = None) -> list[SearchResult]:
        """Each form searched, the rankings fused by their best reciprocal rank: the rankings
        interleave, so the question's own best passage stays first and the best one in the other
        language comes right after it. The question's own forms weigh 1 each; its other-language
        forms share a weight of 1. Summing the votes instead let a middling passage found by two
        forms outrank the best one of either: on eval/seeds_questions.jsonl evidence hit@5 of
        `rag search` is 0.909 with the best vote against 0.750 with the sum, answers unchanged."""
        k = k or self.settings.top_k
        queries = forms.queries
        if len(queries) == 1:
            return self.search_timed(queries[0], k)[0]
        fused: dict[str, tuple[float, SearchResult]] = {}
        for i, q in enumerate(queries):
            weight = 1.0 if i < forms.originals else 1.0 / (len(queries) - forms.originals)
            for rank, r in enumerate(self.search_timed(q, k)[0]):
                score, first = fused.get(r.passage.id, (0.0, r))
                fused[r.passage.id] = (max(score, weight / (self.settings.rrf_k + rank + 1)), first)
        ranked = sorted(fused.values(), key=lambda x: -x[0])
        return [SearchResult(r.passage, s, r.dense_score, r.bm25_score) for s, r in ranked[:k]]

    def check_query(self, query: str) -> str:
        query = (query or "").strip()
        if not query:
            raise QueryError("The question is empty: type a question about the documents.")
        limit = self.settings.max_question_chars
        if len(query) > limit:
            raise QueryError(
                f"The question is {len(query)} characters long; the limit is {limit} (RAG_MAX_QUESTION_CHARS)."
            )
        return query

    def candidates(self, query: str, n: int, modes=("dense", "bm25")) -> Candidates:
        timings: dict[str, float] = {}
        dense: list[tuple[str, float]] = []
        bm25: list[tuple[str, float]] = []
        if "dense" in modes:
            self.store.check_embedder_once()  # before loading a model whose vectors would not fit
            t = time.perf_counter()
            vec = encode_cached(self.store.embedder, [query], query=True)[0]
            timings["embed"] = time.perf_counter() - t
            t = time.perf_counter()
            dense = self.store.dense_search(vec, n)
            timings["dense"] = time.perf_counter() - t
        if "bm25" in modes:
            t = time.perf_counter()
            bm25 = self.store.bm25().search(query, n)
            timings["bm25"] = time.perf_counter() - t
        return Candidates(dense, bm25, timings)

    def fuse(self, cands: Candidates, query: str = "") -> list[tuple[str, float]]:
        s = self.settings
        scores: dict[str, float] = {}
        dense_weight = s.dense_weight
        if s.fusion == "weighted":
            for weight, ranked in ((dense_weight, cands.dense), (s.bm25_weight, cands.bm25)):
                if not ranked:
                    continue
                hi, lo = ranked[0][1], ranked[-1][1]
                for pid, sc in ranked:
                    scores[pid] = scores.get(pid, 0.0) + weight * ((sc - lo) / (hi - lo) if hi > lo else 1.0)
        else:
            for weight, ranked in ((dense_weight, cands.dense), (s.bm25_weight, cands.bm25)):
                for rank, (pid, _) in enumerate(ranked):
                    scores[pid] = scores.get(pid, 0.0) + weight / (s.rrf_k + rank + 1)
        return sorted(scores.items(), key=lambda kv: -kv[1])

    def search(self, query: str, k: int | None = None, mode: str = "fused", expand: bool = True
               ) -> list[SearchResult]:
        """The k best passages for a query, best first. mode: fused | dense | bm25. Fused search
        also searches the query's other-language forms (see `forms`) unless `expand` is False."""
        if mode == "fused" and expand:
            return self.search_forms(self.forms(self.check_query(query)), k)
        return self.search_timed(query, k, mode)[0]

    def search_timed(self, query: str, k: int | None = None, mode: str = "fused"):
        query = self.check_query(query)
        k = k or self.settings.top_k
        if mode not in MODES:
            raise QueryError(f"Unknown retrieval mode {mode!r}; use one of {', '.join(MODES)}.")
        modes = ("dense", "bm25") if mode == "fused" else (mode,)
        n = max(self.settings.candidates, 2 * k)
        while True:
            cands = self.candidates(query, n, modes)
            results = self._distinct(cands, query, mode, k)
            # Near-duplicates (copies of one text under many names) can fill the candidate
            # lists: look deeper until k distinct passages are found or none are left.
            exhausted = all(len(getattr(cands, m)) < n for m in modes)
            if len(results) >= k or exhausted or n >= MAX_CANDIDATES:
                return results, cands.timings
            n *= 4

    def _distinct(self, cands: Candidates, query: str, mode: str, k: int) -> list[SearchResult]:
        """The k best passages of the candidates, fused or of one mode, near-duplicates removed."""
        ranked = self.fuse(cands, query) if mode == "fused" else (cands.dense if mode == "dense" else cands.bm25)
        t = time.perf_counter()
        dense_of = dict(cands.dense)
        bm25_of = dict(cands.bm25)
        # Only passages the catalogue knows count: vectors of a killed ingest are invisible.
        found = self.store.passages(pid for pid, _ in ranked)
        results: list[SearchResult] = []
        kept: list[set[str]] = []
        for pid, score in ranked:
            p = found.get(pid)
            if p is None:
                continue
            sh = shingles(p.text)
            if any(containment(sh, other) >= self.settings.dedupe_threshold for other in kept):
                continue
            kept.append(sh)
            results.append(SearchResult(p, score, dense_of.get(pid), bm25_of.get(pid)))
            if len(results) >= k:
                break
        cands.timings["fuse"] = time.perf_counter() - t
        return results
