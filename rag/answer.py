"""From a question to a verified Answer: condense, (translate), retrieve, gate, generate, verify.

The relevance gate and the verifier are what make a small local model safe: when nothing
relevant is retrieved, or no sentence of the draft is supported by a source sentence, the
answer is a refusal, never an unsupported claim.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from .embeddings import encode_cached
from .asks import DATE, PERSON, PUBLICATION, asked_kind, holds
from .errors import BackendError
from .lexical import tokenize
from .llms import Backend, resolve_backend
from .prompts import load_prompt
from .retrieve import Retriever
from .settings import Settings
from .store import Store
from .text import detect_lang, is_bibliographic, one_line, split_sentences
from .types import Answer, Citation, SearchResult
from .verify import (SourceSentence, Verdict, assemble, llm_verdict, local_idf, source_sentences, span_text, split_answer,
                     strip_marks, verify, weighted_coverage)

REFUSAL_TOKEN = "NOT_IN_DOCUMENTS"
MAX_SENTENCES = 4  # answers are short; a small model that copies whole passages is cut here
LANG_NAMES = {"en": "English", "zh": "Chinese (简体中文)"}
_FOLLOW_UP = re.compile(
    r"^(?:and|but|so|why|how|what about|is that|are they|does it)\b|\b(?:that|this|it|they|them|those|these|he|she)\b"
    r"|那|这|它|他们|其|呢[？?]?$|为什么[？?]?$",
    re.I,
)


@dataclass
class Context:
    question: str
    standalone: str
    lang: str
    queries: list[str]
    results: list[SearchResult]
    relevance: float
    backend: Backend
    timings: dict[str, float] = field(default_factory=dict)
    groups: list[set[str]] = field(default_factory=list)  # dictionary translations, one set per question word
    expansion_at: int = -1  # index of the dictionary expansion in `queries`


class Answerer:
    def __init__(self, store: Store, retriever: Retriever, settings: Settings, custom: Backend | None = None):
        self.store = store
        self.retriever = retriever
        self.settings = settings
        self.custom = custom  # a llama-index LLM given to RAG(llm=...): used unless a backend is named

    @property
    def embedder(self):
        return self.store.embedder

    # ------------------------------------------------------------ public
    def ask(self, question: str, history=None, backend: str | None = None, k: int | None = None) -> Answer:
        answer = None
        for item in self.stream(question, history, backend, k):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(self, question: str, history=None, backend: str | None = None, k: int | None = None
               ) -> Iterator[str | Answer]:
        t0 = time.perf_counter()
        question = self.retriever.check_query(question)
        chosen = self.custom if self.custom and not backend else resolve_backend(self.settings, backend)
        ctx = self._prepare(question, history or [], chosen, k)
        ctx.timings["prepare"] = time.perf_counter() - t0
        if ctx.relevance < self.settings.relevance_threshold:
            yield self._refusal(ctx, t0, reason="retrieval")
            return
        draft = ""
        t_gen = time.perf_counter()
        source_lang = self._source_lang(ctx.results)
        if chosen.llm is None:
            draft = self._extractive(ctx)
            ctx.timings["first_token"] = time.perf_counter() - t0
            yield draft
        else:
            for delta in self._generate(ctx, source_lang):
                if "first_token" not in ctx.timings:
                    ctx.timings["first_token"] = time.perf_counter() - t0
                draft += delta
                yield delta
        ctx.timings["generate"] = time.perf_counter() - t_gen
        if REFUSAL_TOKEN in draft.upper().replace(" ", "_") and not _has_content_beyond_refusal(draft):
            yield self._refusal(ctx, t0, reason="model")
            return
        t_ver = time.perf_counter()
        text, citations, unsupported = self._verified(ctx, draft, source_lang, self.settings.strict)
        ctx.timings["verify"] = time.perf_counter() - t_ver
        note = chosen.note or chosen.label
        fallback = False
        missed = bool(citations) and self._misses_the_point(ctx, citations)
        if (not citations or missed) and chosen.llm is not None and self.settings.extractive_fallback:
            # The model wrote nothing the sources bear out, or only what stands beside the answer,
            # yet the sources were relevant enough to pass the gate: quote them directly rather
            # than refuse. Same checks, so still grounded.
            quoted, quotes, _ = self._verified(ctx, self._extractive(ctx), source_lang, strict=True)
            if quotes:
                text, citations, fallback = quoted, quotes, True
                why = "missed the sentence that answers" if missed else "was not borne out by the sources"
                note = f"{note}; the model's draft {why}, so the answer quotes them directly"
        if not citations:
            yield self._refusal(ctx, t0, reason="unsupported", unsupported=unsupported)
            return
        kind = asked_kind(ctx.standalone)
        if not holds(kind, " ".join(c.quote for c in citations), ctx.standalone):
            # "What is the population of Jiangsu?" answered by quotes about Jiangsu that give no
            # figure is not an answer: say what is missing, and where the subject is covered.
            yield self._refusal(ctx, t0, reason="not_stated", unsupported=unsupported, missing=kind)
            return
        if detect_lang(strip_marks(text)) != ctx.lang:  # judged on what was written, not planned
            text = self._to_question_lang(ctx, text, chosen)
        ctx.timings["total"] = time.perf_counter() - t0
        yield Answer(
            question=question, answer=text, citations=citations, refused=False, unsupported=unsupported,
            backend=chosen.name, backend_note=note, standalone_question=ctx.standalone,
            lang=ctx.lang, passages=ctx.results, timings=ctx.timings, relevance=ctx.relevance,
            extractive_fallback=fallback,
        )

    # ------------------------------------------------------------ stages
    def _prepare(self, question: str, history, backend: Backend, k: int | None) -> Context:
        t = time.perf_counter()
        lang = detect_lang(question)
        standalone = self._condense(question, history, backend)
        # A follow-up's own words still retrieve what it asks about now.
        own = [] if standalone == question else [question]
        # "I read your paper on X. What does it say about Y?": the question sentence alone is
        # a form too, so a preamble (context, or an injected instruction) cannot hide it.
        asked = question_sentence(standalone)
        if asked and asked not in own:
            own.append(asked)
        other = self.retriever.other_language(detect_lang(standalone))
        # The dictionary expansion works with every backend; a model adds its translation.
        translated = self._translate_query(standalone, other, backend) if other and backend.llm is not None else ""
        forms = self.retriever.forms(standalone, own, translated)
        timings = {"condense_translate": time.perf_counter() - t}
        t = time.perf_counter()
        results = self.retriever.search_forms(forms, k or self.settings.top_k)
        timings["retrieve"] = time.perf_counter() - t
        ctx = Context(question, standalone, lang, forms.queries, results, 0.0, backend, timings,
                      forms.groups, forms.expansion_at)
        ctx.relevance = self._relevance(ctx)
        return ctx

    def _condense(self, question: str, history, backend: Backend) -> str:
        if not history:
            return question
        last_q = str(history[-1][0])
        short = len(tokenize(question)) <= 4 or len(question) <= 12
        if not (short or _FOLLOW_UP.search(question)):
            return question
        if backend.llm is not None and backend.rewrites:  # else concatenation is safer
            turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in history[-3:])
            try:
                out = backend.complete([("user", load_prompt("condense").format(history=turns, question=question))],
                                       max_tokens=80).strip().splitlines()
                if out and out[0].strip():
                    return out[0].strip().strip('"')
            except BackendError:
                pass
        return f"{last_q} {question}"

    def _translate_query(self, text: str, lang: str, backend: Backend) -> str:
        prompt = load_prompt("translate_query").format(language=LANG_NAMES[lang], text=text)
        try:
            out = backend.complete([("user", prompt)], max_tokens=96).strip()
        except BackendError:
            return ""
        line = out.splitlines()[0].strip().strip('"“”') if out else ""
        return line if line and line != text else ""

    def _relevance(self, ctx: Context) -> float:
        """How well the best retrieved sentence matches the question (cosine or word coverage)."""
        sents = source_sentences(ctx.results[: self.settings.context_passages])
        if not sents:
            return 0.0
        return float(self._sentence_relevance(ctx, sents).max())

    def _sentence_relevance(self, ctx: Context, sents: list[SourceSentence], with_windows: bool = False,
                            ranking: bool = False) -> np.ndarray:
        """Per source sentence: the best match over the question's own forms (the question, a
        follow-up's rewrite and words, a model's translation). A sentence in the question's
        language blends the embedder's relatedness with rare-word coverage; across languages
        coverage means nothing and relatedness (one space for both) decides alone.

        The dictionary expansion counts the question words of which a translation is present,
        which singles out the sentence in the other language. For the gate (not `ranking`) it
        counts only when several words match a sentence the embedder also relates to the question:
        generic words matched off-topic sentences
        (on the tuning questions they lifted off-topic relevance from p90 0.38 to 0.51)."""
        texts = [s.text for s in sents]
        if with_windows:
            # "It is a key measure to avoid overcapacity" matches through the sentence before it.
            # The window is the verbatim slice the verifier quotes as a pair (one vector serves
            # both), though a window may also span a blank line, where the verifier pairs nothing.
            texts += [span_text(sents[j - 1], s) if j and sents[j - 1].passage.id == s.passage.id else s.text
                      for j, s in enumerate(sents)]
        ns = len(sents)
        qvecs = encode_cached(self.embedder, ctx.queries, query=True)
        svecs = encode_cached(self.embedder, texts)
        cos = qvecs @ svecs[:ns].T
        if with_windows:
            cos = np.maximum(cos, qvecs @ svecs[ns:].T)
        cos = self.embedder.relatedness(cos)
        idf = local_idf(sents)
        focus = set(tokenize(ctx.question)) if ctx.standalone != ctx.question else set()
        sentence_langs = [detect_lang(s.text) for s in sents]
        rows = []
        for i, q in enumerate(ctx.queries):
            if i == ctx.expansion_at and ctx.groups:
                hits = np.array([sum(1 for g in ctx.groups if g & s.tokens) for s in sents])
                cover = hits / len(ctx.groups)
                if not ranking:  # one generic word in common is no evidence of being on topic
                    cover = np.where((hits >= MIN_EXPANSION_HITS) & (cos[i] >= MIN_EXPANSION_RELATEDNESS), cover, 0.0)
                rows.append(0.5 * cos[i] + 0.5 * cover)
                continue
            same = np.array([lang == detect_lang(q) for lang in sentence_langs])
            qt = set(tokenize(q))
            cover = np.array([weighted_coverage(qt, s.tokens, idf) for s in sents])
            if focus:  # after a follow-up ("那人才方面呢？"), its own words say what is asked now
                cover = 0.3 * cover + 0.7 * np.array([weighted_coverage(focus, s.tokens, idf) for s in sents])
            rows.append(np.where(same, 0.5 * cos[i] + 0.5 * cover, cos[i]))
        best = np.max(np.array(rows), axis=0)
        if asked_kind(ctx.standalone) not in BIBLIOGRAPHIC_KINDS:
            # A DOI, a citation or a journal line is near many questions in the embedding space
            # (short, names and numbers) and answers only where and by whom a paper appeared.
            best = best * np.array([BIBLIOGRAPHIC_FACTOR if is_bibliographic(s.text) else 1.0 for s in sents])
        return best

    def _verified(self, ctx: Context, draft: str, source_lang: str, strict: bool
                  ) -> tuple[str, list[Citation], list[str]]:
        """The draft's sentences checked against the sources and the question: (answer text with
        [n] markers, citations, unsupported sentences)."""
        verdicts = verify(draft, ctx.results[: self.settings.context_passages], self.embedder,
                          self.settings.support_threshold, judge=claim_judge(self.settings, ctx.backend))
        return assemble(self._on_the_question(ctx, verdicts), strict, joiner="" if source_lang == "zh" else " ",
                        max_sentences=MAX_SENTENCES)

    def _misses_the_point(self, ctx: Context, citations: list[Citation]) -> bool:
        """Whether a model's quotes all bear on the question much less than the best source
        sentence does: a small model copies the sentence beside the one that answers."""
        by_quote = {s.text: s for s in source_sentences(ctx.results[: self.settings.context_passages])}
        quoted = [by_quote[c.quote] for c in citations if c.quote in by_quote]
        if not quoted:
            return False
        best_quoted = float(self._sentence_relevance(ctx, quoted).max())
        return best_quoted < MISSED_POINT_RATIO * ctx.relevance

    def _on_the_question(self, ctx: Context, verdicts: list[Verdict]) -> list[Verdict]:
        """Unsupport sentences whose quotes do not bear on the question: a small model copies
        stray source text (an affiliation line, a heading) that is verbatim, hence "supported",
        yet answers nothing. Judged on the quotes with the measure the relevance gate uses."""
        quoted = [v for v in verdicts if v.supported]
        if not quoted:
            return verdicts
        relevance = self._sentence_relevance(ctx, [v.sources[0] for v in quoted])
        on = [r >= self.settings.relevance_threshold for r in relevance]
        # A sentence directly before an on-question one of the same passage stays with it: it
        # is often what that one's "It" refers to, which is why the extractive answer brings it.
        for i in range(len(quoted) - 2, -1, -1):
            here, after = quoted[i].sources[0], quoted[i + 1].sources[0]
            if not on[i] and on[i + 1] and here.passage.id == after.passage.id and 0 <= after.start - here.end <= 3:
                on[i] = True
        off = {id(v) for v, keep in zip(quoted, on) if not keep}
        return [Verdict(v.sentence, v.cited, v.support, []) if id(v) in off else v for v in verdicts]

    def _source_lang(self, results: list[SearchResult]) -> str:
        """The language to draft in: the best passage's, so the verifier compares like with like;
        a draft in another language than the question's is translated after verification."""
        return detect_lang(results[0].passage.text) if results else "en"

    def _generate(self, ctx: Context, source_lang: str) -> Iterator[str]:
        s = self.settings
        # Titles are left out: small models copy "(title)" lines into the answer.
        sources = "\n\n".join(f"[{n}] {text}" for n, text in self._context_blocks(ctx))
        lang = LANG_NAMES[source_lang]
        system = load_prompt("answer_system").format(language=lang, max_sentences=MAX_SENTENCES)
        user = load_prompt("answer_user").format(sources=sources, question=ctx.standalone, language=lang)
        text = ""
        for delta in ctx.backend.stream_chat([("system", system), ("user", user)], max_tokens=s.max_new_tokens):
            text += delta
            yield delta
            if _looping(text):  # small models repeat themselves; the verifier keeps one copy
                break

    def _context_blocks(self, ctx: Context) -> list[tuple[int, str]]:
        """(passage number, text) blocks sent to the model. In `sentences` mode only the most
        relevant sentences of the passages are sent, in reading order: time to first token grows
        with the prompt (170-230 prompt tokens/s for the embedded model on 2 cores, measured by
        eval/bench_answer.py), and the verifier still checks the answer against whole passages."""
        passages = ctx.results[: self.settings.context_passages]
        if self.settings.context_mode != "sentences":
            return [(i, one_line(r.passage.text)) for i, r in enumerate(passages, 1)]
        sents = source_sentences(passages)
        if not sents:
            return []
        relevance = self._sentence_relevance(ctx, sents, with_windows=True, ranking=True)
        keep = set(np.argsort(-relevance)[: self.settings.context_sentences].tolist())
        blocks = []
        for rank in range(len(passages)):
            chosen = [s for j, s in enumerate(sents) if j in keep and s.rank == rank]
            if chosen:
                blocks.append((rank + 1, " ".join(one_line(x.text) for x in sorted(chosen, key=lambda x: x.start))))
        return blocks

    def _extractive(self, ctx: Context) -> str:
        """The answer is the most relevant source sentences, diverse, best first then in reading order."""
        sents = source_sentences(ctx.results[: self.settings.context_passages])
        if not sents:
            return ""
        relevance = self._sentence_relevance(ctx, sents, with_windows=True, ranking=True)
        # Short fragments (headings, citation lines) rarely answer anything, nor do lines that
        # are not sentences at all (a title, a byline "By Qiu Ping Source: Updated: 2024-05-30").
        length = np.array([min(1.0, len(s.tokens) / 8) for s in sents])
        sentence = np.array([0.6 if _REFERENCE.search(s.text) or not _ENDS_SENTENCE.search(s.text) else 1.0
                             for s in sents])
        # The sentence that holds the asked-for thing (a figure, a date, a name) answers; its
        # neighbours only talk about the subject.
        kind = asked_kind(ctx.standalone)
        holding = np.array([1.0 if holds(kind, s.text, ctx.standalone) else ASKED_KIND_MISSING for s in sents])
        score = relevance * length * sentence * holding
        chosen: list[int] = []
        for j in np.argsort(-score):
            if len(chosen) >= 3 or score[j] < max(0.3, 0.75 * score[chosen[0]] if chosen else 0):
                break
            if any(_jaccard(sents[j].tokens, sents[c].tokens) > 0.6 for c in chosen):  # says the same
                continue
            chosen.append(int(j))
        if not chosen:
            return ""
        ordered = chosen[:1] + sorted(chosen[1:], key=lambda j: (sents[j].rank, sents[j].start))
        joiner = "" if self._source_lang(ctx.results) == "zh" else " "
        parts = []
        for j in ordered:
            # "It is a key measure..." means little alone: bring the sentence "It" refers to.
            prev = sents[j - 1] if j > 0 and sents[j - 1].passage.id == sents[j].passage.id else None
            if prev is not None and j - 1 not in chosen and _PRONOUN_START.match(sents[j].text):
                parts.append(f"{one_line(prev.text)} [{prev.rank + 1}]")
            parts.append(f"{one_line(sents[j].text)} [{sents[j].rank + 1}]")
        return joiner.join(parts)

    def _to_question_lang(self, ctx: Context, text: str, backend: Backend) -> str:
        if backend.llm is None:
            lead = {"zh": "文档中的相关原文（英文）：", "en": "Relevant passages from the documents (in Chinese):"}
            return f"{lead[ctx.lang]}\n{text}"
        # Sentence by sentence, markers re-attached by us: a small model drops or moves them.
        out = []
        for sentence, cited in split_answer(text):
            prompt = load_prompt("translate_answer").format(language=LANG_NAMES[ctx.lang], text=sentence)
            try:
                translated = backend.complete([("user", prompt)], max_tokens=2 * len(sentence) // 3 + 40).strip()
            except BackendError:
                translated = ""
            translated = translated.splitlines()[0].strip() if translated else ""
            if not translated or detect_lang(translated) != ctx.lang:
                translated = sentence  # an untranslatable sentence stays as verified
            marks = "".join(f"[{n}]" for n in dict.fromkeys(cited))
            out.append(f"{translated}{marks}" if ctx.lang == "zh" else f"{translated} {marks}")
        return ("" if ctx.lang == "zh" else " ").join(out)

    def _refusal(self, ctx: Context, t0: float, reason: str, unsupported: list[str] | None = None,
                 missing: str | None = None) -> Answer:
        ctx.timings["total"] = time.perf_counter() - t0
        ctx.timings.setdefault("first_token", ctx.timings["total"])
        text = load_prompt(f"refusal_{ctx.lang}").strip()
        if missing:
            titles = list(dict.fromkeys(r.passage.title for r in ctx.results[: self.settings.context_passages]
                                        if r.passage.title))[:3]
            quote = "“{}”" if ctx.lang == "en" else "《{}》"
            text = load_prompt(f"refusal_not_stated_{ctx.lang}").strip().format(
                what=KIND_WORDS[ctx.lang][missing], titles=("、" if ctx.lang == "zh" else "; ").join(
                    quote.format(t) for t in titles))
        return Answer(
            question=ctx.question, answer=text, citations=[], refused=True,
            unsupported=unsupported or [], backend=ctx.backend.name, backend_note=ctx.backend.note or ctx.backend.label,
            standalone_question=ctx.standalone, lang=ctx.lang, passages=ctx.results,
            timings=ctx.timings, refusal_reason=reason, relevance=ctx.relevance,
        )


MIN_EXPANSION_HITS = 2  # question words whose translation a sentence must hold for the gate to count them
MIN_EXPANSION_RELATEDNESS = 0.33  # ... and the embedder's relatedness it must reach (off-topic median 0.29-0.33)
MISSED_POINT_RATIO = 0.75  # a model answer whose best quote is below this share of the best sentence's relevance
BIBLIOGRAPHIC_KINDS = (PUBLICATION, PERSON, DATE)  # what a reference line can answer: journal, authors, year
BIBLIOGRAPHIC_FACTOR = 0.6  # relevance factor of a reference line for other questions (as for a non-sentence)
ASKED_KIND_MISSING = 0.5  # score factor of a sentence without the asked-for kind of thing
KIND_WORDS = {
    "en": {"figure": "the figure", "date": "the date", "person": "the person", "place": "the place",
           "publication": "the publication"},
    "zh": {"figure": "数字", "date": "时间", "person": "人物", "place": "地点", "publication": "出处（期刊）"},
}
def claim_judge(settings: Settings, backend: Backend | None):
    """The judge `verify` asks instead of its own checks (RAG_VERIFIER=llm): the answering model
    decides, claim by claim, whether the quoted evidence states the sentence."""
    if settings.verifier == "default":
        return None
    if settings.verifier != "llm":
        raise BackendError(f"Unknown verifier {settings.verifier!r}; use default or llm (RAG_VERIFIER).")
    if backend is None or backend.llm is None:
        raise BackendError("RAG_VERIFIER=llm needs a model to judge with; choose RAG_LLM=ollama or embedded.")
    return lambda claim, evidence: llm_verdict(claim, evidence, backend)


_REFERENCE = re.compile(r"\[[A-Z]{1,2}\]\.?\s*$")  # a bibliography entry: "…Local Conditions[J]."
_ENDS_SENTENCE = re.compile(r"[.!?。！？；;…][\"'”’」）)]*\s*$")
_PRONOUN_START = re.compile(r"^(?:It|This|That|These|Those|They|Such|He|She)\b|^(?:这|其|它|该|此)")


def question_sentence(text: str) -> str:
    """The last sentence of a text of several, when it is a question ("...?"), else ""."""
    spans = split_sentences(text)
    if len(spans) < 2:
        return ""
    last = text[spans[-1][0]: spans[-1][1]]
    return last if last.rstrip().endswith(("?", "？")) and len(tokenize(last)) >= 3 else ""


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _has_content_beyond_refusal(draft: str) -> bool:
    rest = re.sub(r"NOT[_ ]IN[_ ]DOCUMENTS", "", draft, flags=re.I)
    return len(re.findall(r"\w", rest)) > 40


def _looping(text: str) -> bool:
    """True when the tail of the text already occurred twice before (a repetition loop)."""
    if len(text) < 160:
        return False
    tail = text[-60:]
    return text.count(tail) >= 3
