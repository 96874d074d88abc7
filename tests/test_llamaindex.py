"""The engine plugs into llama-index both ways: any llama-index LLM answers through it, and its
retriever drives llama-index's own query engine, with the passages' offsets kept."""
from __future__ import annotations

import re
from typing import Any

from llama_index.core.base.llms.types import CompletionResponse, CompletionResponseGen, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from llama_index.core.llms.custom import CustomLLM

from rag import RAG

OVERCAPACITY = "Why does adapting to local conditions avoid overcapacity?"


class QuotingLLM(CustomLLM):
    """A tiny LLM: answers with the sentence of its prompt that mentions overcapacity, cited
    with the number of the source block it came from, plus one sentence no source says."""

    calls: int = 0

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=8192, num_output=256, model_name="quoting-test-llm")

    def _answer(self, prompt: str) -> str:
        self.calls += 1
        blocks = re.findall(r"\[(\d+)\] (.+)", prompt) or [("1", " ".join(prompt.split()))]
        for n, block in blocks:
            for sentence in re.split(r"(?<=[.。])\s*", block):
                if "overcapacity" in sentence or "产能过剩" in sentence:
                    return f"{sentence} [{n}] The Moon is made of green cheese [{n}]."
        return "NOT_IN_DOCUMENTS"

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        return CompletionResponse(text=self._answer(prompt))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        text = self._answer(prompt)

        def gen() -> CompletionResponseGen:
            yield CompletionResponse(text=text, delta=text)

        return gen()


def test_any_llama_index_llm_answers_through_the_verifier(seeds_rag):
    llm = QuotingLLM()
    rag = RAG(seeds_rag.settings, llm=llm)
    answer = rag.ask(OVERCAPACITY)
    assert llm.calls >= 1
    assert not answer.refused and answer.backend == "QuotingLLM"
    assert "key measure to avoid overcapacity" in answer.answer
    assert "green cheese" not in answer.answer and any("green cheese" in s for s in answer.unsupported)
    c = answer.citations[0]
    assert rag.store.document_text(c.source)[c.start:c.end] == c.quote
    # A backend named per call still wins over the object.
    assert rag.ask(OVERCAPACITY, backend="extractive").backend == "extractive"


def test_the_retriever_drives_a_llama_index_query_engine(seeds_rag):
    from llama_index.core.query_engine import RetrieverQueryEngine

    retriever = seeds_rag.as_retriever(k=3)
    nodes = retriever.retrieve(OVERCAPACITY)
    assert len(nodes) == 3 and nodes[0].score >= nodes[-1].score
    for n in nodes:
        text = seeds_rag.store.document_text(n.node.metadata["source"])
        assert text[n.node.start_char_idx : n.node.end_char_idx] == n.node.get_content()
        assert (n.node.metadata["start"], n.node.metadata["end"]) == (n.node.start_char_idx, n.node.end_char_idx)
    engine = RetrieverQueryEngine.from_args(retriever, llm=QuotingLLM())
    response = engine.query(OVERCAPACITY)
    assert "avoid overcapacity" in str(response)
    assert [s.node.node_id for s in response.source_nodes] == [n.node.node_id for n in nodes]
