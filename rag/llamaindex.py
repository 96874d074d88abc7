"""The engine inside llama-index: the hybrid retriever as a llama-index `BaseRetriever`.

    from llama_index.core.query_engine import RetrieverQueryEngine
    engine = RetrieverQueryEngine.from_args(RAG(data_dir="my-index").as_retriever(), llm=my_llm)

Each result is a `NodeWithScore` whose `TextNode` carries the passage text, its character offsets
into the source document (`start_char_idx`/`end_char_idx`, and `start`/`end` in the metadata) and
the source path and title, so a llama-index pipeline can quote and locate it as `rag` does.
Kept apart from the engine: llama-index's import costs a new process about 2 s.
"""
from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from .retrieve import Retriever
from .types import SearchResult


def to_node(result: SearchResult) -> NodeWithScore:
    p = result.passage
    node = TextNode(
        id_=p.id, text=p.text, start_char_idx=p.start, end_char_idx=p.end,
        metadata={"source": p.source, "title": p.title, "start": p.start, "end": p.end, "lang": p.lang},
        excluded_embed_metadata_keys=["source", "start", "end", "lang"],
        excluded_llm_metadata_keys=["source", "start", "end", "lang"],
    )
    return NodeWithScore(node=node, score=float(result.score))


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retrieval, fused, near-duplicates removed (`rag search`), for llama-index."""

    def __init__(self, retriever: Retriever, k: int | None = None, mode: str = "fused", **kwargs: Any):
        super().__init__(**kwargs)
        self._retriever = retriever
        self._k = k
        self._mode = mode

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [to_node(r) for r in self._retriever.search(query_bundle.query_str, self._k, self._mode)]
