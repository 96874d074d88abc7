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
