"""The embedder: MiniLM run on transformers directly must give sentence-transformers' vectors,
or an index built by one would not match queries embedded by the other."""
from __future__ import annotations

import json
import shutil

import numpy as np

from rag.embeddings import default_model_path, get_embedder, mean_pooling_layout

TEXTS = [
    "Why does adapting to local conditions avoid overcapacity?",
    "为什么因地制宜可以避免产能过剩？",
    "   leading and trailing spaces   ",
    "a",
    "long " * 600,  # past the 256-token window: truncated the same way
    "Taking measures according to local conditions is a methodology.\nIt is a key measure to avoid overcapacity.",
]


def test_fast_path_gives_sentence_transformers_vectors():
    from sentence_transformers import SentenceTransformer

    ours = get_embedder()
    assert ours.model is None, "the packaged MiniLM should not need sentence-transformers"
    reference = SentenceTransformer(default_model_path(), device="cpu").encode(
        TEXTS, batch_size=2, normalize_embeddings=True, convert_to_numpy=True)
    got = ours.encode(TEXTS)
    assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
    assert np.abs(got - reference).max() < 1e-5
    # Cached or not, a text has one vector.
    assert np.abs(ours.encode_cached(TEXTS[::-1])[::-1] - got).max() < 1e-6


def test_other_layouts_go_through_sentence_transformers(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    src = default_model_path()
    for name in ("modules.json", "sentence_bert_config.json"):
        shutil.copy(f"{src}/{name}", model / name)
    (model / "1_Pooling").mkdir()
    pooling = json.loads(open(f"{src}/1_Pooling/config.json").read())
    (model / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert mean_pooling_layout(str(model)) == 256
    pooling.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    (model / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    assert mean_pooling_layout(str(model)) is None
    assert mean_pooling_layout(str(tmp_path / "missing")) is None
