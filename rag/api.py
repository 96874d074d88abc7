"""The Python API: one object over the whole pipeline.

    from rag import RAG
    rag = RAG(data_dir="my-index")
    rag.ingest(["seeds/"])
    print(rag.ask("Why does adapting to local conditions avoid overcapacity?").answer)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from .retrieve import Retriever
from .settings import Settings, load_settings
from .ingest import IngestReport, ingest, remove
from .store import FileInfo, Store
from .types import Answer, Check, SearchResult


class RAG:
    """A document collection you can ingest into, search and ask. Keyword arguments override settings."""

    def __init__(self, settings: Settings | None = None, *, llm: Any = None, embed_model: Any = None,
                 **overrides: Any):
        """`llm`: "auto" | "ollama" | "embedded" | "extractive", or any llama-index LLM object.
        `embed_model`: a model name or path (as RAG_EMBED_MODEL), or any llama-index BaseEmbedding."""
        if isinstance(embed_model, str):
            overrides["embed_model"] = embed_model
            embed_model = None
        if isinstance(llm, str):
            overrides["llm"] = llm
            llm = None
        self._llm = llm
        self.settings = settings.replace(**overrides) if settings else load_settings(**overrides)
        embedder = None
        if embed_model is not None:
            from .embeddings import make_embedder

            embedder = make_embedder(embed_model)
        self.store = Store(self.settings, embedder=embedder)
        self.retriever = Retriever(self.store, self.settings)
        self._answerer = None

    # -- documents
    def ingest(self, paths: Iterable[str | Path] | str | Path, progress: bool = False) -> IngestReport:
        if isinstance(paths, (str, Path)):
            paths = [paths]
        return ingest(self.store, paths, progress=progress)

    def remove(self, sources: Iterable[str]) -> IngestReport:
        return remove(self.store, list(sources))

    def files(self) -> list[FileInfo]:
        return self.store.files()

    # -- retrieval
    def search(self, question: str, k: int | None = None, mode: str = "fused") -> list[SearchResult]:
        return self.retriever.search(question, k, mode)

    def as_retriever(self, k: int | None = None, mode: str = "fused"):
        """The hybrid retriever as a llama-index BaseRetriever (NodeWithScore with offsets)."""
        from .llamaindex import HybridRetriever

        return HybridRetriever(self.retriever, k, mode)

    # -- checking any text
    def check(self, text: str, backend: str | None = None) -> Check:
        """Each sentence of `text` marked supported or not by the collection, with its quotes.
        With RAG_VERIFIER=llm the model (`backend`, else RAG_LLM) judges each sentence."""
        from .answer import claim_judge
        from .check import check_text

        judge = None
        if self.settings.verifier != "default":
            from .llms import resolve_backend

            chosen = self.answerer.custom if self.answerer.custom and not backend else \
                resolve_backend(self.settings, backend)
            judge = claim_judge(self.settings, chosen)
        return check_text(text, self.retriever, self.store.embedder, self.settings, judge)

    # -- answers
    @property
    def answerer(self):
        if self._answerer is None:
            from .answer import Answerer

            custom = None
            if self._llm is not None:
                from .llms import custom_backend

                custom = custom_backend(self._llm, self.settings)
            self._answerer = Answerer(self.store, self.retriever, self.settings, custom=custom)
        return self._answerer

    def ask(self, question: str, history: list[tuple[str, str]] | None = None, backend: str | None = None,
            k: int | None = None) -> Answer:
        """A verified answer: every sentence backed by a quoted source, or a refusal."""
        return self.answerer.ask(question, history=history, backend=backend, k=k)

    def stream(self, question: str, history: list[tuple[str, str]] | None = None, backend: str | None = None,
               k: int | None = None) -> Iterator[str | Answer]:
        """Yield text deltas of the draft as it is generated, then the verified Answer."""
        return self.answerer.stream(question, history=history, backend=backend, k=k)
