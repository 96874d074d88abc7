"""Ingestion and retrieval as a user meets them: `rag ingest`, `rag search`, and the index on disk."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RAG_BIN, free_port, rag_over_files, run_cli

from rag import RAG
from rag.errors import QueryError, StoreError

OVERCAPACITY = "Why does adapting to local conditions avoid overcapacity?"
OVERCAPACITY_ZH = "为什么因地制宜可以避免产能过剩？"


def test_english_question_finds_the_overcapacity_sentence(seeds_rag):
    results = seeds_rag.search(OVERCAPACITY, k=3)
    assert any("key measure to avoid overcapacity" in " ".join(r.passage.text.split()) for r in results)


def test_chinese_question_finds_the_chinese_abstract(seeds_rag):
    top = seeds_rag.search(OVERCAPACITY_ZH, k=3)[0]
    assert top.passage.source.endswith("001_34acb3e43dc2d187.txt")
    assert "避免产能过剩的关键举措" in top.passage.text


def test_passages_are_exact_slices_of_their_source(seeds_rag):
    for r in seeds_rag.search("talent mechanisms for innovation", k=5) + seeds_rag.search(OVERCAPACITY_ZH, k=5):
        text = seeds_rag.store.document_text(r.passage.source)
        assert text[r.passage.start : r.passage.end] == r.passage.text


def test_the_same_abstract_is_not_returned_twice(seeds_rag):
    # Seeds 000 and 001 carry the same English abstract with different line wrapping.
    results = seeds_rag.search(OVERCAPACITY, k=5)
    holders = [r for r in results if "avoid overcapacity" in " ".join(r.passage.text.split())]
    assert len(holders) == 1


def test_boilerplate_is_never_retrieved(seeds_rag):
    for q in ("Sign in Free sign-up Forgot password", "Application Status Processing", "Related Downloads"):
        for r in seeds_rag.search(q, k=5):
            assert "Forgot password" not in r.passage.text
            assert "Processing" not in r.passage.text and "Related Downloads" not in r.passage.text


def test_documents_have_titles_and_languages(seeds_rag):
    files = {Path(f.source).name: f for f in seeds_rag.files()}
    assert files["000_6c6a7b7fb1c0ab16.txt"].title.startswith("The Necessity, Scientificity and Focus")
    assert files["001_34acb3e43dc2d187.txt"].lang in ("mixed", "zh")
    assert files["004_2f4fe205909f0cc5.txt"].author == "Qiu Ping"


def test_search_cli_json_contract(seeds_rag):
    out = run_cli("search", OVERCAPACITY, "--k", "3", "--json", "--data-dir", str(seeds_rag.store.dir))
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    assert len(results) == 3
    for r in results:
        assert set(r) == {"text", "source", "title", "start", "end", "score"}
    assert results[0]["score"] >= results[1]["score"] >= results[2]["score"]


def test_search_crosses_languages_when_the_collection_does(tmp_path):
    # The only passage about the welding institute is Chinese; the English question reaches it
    # through the dictionary translation of its words, which `rag search` uses too.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "zh.txt").write_text("深圳量子焊接研究院专门培养青年技术人才。该研究院成立于二零一九年。", encoding="utf-8")
    (docs / "harbour.txt").write_text("The harbour institute publishes tide tables for young sailors every morning.\n")
    (docs / "museum.txt").write_text("The museum trains volunteer guides who lead evening tours of the old town.\n")
    (docs / "library.txt").write_text("The city library offers technical manuals and quiet rooms for students.\n")
    data = str(tmp_path / "index")
    assert run_cli("ingest", str(docs), "--data-dir", data).returncode == 0
    out = run_cli("search", "Which institute trains young technical talent?", "--k", "2", "--json", "--data-dir", data)
    assert out.returncode == 0, out.stderr
    assert any("人才" in r["text"] for r in json.loads(out.stdout)), out.stdout


def test_empty_and_enormous_questions_are_refused_clearly(seeds_rag):
    with pytest.raises(QueryError, match="empty"):
        seeds_rag.search("   ")
    with pytest.raises(QueryError, match="limit"):
        seeds_rag.search("why " * 2000)
    out = run_cli("search", "", "--data-dir", str(seeds_rag.store.dir))
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "empty" in out.stderr


def test_reingest_is_incremental(tmp_path, seeds_dir):
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir, docs)
    rag = RAG(data_dir=str(tmp_path / "index"))
    first = rag.ingest([docs])
    assert len(first.added) == 5
    again = rag.ingest([docs])
    assert len(again.unchanged) == 5 and again.passages_embedded == 0

    changed = docs / "004_2f4fe205909f0cc5.txt"
    changed.write_text(changed.read_text() + "\n\nThe Zorblax programme trains quantum welders in Tampere.\n")
    (docs / "002_dfe0b406e92e3e54.txt").unlink()
    third = rag.ingest([docs])
    assert [Path(s).name for s in third.updated] == ["004_2f4fe205909f0cc5.txt"]
    assert [Path(s).name for s in third.removed] == ["002_dfe0b406e92e3e54.txt"]
    # Only the passages whose text changed were embedded again.
    assert 0 < third.passages_embedded < third.passages_added
    top = rag.search("Who trains quantum welders?", k=1)[0]
    assert "Zorblax" in top.passage.text
    assert not any("002_" in r.passage.source for r in rag.search("Touch Shanghai Tang Yunyi", k=5))
    sources = {Path(f.source).name for f in rag.files()}
    assert "002_dfe0b406e92e3e54.txt" not in sources and len(sources) == 4


def test_a_new_passage_size_never_touches_the_vectors_of_committed_passages(tmp_path, monkeypatch):
    """Re-split with another passage size, a file's passages get new ids: an ingest that dies
    before its commit leaves each committed passage with its own vector, and one that completes
    leaves the new split only, each passage found first by its own text."""
    import numpy as np

    from rag.lexical import BM25Index

    rng = __import__("random").Random(5)
    places = "north south east west river canal island mill".split()
    cargo = "copper timber grain salt wool coffee cotton tin".split()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "harbour.txt").write_text(" ".join(
        f"Pier {i} of the {rng.choice(places)} harbour handles {rng.choice(cargo)} shipped from "
        f"{rng.choice(places).title()}ville on day {rng.randrange(1, 365)}." for i in range(24)))
    data = str(tmp_path / "index")

    def assert_each_vector_is_its_passage(rag):
        ids = rag.store.passages_ids()
        texts = {i: p.text for i, p in rag.store.passages(ids).items()}
        got = rag.store.collection.get(ids=ids, include=["embeddings"])
        assert sorted(got["ids"]) == sorted(ids)
        fresh = rag.store.embedder.encode([texts[i] for i in got["ids"]])
        cosines = (np.asarray(got["embeddings"], dtype=np.float32) * fresh).sum(1)
        assert cosines.min() > 0.999, dict(zip(got["ids"], cosines.round(4)))

    before = RAG(data_dir=data, chunk_tokens=128, overlap_sentences=0)
    before.ingest([docs])
    old = set(before.store.passages_ids())
    assert len(old) >= 3

    after = RAG(data_dir=data, chunk_tokens=48, overlap_sentences=0)
    # Killed at the last moment: the new passages' vectors are in, the catalogue is not committed.
    with monkeypatch.context() as m:
        m.setattr(BM25Index, "save", lambda self, folder: (_ for _ in ()).throw(OSError("disk full")))
        with pytest.raises(OSError, match="disk full"):
            after.ingest([docs])
    assert set(before.store.passages_ids()) == old
    assert_each_vector_is_its_passage(before)

    report = after.ingest([docs])
    assert [Path(s).name for s in report.updated] == ["harbour.txt"] and not report.failed
    new = set(after.store.passages_ids())
    assert len(new) > len(old) and not new & old
    assert_each_vector_is_its_passage(after)
    assert set(after.store.collection.get(include=[])["ids"]) == new  # strays and stale vectors gone
    for pid, passage in after.store.passages(new).items():
        assert after.search(passage.text, k=1, mode="dense")[0].passage.id == pid


def test_bad_files_are_reported_and_nothing_is_lost(tmp_path, seeds_dir):
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir, docs)
    data = str(tmp_path / "index")
    assert run_cli("ingest", str(docs), "--data-dir", data).returncode == 0

    (docs / "empty.txt").write_text("")
    (docs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    (docs / "gbk.txt").write_bytes("深圳的量子焊接研究院成立于二零一九年，专门培养青年技术人才。".encode("gb18030"))
    out = run_cli("ingest", str(docs), "--data-dir", data)
    assert out.returncode == 1
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    for name in ("empty.txt", "image.txt", "broken.pdf"):
        assert any(name in line for line in errors), out.stderr
    rag = RAG(data_dir=data)
    names = {Path(f.source).name for f in rag.files()}
    assert names >= {"gbk.txt", "004_2f4fe205909f0cc5.txt"} and "empty.txt" not in names
    assert "量子焊接" in rag.search("量子焊接研究院是什么时候成立的？", k=1)[0].passage.text

    missing = run_cli("ingest", str(tmp_path / "nope"), "--data-dir", data)
    assert missing.returncode == 2 and "nope" in missing.stderr and len(missing.stderr.splitlines()) == 1
    assert len(RAG(data_dir=data).files()) == len(names)


def test_killed_ingest_leaves_the_previous_index_consistent(tmp_path, seeds_dir):
    data = str(tmp_path / "index")
    rag = RAG(data_dir=data)
    rag.ingest([seeds_dir])
    before = rag.store.count()

    big = tmp_path / "big"
    big.mkdir()
    for i in range(60):
        body = " ".join(f"Report {i} paragraph {j} describes widget batch {i * 100 + j} in detail." for j in range(80))
        (big / f"report_{i:03d}.txt").write_text(body)
    proc = subprocess.Popen([RAG_BIN, "ingest", str(seeds_dir), str(big), "--data-dir", data],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Wait until vectors of the new run are being written, then kill without warning.
    deadline = time.time() + 120
    chroma_dir = Path(data) / "chroma"
    size0 = sum(f.stat().st_size for f in chroma_dir.rglob("*") if f.is_file())
    while time.time() < deadline and proc.poll() is None:
        if sum(f.stat().st_size for f in chroma_dir.rglob("*") if f.is_file()) > size0:
            break
        time.sleep(0.2)
    time.sleep(1.0)
    assert proc.poll() is None, "ingest finished before it could be killed; make the collection bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    after = RAG(data_dir=data)
    assert after.store.count() == before
    catalogue = set(after.store.passages_ids())
    assert set(after.store.bm25().ids) == catalogue
    for r in after.search(OVERCAPACITY, k=5) + after.search("widget batch report", k=5, mode="dense"):
        assert r.passage.id in catalogue
    # The next ingest collects the stray vectors and completes.
    report = after.ingest([seeds_dir, big])
    assert len(report.added) == 60
    assert after.store.count() > before
    assert set(after.store.collection.get(include=[])["ids"]) == set(after.store.passages_ids())


@pytest.mark.slow
def test_fifty_megabyte_file_ingests_in_bounded_memory(tmp_path):
    big = tmp_path / "big.txt"
    paragraph = ("The maintenance log records that pump seven was inspected and found in good order. " * 8 + "\n\n")
    with open(big, "w") as f:
        while f.tell() < 50 * 1024 * 1024:
            f.write(paragraph * 100)
    code = (
        "from rag import RAG\n"
        "from rag.bench import peak_rss_mb\n"
        f"r = RAG(data_dir={str(tmp_path / 'index')!r}).ingest([{str(big)!r}])\n"
        "assert not r.failed, r.failed\n"
        "print(r.passages_added, peak_rss_mb())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, out.stderr[-2000:]
    passages, peak_mb = map(int, out.stdout.split())
    # One paragraph repeated: each distinct passage is indexed once, not 60,000 copies of it.
    assert 0 < passages < 50
    assert peak_mb < 4000, f"peak RSS {peak_mb} MB"


def test_chroma_server_is_one_setting_away(tmp_path, seeds_dir):
    port = free_port()
    chroma = Path(RAG_BIN).with_name("chroma")
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port),
                               "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                RAG(data_dir=str(tmp_path / "probe"), chroma_url=url).store.collection
                break
            except StoreError:
                assert time.time() < deadline, "chroma run did not start"
                time.sleep(0.5)
        env = {"RAG_CHROMA_URL": url}
        data = str(tmp_path / "index")
        assert run_cli("ingest", str(seeds_dir), "--data-dir", data, env=env).returncode == 0
        assert not (Path(data) / "chroma").exists()  # the vectors live in the server
        out = run_cli("search", OVERCAPACITY_ZH, "--json", "--data-dir", data, env=env)
        assert "避免产能过剩" in json.loads(out.stdout)[0]["text"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    down = run_cli("search", OVERCAPACITY, "--data-dir", data, env=env)
    assert down.returncode == 2
    assert url in down.stderr and "chroma run" in down.stderr and "Traceback" not in down.stderr


def test_a_collection_of_repeats_does_not_hide_the_one_line_that_answers(tmp_path):
    """A large file of one sentence repeated beside a one-line HTML page: search still returns
    k distinct passages, the lexical hit first, and the question is answered from it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "repeats.txt").write_text("The committee will review the quarterly figures next week. " * 40_000)
    (docs / "lighthouse.html").write_text(
        "<html><body><p>The lighthouse keeper counted 417 ships in 2023.</p></body></html>")
    (docs / "bakery.txt").write_text("The bakery sells rye bread every morning.\n\nIts ovens were rebuilt in 2019.\n")
    rag = RAG(data_dir=str(tmp_path / "index"), llm="extractive")
    report = rag.ingest([docs])
    assert not report.failed
    question = "How many ships did the lighthouse keeper count?"
    for mode in ("fused", "dense"):
        found = rag.search(question, k=3, mode=mode)
        assert len(found) == 3, mode
        assert len({r.passage.text for r in found}) == 3, mode
        assert found[0].passage.source.endswith("lighthouse.html"), mode
    # BM25 alone finds only the passage that shares words with the question.
    assert [r.passage.source.endswith("lighthouse.html") for r in rag.search(question, k=3, mode="bm25")] == [True]
    answer = rag.ask(question)
    assert not answer.refused
    assert "417" in answer.answer and answer.citations[0].source.endswith("lighthouse.html")


def test_random_bytes_are_refused_whatever_the_extension(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = __import__("random").Random(3)
    (docs / "binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(50_000)))
    # Bytes that a code page accepts: no NUL, no control characters, a UTF-16 byte-order mark.
    (docs / "utf16.md").write_bytes(b"\xff\xfe" + bytes(rng.randrange(0x20, 256) for _ in range(50_000)))
    (docs / "fine.txt").write_text("A real sentence about ships.\n")
    out = run_cli("ingest", str(docs), "--data-dir", str(tmp_path / "index"))
    assert out.returncode == 1
    assert out.stderr.count("looks like a binary file") + out.stderr.count("cannot be decoded") == 2
    assert "binary.txt" in out.stderr and "utf16.md" in out.stderr and "Traceback" not in out.stderr
    assert "1 added" in out.stdout


def test_passage_text_is_kept_once_in_the_stored_document(tmp_path):
    import sqlite3

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Bees pollinate almonds in California. Almond blossoms open in February.\n\n"
                                "Hives are rented by the week.", encoding="utf-8")
    rag = RAG(data_dir=str(tmp_path / "index"), llm="extractive")
    rag.ingest([docs])
    db = sqlite3.connect(rag.store.db_path)
    assert db.execute("SELECT count(*) FROM passages").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM passages WHERE text != ''").fetchone()[0] == 0  # not in the catalogue
    hits = rag.search("When do almond blossoms open?", k=2)
    assert hits and hits[0].passage.text
    for h in hits:
        assert rag.store.document_text(h.passage.source)[h.passage.start:h.passage.end] == h.passage.text
    # A catalogue written before (text in the row) still reads as it was.
    pid = hits[0].passage.id
    db.execute("UPDATE passages SET text=? WHERE id=?", ("the row's own text", pid))
    db.commit()
    db.close()
    assert RAG(data_dir=str(tmp_path / "index"), llm="extractive").store.passages([pid])[pid].text == "the row's own text"


def test_dense_search_finds_the_true_nearest_passages_also_in_an_older_index(tmp_path, seeds_dir):
    """Chroma rebuilds a small index's graph each time it opens, differently each time; at its
    default search breadth a search could miss the nearest passages, and answers changed between
    runs. An index made that way is widened when opened, and its searches are exact."""
    import chromadb
    import numpy as np

    from rag.store import HNSW

    RAG(data_dir=str(tmp_path / "index")).ingest([seeds_dir])
    client = chromadb.PersistentClient(str(tmp_path / "index" / "chroma"),
                                       settings=chromadb.Settings(anonymized_telemetry=False))
    (old,) = client.list_collections()
    old.modify(configuration={"hnsw": {"ef_search": 10}})
    del client, old

    rag = RAG(data_dir=str(tmp_path / "index"))
    collection = rag.store.collection
    assert collection.configuration["hnsw"]["ef_search"] == HNSW["ef_search"]
    got = collection.get(include=["embeddings"])
    vectors = np.array(got["embeddings"])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for query in (OVERCAPACITY, OVERCAPACITY_ZH, "Who founded Touch Shanghai?", "江苏省的产业"):
        vec = np.asarray(rag.store.embedder.encode([query], query=True)[0], dtype=float)
        exact = [got["ids"][i] for i in np.argsort(-(vectors @ (vec / np.linalg.norm(vec))))[:8]]
        assert [pid for pid, _ in rag.store.dense_search(vec, 8)] == exact, query


def test_figures_carry_a_question_across_languages(tmp_path):
    # The Chinese form of an English question keeps its figures (2006, 17, 1,600): figures are
    # the same in both languages, and among many paragraphs on one subject they single out the
    # one that states them (eval/bench_verifier.py: cross-lingual claims whose evidence the
    # search missed, 10 -> 8 of 74). The paragraph is then found first.
    paragraphs = ("美特斯邦威由周成建创立，总部位于上海，主要经营休闲服饰，门店遍布全国各地。",
                  "至2006年在全国开设17家分公司，全中国范围内拥有1600家专卖店，系统零售额突破40亿元人民币。",
                  "2008年，公司在深圳证券交易所上市，分公司和专卖店数量继续增长。")
    rag = rag_over_files(tmp_path, {**{f"brand{i}.txt": text + "\n" for i, text in enumerate(paragraphs)},
                                    "en.txt": "The city office publishes tide tables for sailors every morning.\n"})
    question = "By 2006 Meters/bonwe had opened 17 branch companies and 1,600 specialty stores across China."
    forms = rag.retriever.forms(question)
    other = forms.queries[forms.expansion_at]
    assert {"2006", "17", "1600"} <= set(other.split()), other
    assert "1600家专卖店" in rag.search(question, k=1)[0].passage.text


def test_names_in_pinyin_carry_a_question_across_languages(tmp_path):
    # The dictionary has no entry for the people and towns of an encyclopedia page; English
    # writes them in pinyin. "Ma Biao" finds 马飚 among Chinese biographies that all answer
    # "where from", and 谷大用 finds "Gu Dayong" among English ones (cross-lingual claims whose
    # evidence the search found, eval/bench_verifier.py: 0.842 -> 0.878 of 111).
    bios = ("马飚，壮族，广西田阳人；中央民族学院政治系毕业。",
            "王爱爱，女，1940年生，山西省榆次人。被誉为晋剧皇后。",
            "严长寿，出生于上海市，祖籍浙江杭州，台湾基隆中学毕业。")
    english = ("Gu Dayong was a court eunuch who commanded the capital garrison against the rebels.",
               "Zhang Yong was a court official who managed the imperial treasury for a decade.",
               "Liu Jin was a court official who controlled the palace guards until his arrest.")
    rag = rag_over_files(tmp_path, {**{f"zh{i}.txt": text + "\n" for i, text in enumerate(bios)},
                                    **{f"en{i}.txt": text + "\n" for i, text in enumerate(english)}})
    # The question's own best passage comes first, the best of its other-language form second.
    for question, start in (("Where does Ma Biao come from?", "马飚"), ("Which town is Wang Aiai from?", "王爱爱"),
                            ("谷大用指挥过哪支军队？", "Gu Dayong")):
        found = [r.passage.text for r in rag.search(question, k=2)]
        assert any(text.startswith(start) for text in found), (question, found)
