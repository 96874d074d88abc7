"""From a question to a verified Answer: condense, (translate), retrieve, gate, generate, verify.

The relevance gate and the verifier are what make a small local model safe: when nothing
relevant is retrieved, or no sentence of the draft is supported by a source sentence, the
answer is a refusal, never an unsupported claim.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator

import numpy as np

from .asks import asked_kind, holds
from .claims import entities, numbers_ordinals, unmentioned
from .errors import BackendError
from .evidence import Evidence, SourceSentence, gather
from .lexical import tokenize
from .llms import Backend, resolve_backend
from .prompts import load_prompt
from .retrieve import Retriever
from .settings import Settings
from .store import Store
from .text import (detect_lang, is_affiliation_line, is_author_line, is_bibliographic, join_sentences, nth, one_line,
                   split_sentences, with_marks)
from .types import Answer, Citation, SearchResult
from .verify import Verdict, assemble, llm_verdict, split_answer, strip_marks, verify

REFUSAL_TOKEN = "NOT_IN_DOCUMENTS"
BESIDE_THE_QUESTION = "its quote does not bear on the question"
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
    evidence: Evidence  # the question's forms, the results, the context's sentences, vectors and relevance
    relevance: float
    backend: Backend
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def results(self) -> list[SearchResult]:
        return self.evidence.results

    @cached_property
    def asked(self) -> str | None:
        """What the question asks for (rag.asks), worked out once."""
        return asked_kind(self.standalone)

    @cached_property
    def byline_question(self) -> bool:
        """Who wrote it, when or where it appeared: a byline, source or citation line answers."""
        return byline_question(self.standalone, self.asked)

    @cached_property
    def role(self) -> re.Pattern | None:
        """The line a question about the editor (translator, photographer) needs, not the author's."""
        return next((line for asked, line in _ROLES if asked.search(self.standalone)), None)

    def is_byline(self, s: SourceSentence) -> bool:
        # A sentence of several lines (an author line with its affiliations) counts by its lines.
        return self.byline_question and any(is_byline(line) for line in s.text.splitlines()) \
            and holds(self.asked, s.text, self.standalone) and (self.role is None or self.role.search(s.text) is not None)


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
        if ctx.relevance < self.settings.relevance_threshold and not self._byline_on_topic(ctx):
            yield self._refusal(ctx, t0, reason="retrieval")
            return
        absent = self._names_not_covered(ctx)
        if absent:
            # "任天堂为什么并未在日本境外发行64DD？" asked of virology papers: passages that merely
            # look alike (a release, a region) pass the gate, but none names what is asked about.
            yield self._refusal(ctx, t0, reason="not_covered", names=absent)
            return
        draft = ""
        t_gen = time.perf_counter()
        source_lang = self._source_lang(ctx.results)
        if not chosen.generates:
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
        text, citations, unsupported = self._verified(ctx, draft, self.settings.strict)
        ctx.timings["verify"] = time.perf_counter() - t_ver
        note = chosen.note or chosen.label
        fallback = False
        missed = bool(citations) and self._misses_the_point(ctx, citations)
        if (not citations or missed) and chosen.generates and self.settings.extractive_fallback:
            # The model wrote nothing the sources bear out, or only what stands beside the answer,
            # yet the sources were relevant enough to pass the gate: quote them directly rather
            # than refuse. Same checks, so still grounded.
            quoted, quotes, _ = self._verified(ctx, self._extractive(ctx), strict=True)
            if quotes:
                text, citations, fallback = quoted, quotes, True
                why = "missed the sentence that answers" if missed else "was not borne out by the sources"
                note = f"{note}; the model's draft {why}, so the answer quotes them directly"
        if not citations:
            yield self._refusal(ctx, t0, reason="unsupported", unsupported=unsupported)
            return
        kind = ctx.asked
        if not holds(kind, " ".join(c.quote for c in citations), ctx.standalone):
            # "What is the population of Jiangsu?" answered by quotes about Jiangsu that give no
            # figure is not an answer: say what is missing, and where the subject is covered.
            yield self._refusal(ctx, t0, reason="not_stated", unsupported=unsupported, missing=kind)
            return
        if not _ordinals_stated(ctx.standalone, " ".join(c.quote for c in citations)):
            # "What was the second of the nine key tasks?" answered by the sentence on the first:
            # quotes that never state the rank asked about speak of another one.
            yield self._refusal(ctx, t0, reason="not_stated", unsupported=unsupported, missing="ordinal")
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
        translated = self._translate_query(standalone, other, backend) if other and backend.generates else ""
        forms = self.retriever.forms(standalone, own, translated)
        timings = {"condense_translate": time.perf_counter() - t}
        t = time.perf_counter()
        results = self.retriever.search_forms(forms, k or self.settings.top_k)
        bylines = self._byline_passages(standalone, results)
        if bylines:  # right after the best passage (moved up if retrieved lower), so that they are in the context
            ids = {r.passage.id for r in bylines}
            results = results[:1] + bylines + [r for r in results[1:] if r.passage.id not in ids]
        timings["retrieve"] = time.perf_counter() - t
        evidence = gather(forms, results, self.embedder, self.settings.context_passages, question)
        ctx = Context(question, standalone, lang, evidence, 0.0, backend, timings)
        ctx.relevance = self._relevance(ctx)
        return ctx

    def _byline_passages(self, question: str, results: list[SearchResult]) -> list[SearchResult]:
        """For "Who wrote the article on X?" (or when, or where it appeared): the passages of the
        best-matching documents that hold their byline, source or citation line. Those lines
        share no words with the topic, so retrieval, which found the document, misses them."""
        if not byline_question(question):
            return []
        first = results[0].passage.id if results else None
        found = {r.passage.id: r for r in results}
        sources = list(dict.fromkeys(r.passage.source for r in results))[:BYLINE_DOCUMENTS]
        out = []
        for source in sources:
            for p in self.store.document_passages(source):
                if p.id != first and any(is_byline(line) for line in p.text.splitlines()):
                    out.append(found.get(p.id) or SearchResult(p, 0.0))
        return out

    def _byline_on_topic(self, ctx: Context) -> bool:
        """A byline question ("Who wrote the article on X, and what is his position?") matches its
        document less than a question on X does: its other words are about the byline. It passes
        the gate when its document has a byline of the asked kind and matches it at least
        BYLINE_GATE_SHARE as well as the gate asks of other questions."""
        if not ctx.byline_question or ctx.relevance < BYLINE_GATE_SHARE * self.settings.relevance_threshold:
            return False
        top = ctx.results[0].passage.source
        return any(s.passage.source == top and ctx.is_byline(s) for s in ctx.evidence.sentences)

    def _condense(self, question: str, history, backend: Backend) -> str:
        if not history:
            return question
        last_q = str(history[-1][0])
        short = len(tokenize(question)) <= 4 or len(question) <= 12
        if not (short or _FOLLOW_UP.search(question)):
            return question
        if backend.generates and backend.rewrites:  # else concatenation is safer
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
        return ctx.evidence.best_relevance()

    def _verified(self, ctx: Context, draft: str, strict: bool
                  ) -> tuple[str, list[Citation], list[str]]:
        """The draft's sentences checked against the sources and the question: (answer text with
        [n] markers, citations, unsupported sentences)."""
        verdicts = verify(draft, ctx.evidence, self.embedder, self.settings.support_threshold,
                          judge=claim_judge(self.settings, ctx.backend))
        return assemble(self._on_the_question(ctx, verdicts), strict, max_sentences=MAX_SENTENCES)

    def _names_not_covered(self, ctx: Context) -> list[str]:
        """The names of the question (people, places, organisations, codes), when no retrieved
        passage mentions any of them in either language; else []. One name found is enough: a
        question may name more than the sources do (\"in the 5 year USA study\")."""
        names = entities(question_sentence(ctx.standalone) or ctx.standalone)
        if not names:
            return []
        text = "\n".join(r.passage.text for r in ctx.results)
        absent = unmentioned(names, text, partly=True)
        return absent if len(absent) == len(names) else []

    def _misses_the_point(self, ctx: Context, citations: list[Citation]) -> bool:
        """Whether a model's quotes all bear on the question much less than the best source
        sentence does: a small model copies the sentence beside the one that answers."""
        by_quote = {s.text: s for s in ctx.evidence.sentences}
        quoted = [by_quote[c.quote] for c in citations if c.quote in by_quote]
        if not quoted:
            return False
        best_quoted = float(ctx.evidence.relevance(quoted).max())
        return best_quoted < MISSED_POINT_RATIO * ctx.relevance

    def _on_the_question(self, ctx: Context, verdicts: list[Verdict]) -> list[Verdict]:
        """Unsupport sentences whose quotes do not bear on the question: a small model copies
        stray source text (an affiliation line, a heading) that is verbatim, hence "supported",
        yet answers nothing. Judged on the quotes with the measure the relevance gate uses."""
        quoted = [v for v in verdicts if v.supported]
        if not quoted:
            return verdicts
        relevance = ctx.evidence.relevance([v.sources[0] for v in quoted])
        on = [r >= self.settings.relevance_threshold or ctx.is_byline(v.sources[0]) for r, v in zip(relevance, quoted)]
        # A sentence directly before an on-question one of the same passage stays with it: it
        # is often what that one's "It" refers to, which is why the extractive answer brings it.
        for i in range(len(quoted) - 2, -1, -1):
            here, after = quoted[i].sources[0], quoted[i + 1].sources[0]
            if not on[i] and on[i + 1] and here.passage.id == after.passage.id and 0 <= after.start - here.end <= 3:
                on[i] = True
        off = {id(v) for v, keep in zip(quoted, on) if not keep}
        return [Verdict(v.sentence, v.cited, v.support, [], [BESIDE_THE_QUESTION], v.sources) if id(v) in off else v
                for v in verdicts]

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
        passages = ctx.evidence.passages
        if self.settings.context_mode != "sentences":
            return [(i, one_line(r.passage.text)) for i, r in enumerate(passages, 1)]
        sents = ctx.evidence.sentences
        if not sents:
            return []
        relevance = ctx.evidence.relevance(ranking=True, windows=True)
        keep = set(np.argsort(-relevance)[: self.settings.context_sentences].tolist())
        blocks = []
        for rank in range(len(passages)):
            chosen = [s for j, s in enumerate(sents) if j in keep and s.rank == rank]
            if chosen:
                blocks.append((rank + 1, " ".join(one_line(x.text) for x in sorted(chosen, key=lambda x: x.start))))
        return blocks

    def _extractive(self, ctx: Context) -> str:
        """The answer is the most relevant source sentences, diverse, best first then in reading order."""
        sents = ctx.evidence.sentences
        if not sents:
            return ""
        relevance = ctx.evidence.relevance(ranking=True, windows=True)
        # Short fragments (headings, citation lines) rarely answer anything, nor do lines that
        # are not sentences at all (a title, a byline "By Qiu Ping Source: Updated: 2024-05-30").
        length = np.array([min(1.0, len(s.tokens) / 8) for s in sents])
        sentence = np.array([0.6 if _REFERENCE.search(s.text) or not _ENDS_SENTENCE.search(s.text) else 1.0
                             for s in sents])
        if not ctx.byline_question:
            # An author line says who wrote the paper, nothing else.
            sentence *= [BYLINE_ELSEWHERE if any(is_author_line(line) for line in s.text.splitlines()) else 1.0
                         for s in sents]
        # The sentence that holds the asked-for thing (a figure, a date, a name) answers; its
        # neighbours only talk about the subject.
        kind = ctx.asked
        holding = np.array([1.0 if holds(kind, s.text, ctx.standalone) else ASKED_KIND_MISSING for s in sents])
        score = relevance * length * sentence * holding
        if ctx.byline_question:
            # "Who wrote the article on X?": the byline of the document that best matches X, whose
            # words have nothing to do with X.
            top = ctx.results[0].passage.source
            score = np.maximum(score, [(BYLINE_SCORE if s.passage.source == top else BYLINE_SCORE / 2)
                                       if ctx.is_byline(s) else 0.0 for s in sents])
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
        parts = []
        for j in ordered:
            # "It is a key measure..." means little alone: bring the sentence "It" refers to.
            prev = sents[j - 1] if j > 0 and sents[j - 1].passage.id == sents[j].passage.id else None
            if prev is not None and j - 1 not in chosen and _PRONOUN_START.match(sents[j].text):
                parts.append(with_marks(one_line(prev.text), f"[{prev.rank + 1}]"))
            parts.append(with_marks(one_line(sents[j].text), f"[{sents[j].rank + 1}]"))
        return join_sentences(parts)

    def _to_question_lang(self, ctx: Context, text: str, backend: Backend) -> str:
        if not backend.generates:
            # Quotes in the other language, or some of them ("因此,因地制宜……[1] Because it drives … [2]").
            mixed = any(detect_lang(sentence) == ctx.lang for sentence, _ in split_answer(text))
            lead = ({"zh": "文档中的相关原文（部分为英文）：", "en": "Relevant passages from the documents (some in Chinese):"}
                    if mixed else {"zh": "文档中的相关原文（英文）：", "en": "Relevant passages from the documents (in Chinese):"})
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
            out.append(with_marks(translated, "".join(f"[{n}]" for n in dict.fromkeys(cited))))
        return join_sentences(out)

    def _refusal(self, ctx: Context, t0: float, reason: str, unsupported: list[str] | None = None,
                 missing: str | None = None, names: list[str] | None = None) -> Answer:
        ctx.timings["total"] = time.perf_counter() - t0
        ctx.timings.setdefault("first_token", ctx.timings["total"])
        text = load_prompt(f"refusal_{ctx.lang}").strip()
        if names:
            text = load_prompt(f"refusal_not_covered_{ctx.lang}").strip().format(
                names=("、" if ctx.lang == "zh" else ", ").join(f"“{n}”" for n in names[:4]))
        if missing:
            titles = list(dict.fromkeys(r.passage.title for r in ctx.evidence.passages if r.passage.title))[:3]
            quote = "“{}”" if ctx.lang == "en" else "《{}》"
            what = KIND_WORDS[ctx.lang][missing]
            if missing == "ordinal":  # "the 2nd one", "第2项"
                ranks = sorted(int(o) for o in numbers_ordinals(ctx.standalone)[1] if float(o).is_integer())
                if ranks:
                    what = (f"第{'、'.join(map(str, ranks))}项" if ctx.lang == "zh"
                            else f"the {' and '.join(nth(n) for n in ranks)} one")
            text = load_prompt(f"refusal_not_stated_{ctx.lang}").strip().format(
                what=what, titles=("、" if ctx.lang == "zh" else "; ").join(
                    quote.format(t) for t in titles))
        return Answer(
            question=ctx.question, answer=text, citations=[], refused=True,
            unsupported=unsupported or [], backend=ctx.backend.name, backend_note=ctx.backend.note or ctx.backend.label,
            standalone_question=ctx.standalone, lang=ctx.lang, passages=ctx.results,
            timings=ctx.timings, refusal_reason=reason, relevance=ctx.relevance,
        )


BYLINE_KINDS = ("person", "publication", "date", "organisation")  # what a byline, source or citation line answers
BYLINE_DOCUMENTS = 2  # best-matching documents whose byline passages join the context
# "Who edited it?" is answered by an editor's line, not by the author's byline.
_ROLES = [(re.compile(asked, re.I), re.compile(line, re.I)) for asked, line in (
    (r"\beditor|\bedited\b|编辑|责编", r"\bEditors?\b|\bEdited by\b|编辑|责编"),
    (r"\btranslat|译者|翻译", r"\bTranslat|译者|翻译"),
    (r"\bphotograph|摄影", r"\bPhoto|摄影"),
)]
BYLINE_CHARS = 200  # a byline, source or citation line is short
_ABOUT_A_WORK = re.compile(r"\b(?:article|paper|study|report|piece|essay|editorial|commentary|author|authors|"
                           r"published|written|wrote)\b|文章|论文|一文|报告|作者|发表|刊登|撰写", re.I)
_BYLINE = re.compile(r"\s*(?:By\s+[A-Z]|Authors?\s*[:：]|Editors?\s*[:：]|Source\s*[:：]|Citation\s*[:：]|"
                     r"Updated\s*[:：]|Published\s*[:：]|The authors? (?:is|are)\b)|作者[:：]|来源[:：]|编辑[:：]|"
                     r"引用格式|引用本文|发布时间|更新时间", re.I)
BYLINE_GATE_SHARE = 0.6  # of relevance_threshold, that a byline question's best document must reach
BYLINE_SCORE = 0.9  # extractive score of the best document's byline line, for a byline question
BYLINE_ELSEWHERE = 0.5  # score factor of a paper's author line for any other question


def byline_question(question: str, kind: str | None = None) -> bool:
    """`kind`: asked_kind(question), when the caller has it."""
    kind = asked_kind(question) if kind is None else kind
    return kind in BYLINE_KINDS and _ABOUT_A_WORK.search(question) is not None


def is_byline(line: str) -> bool:
    """A byline, source or citation line ("By Qiu Ping", "The author is ...", "Citation: ..."),
    a paper's author line or one of its affiliation lines."""
    line = line.strip()
    if len(line) > BYLINE_CHARS:
        return False
    return _BYLINE.match(line) is not None or is_bibliographic(line) or is_author_line(line) or is_affiliation_line(line)




MISSED_POINT_RATIO = 0.75  # a model answer whose best quote is below this share of the best sentence's relevance
ASKED_KIND_MISSING = 0.5  # score factor of a sentence without the asked-for kind of thing
KIND_WORDS = {
    "en": {"figure": "the figure", "date": "the date", "person": "the person", "place": "the place",
           "publication": "the publication", "organisation": "the organisation", "ordinal": "the one of the rank asked",
           "name": "the name"},
    "zh": {"figure": "数字", "date": "时间", "person": "人物", "place": "地点", "publication": "出处（期刊）",
           "organisation": "机构", "ordinal": "所问序号的内容", "name": "名称"},
}


_WHY = re.compile(r"^\W*(?:why|how)\b|为什么|为何|如何|怎么|怎样", re.I)


def _ordinals_stated(question: str, quotes: str) -> bool:
    """Whether the quotes state every rank the question names ("the second of", 第二项), as a
    rank or a number. A why or how question is asked about a statement, whose rank may be the
    very thing to correct ("Why is China in the first echelon?" - the text says the third)."""
    asked = numbers_ordinals(question)[1]
    if not asked or _WHY.search(question):
        return True
    numbers, ordinals = numbers_ordinals(quotes)
    return asked <= (numbers | ordinals)


def claim_judge(settings: Settings, backend: Backend | None):
    """The judge `verify` asks instead of its own checks (RAG_VERIFIER=llm): the answering model
    decides, claim by claim, whether the quoted evidence states the sentence."""
    if settings.verifier == "default":
        return None
    if settings.verifier != "llm":
        raise BackendError(f"Unknown verifier {settings.verifier!r}; use default or llm (RAG_VERIFIER).")
    if backend is None or not backend.generates:
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
