"""`rag check`: verify any text against the collection, sentence by sentence.

Each sentence is searched for on its own (what it claims is what its evidence must say), then
judged by the same `verify()` that judges every answer sentence, against the passages found.
"""
from __future__ import annotations

from .retrieve import Retriever
from .claims import without_attribution
from .settings import Settings
from .types import Check, CheckedSentence
from .verify import NOTHING_FOUND, as_citation, claim_parts, split_answer, verify

MAX_CHECK_CHARS = 20_000  # a long article is checked in pieces: one search per sentence
PART_PASSAGES = 1  # passages searched for each part of a sentence that joins statements


def check_text(text: str, retriever: Retriever, embedder, settings: Settings, judge=None) -> Check:
    """`judge`: as `verify` takes it (RAG_VERIFIER=llm), else the built-in checks decide."""
    from .errors import QueryError

    text = (text or "").strip()
    if not text:
        raise QueryError("The text to check is empty: paste or give the sentences to verify.")
    if len(text) > MAX_CHECK_CHARS:
        raise QueryError(f"The text is {len(text)} characters long; check at most {MAX_CHECK_CHARS} at a time.")
    out = Check(text)
    for sentence, _cited in split_answer(text):
        query = sentence[: settings.max_question_chars]
        results = retriever.search(query, settings.context_passages)
        # A sentence that joins two statements may rest on two places of the collection: each
        # part is searched for too, and its best passage joins the evidence.
        seen = {r.passage.id for r in results}
        # What a sentence in someone's voice claims ("Qiu Ping holds that …") is searched for
        # without the frame too: the byline's passage is not what states it.
        content = without_attribution(sentence)
        for part in claim_parts(sentence) + ([content] if content != sentence else []):
            for r in retriever.search(part[: settings.max_question_chars], PART_PASSAGES):
                if r.passage.id not in seen:
                    seen.add(r.passage.id)
                    results.append(r)
        results += _closer_passage(sentence, results, retriever)
        verdicts = verify(sentence, results, embedder, settings.support_threshold, keep_fragments=True,
                          judge=judge)
        v = verdicts[0] if verdicts else None
        if v is None:
            out.sentences.append(CheckedSentence(sentence, False, 0.0, reason=NOTHING_FOUND))
        elif v.supported:
            out.sentences.append(CheckedSentence(sentence, True, v.support,
                                                 [as_citation(s, i, v.support) for i, s in enumerate(v.sources, 1)]))
        else:  # verify() gives every unsupported sentence its reasons
            out.sentences.append(CheckedSentence(sentence, False, v.support, reason="; ".join(v.reasons),
                                                 closest=[as_citation(s, i, v.support) for i, s in enumerate(v.compared, 1)]))
    return out


CLOSER_POOL = 30  # passages looked through for a sentence that states more of the checked one
CLOSER_SHARE = 0.6  # share of its words such a sentence must state (most of it: a near copy)


def _closer_passage(sentence: str, results: list, retriever: Retriever) -> list:
    """The passage, among the CLOSER_POOL best for the sentence, holding a sentence of its
    language that states most of its words (CLOSER_SHARE), and more of them than any sentence of
    the passages found: the one it copies, or distorts, which the passages' ranking may leave out
    ("innovation relies heavily on the development of new quality productive forces", against a
    seed's "The development of new quality productive forces relies heavily on scientific and
    technological innovation", in a passage ranked below others of the same topic)."""
    from .evidence import source_sentences
    from .lexical import tokenize
    from .text import detect_lang

    lang = detect_lang(sentence)
    words = set(tokenize(without_attribution(sentence)))
    if len(words) < 3:
        return []

    def share(found: list) -> float:
        return max((len(words & set(tokenize(s.text))) / len(words) for s in source_sentences(found) if s.lang == lang),
                   default=0.0)

    have = share(results)
    seen = {r.passage.id for r in results}
    scored = [(share([r]), r) for r in retriever.search(sentence, CLOSER_POOL) if r.passage.id not in seen]
    scored = [x for x in scored if x[0] > have and x[0] >= CLOSER_SHARE]
    return [max(scored, key=lambda x: x[0])[1]] if scored else []
