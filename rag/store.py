"""The index: a SQLite catalogue (files, passages, BM25 tokens), Chroma (dense vectors) and a
BM25 index per generation.

The SQLite transaction is the commit point of an ingest. New vectors are upserted into Chroma
and a new BM25 generation is written *before* the commit; stale vectors and old generations are
deleted *after* it. A run killed at any moment therefore leaves the previous catalogue, its BM25
generation and all its vectors in place; stray vectors are invisible (every dense hit is
checked against the catalogue) and collected by the next ingest.

This module holds the storage and its operations; `rag/ingest.py` decides what to write.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlparse

from .abbreviations import definitions, used_in
from .bylines import authors
from .errors import StoreError
from .lexical import BM25Index, tokenize
from .settings import Settings
from .types import Document, Passage

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    source TEXT PRIMARY KEY, content_hash TEXT NOT NULL, signature TEXT NOT NULL,
    title TEXT, lang TEXT, author TEXT, date TEXT, encoding TEXT,
    size INTEGER, n_passages INTEGER, ingested_at REAL
);
CREATE TABLE IF NOT EXISTS passages (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, ordinal INTEGER, start INTEGER, "end" INTEGER,
    title TEXT, lang TEXT, text TEXT NOT NULL, tokens TEXT NOT NULL, text_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_source ON passages(source);
CREATE INDEX IF NOT EXISTS passages_text_hash ON passages(text_hash);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass
class FileInfo:
    source: str
    title: str
    lang: str
    author: str | None
    date: str | None
    n_passages: int
    size: int
    content_hash: str


UNRECORDED = "all-MiniLM-L6-v2 (not recorded: an index from before 0.2)"


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


# The vector index. Chroma keeps a small collection's HNSW graph in its log and rebuilds it each
# time the store opens; the graph differs from run to run, and with Chroma's default search
# breadth (ef_search 100) a search sometimes missed the nearest passages, so the same question
# got other passages, and another answer, after a restart. A search breadth of 500 finds the
# true nearest ones: on the 572 benchmark claims over 823 passages, queries whose top 10 missed
# a true top-10 neighbour went from 0.3-1.2% (varying by run) to 0 in three runs, at 0.75 ms a
# query (median). A denser graph (32 neighbours, built at 200) helps the same way.
HNSW = {"space": "cosine", "ef_construction": 200, "max_neighbors": 32, "ef_search": 500}


def _widen_search(collection) -> None:
    """An index made before the setting above searches at Chroma's default breadth: widen it."""
    try:
        if (collection.configuration.get("hnsw") or {}).get("ef_search", 0) < HNSW["ef_search"]:
            collection.modify(configuration={"hnsw": {"ef_search": HNSW["ef_search"]}})
    except Exception:  # a server that cannot change it still answers, as before
        pass


DOC_CACHE_CHARS = 32_000_000  # document texts kept in memory to slice passages from (about 64-128 MB)
TERMS_CACHE_DOCS = 4096  # documents whose abbreviations are kept in memory (a small dictionary each)
# A passage row and the content hash of its document: the text is that document's [start:end].
_PASSAGE_ROWS = ("SELECT p.*, f.content_hash AS doc_hash FROM passages p JOIN files f ON f.source = p.source")


class Store:
    """The data folder: catalogue, vectors and BM25, behind a few methods."""

    def __init__(self, settings: Settings, embedder=None):
        self.settings = settings
        self.dir = Path(settings.data_dir).expanduser().resolve()
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"Cannot create the data folder {self.dir}: {e.strerror}.") from None
        self.db_path = self.dir / "catalog.sqlite3"
        self._embedder = embedder
        self._collection = None
        self._bm25: BM25Index | None = None
        self._bm25_gen = -1
        self._counted: tuple[int, int] = (-1, 0)  # (generation, passages in it)
        self._checked_gen = -1  # the generation whose embedding model was checked
        self._client = None
        self._lock = threading.RLock()
        self._docs: OrderedDict[str, str] = OrderedDict()  # content hash -> text, least recently used first
        self._docs_chars = 0
        self._terms: OrderedDict[str, tuple] = OrderedDict()  # content hash -> (abbreviations defined, authors)
        with self._connect() as db:
            db.executescript(SCHEMA)

    # ---------------------------------------------------------------- plumbing
    @property
    def embedder(self):
        if self._embedder is None:
            from .embeddings import get_embedder

            self._embedder = get_embedder(self.settings.embed_model, self.settings.cache_dir)
        return self._embedder

    def embedder_label(self) -> str:
        """The embedding model this store writes and reads with, named without loading it."""
        if self._embedder is not None:
            return self._embedder.identity
        from .embeddings import model_label

        return model_label(self.settings.embed_model)

    def index_embedder(self) -> str | None:
        """The embedding model the committed index was built with; None for an empty index.
        An index from before the model was recorded (always all-MiniLM-L6-v2) says so."""
        with self._connect() as db:
            recorded = self._meta(db, "embedder")
            if recorded:
                return recorded
            if db.execute("SELECT 1 FROM passages LIMIT 1").fetchone():
                return UNRECORDED
        return None

    def check_embedder(self) -> None:
        """Refuse to search vectors of another model: their scores would be noise."""
        built = self.index_embedder()
        current = self.embedder_label()
        if built is not None and built != current:
            raise StoreError(
                f"The index in {self.dir} was built with the embedding model {built!r}, but this run uses "
                f"{current!r}. Run `rag ingest <your folders> --data-dir {self.dir}` to re-embed it"
                + ("" if built == UNRECORDED else f", or set RAG_EMBED_MODEL={built!r} to use it as it is") + "."
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"Cannot open the catalogue {self.db_path}: {e}.") from None
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")  # readers keep the old state while an ingest writes
        db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield db
        finally:
            db.close()

    def _meta(self, db: sqlite3.Connection, key: str, default: str = "") -> str:
        row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    @property
    def collection(self):
        if self._collection is None:
            with self._lock:
                if self._collection is None:
                    self._collection = self._open_collection()
        return self._collection

    def _open_collection(self):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.chroma_url
        try:
            if url:
                u = urlparse(url if "://" in url else f"http://{url}")
                client = chromadb.HttpClient(
                    host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https",
                    settings=chroma_settings,
                )
                client.heartbeat()
            else:
                client = chromadb.PersistentClient(path=str(self.dir / "chroma"), settings=chroma_settings)
            self._client = client
            collection = client.get_or_create_collection(
                self.collection_name(self.embedder_label()), configuration={"hnsw": HNSW}, embedding_function=None,
            )
            _widen_search(collection)
            return collection
        except Exception as e:
            if url:
                raise StoreError(
                    f"Cannot reach the Chroma server at {url} ({type(e).__name__}). Start it with "
                    f"`chroma run --path DIR --port PORT`, or unset RAG_CHROMA_URL to use the embedded store."
                ) from None
            raise StoreError(f"Cannot open the vector store in {self.dir / 'chroma'}: {e}") from None

    def collection_name(self, embedder: str) -> str:
        """One Chroma collection per embedding model: a re-embed writes beside the old vectors,
        which stay usable until the catalogue commits to the new ones."""
        if embedder == UNRECORDED:
            return self.settings.collection
        return f"{self.settings.collection}-{hashlib.sha1(embedder.encode()).hexdigest()[:10]}"

    def signature(self) -> str:
        """What the passages of a file depend on besides its bytes: changing it re-splits files."""
        s = self.settings
        # Named from the setting, not the loaded model: a no-change re-ingest must not load it.
        return f"v3;chunk={s.chunk_tokens};overlap={s.overlap_sentences};model={self.embedder_label()}"

    # ---------------------------------------------------------------- reading
    def generation(self) -> int:
        with self._connect() as db:
            return int(self._meta(db, "generation", "0"))

    def count(self) -> int:
        with self._connect() as db:
            return db.execute("SELECT count(*) FROM passages").fetchone()[0]

    def passages_ids(self) -> list[str]:
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT id FROM passages")]

    def files(self) -> list[FileInfo]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM files ORDER BY source").fetchall()
        return [
            FileInfo(r["source"], r["title"], r["lang"], r["author"], r["date"], r["n_passages"], r["size"],
                     r["content_hash"])
            for r in rows
        ]

    def passages(self, ids: Iterable[str]) -> dict[str, Passage]:
        ids = list(ids)
        out: dict[str, Passage] = {}
        with self._connect() as db:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                q = f"{_PASSAGE_ROWS} WHERE p.id IN ({','.join('?' * len(chunk))})"
                for row in db.execute(q, chunk):
                    out[row["id"]] = self._row_to_passage(row)
        return out

    def _row_to_passage(self, row: sqlite3.Row) -> Passage:
        # Passage text is kept once, in the document's stored text; a catalogue written before
        # that still carries it in the row.
        doc = self._document(row["doc_hash"])
        text = row["text"] or (doc[row["start"]: row["end"]] if doc is not None else "")
        return Passage(
            id=row["id"], source=row["source"], title=row["title"], text=text,
            start=row["start"], end=row["end"], lang=row["lang"], ordinal=row["ordinal"],
            **self._about(row["doc_hash"], doc, text),
        )

    def _about(self, content_hash: str, doc: str | None, text: str) -> dict:
        """What the document says of itself that its passages carry: the abbreviations it
        defines that the passage uses, and its authors."""
        if not doc:
            return {}
        defined, by = self._definitions(content_hash, doc)
        return {"terms": used_in(text, defined), "authors": by}

    def _definitions(self, content_hash: str, doc: str) -> tuple[dict[str, str], tuple[str, ...]]:
        """The abbreviations a stored document defines and its authors, worked out once per document."""
        with self._lock:
            if content_hash in self._terms:
                self._terms.move_to_end(content_hash)
                return self._terms[content_hash]
        found = (definitions(doc), authors(doc))
        with self._lock:
            self._terms[content_hash] = found
            while len(self._terms) > TERMS_CACHE_DOCS:
                self._terms.popitem(last=False)
        return found

    def _document(self, content_hash: str) -> str | None:
        """A stored document text, through a cache bounded by DOC_CACHE_CHARS."""
        with self._lock:
            if content_hash in self._docs:
                self._docs.move_to_end(content_hash)
                return self._docs[content_hash]
        path = self.dir / "docs" / f"{content_hash}.txt"
        try:
            text = path.read_text(encoding="utf-8", errors="surrogatepass")
        except OSError:
            return None
        with self._lock:
            self._docs[content_hash] = text
            self._docs_chars += len(text)
            while self._docs_chars > DOC_CACHE_CHARS and len(self._docs) > 1:
                _, old = self._docs.popitem(last=False)
                self._docs_chars -= len(old)
        return text

    def neighbours(self, passage: Passage, before: int = 1, after: int = 1) -> list[Passage]:
        """The passages around one, in document order (for showing a quote in its context)."""
        with self._connect() as db:
            rows = db.execute(
                f"{_PASSAGE_ROWS} WHERE p.source=? AND p.ordinal BETWEEN ? AND ? ORDER BY p.ordinal",
                (passage.source, passage.ordinal - before, passage.ordinal + after),
            ).fetchall()
        return [self._row_to_passage(r) for r in rows]

    def document_passages(self, source: str) -> list[Passage]:
        """A document's passages in reading order."""
        with self._connect() as db:
            rows = db.execute(f"{_PASSAGE_ROWS} WHERE p.source=? ORDER BY p.ordinal", (source,)).fetchall()
        return [self._row_to_passage(r) for r in rows]

    def document_text(self, source: str) -> str | None:
        """The text that a source's offsets refer to, as it was when ingested."""
        with self._connect() as db:
            row = db.execute("SELECT content_hash FROM files WHERE source=?", (source,)).fetchone()
        return self._document(row[0]) if row else None

    def bm25(self) -> BM25Index:
        """The BM25 index of the committed generation, loaded once and reloaded after an ingest."""
        gen = self.generation()
        with self._lock:
            if self._bm25 is None or self._bm25_gen != gen:
                folder = self.dir / "bm25" / f"gen-{gen}"
                try:
                    index = BM25Index.load(folder)
                except (OSError, ValueError):
                    # Missing or damaged: rebuild from the catalogue, which is the truth.
                    with self._connect() as db:
                        index = self._build_bm25(db)
                    index.save(folder)
                self._bm25, self._bm25_gen = index, gen
            return self._bm25

    def _build_bm25(self, db: sqlite3.Connection) -> BM25Index:
        rows = db.execute("SELECT id, tokens FROM passages ORDER BY rowid").fetchall()
        return BM25Index.build([r[0] for r in rows], (r[1].split(" ") if r[1] else [] for r in rows))

    def check_embedder_once(self) -> None:
        """check_embedder(), once per committed generation (named from the setting: the model
        itself need not be loaded to be refused)."""
        gen = self.generation()
        if self._checked_gen != gen:
            self.check_embedder()
            self._checked_gen = gen

    def committed_count(self) -> int:
        """Passages in the committed generation, counted once per generation: `count(*)` scans
        the table (about 1.4 ms at 100k passages), and every dense query needs the figure."""
        gen = self.generation()
        with self._lock:
            if self._counted[0] != gen:
                self._counted = (gen, self.count())
            return self._counted[1]

    def dense_search(self, vector, n: int) -> list[tuple[str, float]]:
        total = self.committed_count()
        if total == 0:
            return []
        self.check_embedder_once()
        try:
            res = self.collection.query(
                query_embeddings=[list(map(float, vector))], n_results=min(n, total), include=["distances"]
            )
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"The vector store failed to answer a query: {e}") from None
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    # ---------------------------------------------------------------- writing
    # The order of an ingest (rag/ingest.py): ingest_lock() → collect_strays() → transaction():
    # add_passages / delete_passages / put_file / remove_file, then commit() → drop_collection()
    # of a replaced embedding model → delete_vectors() of stale passages → finish_ingest().
    @contextmanager
    def ingest_lock(self) -> Iterator[None]:
        """One ingest at a time per data folder (an OS lock: released if the process dies)."""
        lock = open(self.dir / ".ingest.lock", "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise StoreError(f"Another ingest is running on {self.dir}; wait for it to finish.") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
            lock.close()

    def known_files(self) -> dict[str, tuple[str, str]]:
        """Every committed file: source -> (content hash, signature it was split with)."""
        with self._connect() as db:
            return {r[0]: (r[1], r[2]) for r in db.execute("SELECT source, content_hash, signature FROM files")}

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """The one SQLite transaction of an ingest, rolled back unless `commit()` is reached.
        Vectors and document texts it writes outside SQLite stay, unreferenced, after a rollback
        or a crash; the `ingest_running` flag, set first and cleared by finish_ingest(), tells
        the next ingest to collect them."""
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('ingest_running', '1')")
            tx = Transaction(self, db)
            db.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            finally:
                if not tx.committed:
                    db.execute("ROLLBACK")

    def drop_collection(self, embedder: str) -> None:
        """Drop the vectors of another embedding model (after a commit re-embedded the index)."""
        self.collection  # noqa: B018 - opens the client
        try:
            self._client.delete_collection(self.collection_name(embedder))
        except Exception:  # already gone
            pass

    def delete_vectors(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 5000):
            self.collection.delete(ids=ids[i : i + 5000])

    def finish_ingest(self) -> None:
        """After a commit: drop old BM25 generations and texts no file uses; clear the flag."""
        with self._connect() as db:
            gen = int(self._meta(db, "generation", "0"))
            for folder in (self.dir / "bm25").glob("gen-*"):
                if folder.name != f"gen-{gen}":
                    shutil.rmtree(folder, ignore_errors=True)
            live = {r[0] for r in db.execute("SELECT content_hash FROM files")}
            for f in (self.dir / "docs").glob("*"):
                if f.stem not in live:
                    f.unlink(missing_ok=True)
            db.execute("DELETE FROM meta WHERE key='ingest_running'")

    def collect_strays(self) -> None:
        """After a killed ingest: drop vectors the catalogue does not know."""
        with self._connect() as db:
            if self._meta(db, "ingest_running") != "1":
                return
            live = {r[0] for r in db.execute("SELECT id FROM passages")}
        self.delete_vectors([i for i in self.collection.get(include=[])["ids"] if i not in live])
        self.finish_ingest()

    def stats(self) -> dict:
        with self._connect() as db:
            return {
                "data_dir": str(self.dir),
                "files": db.execute("SELECT count(*) FROM files").fetchone()[0],
                "passages": db.execute("SELECT count(*) FROM passages").fetchone()[0],
                "generation": int(self._meta(db, "generation", "0")),
                "chroma": self.settings.chroma_url or str(self.dir / "chroma"),
            }


class Transaction:
    """An ingest's writes, inside `Store.transaction()`: readers see none of them until
    `commit()`. Vectors go into Chroma at once, catalogue rows at the commit. A changed passage
    has a new id (rag.splitter makes ids from the file's path, content and split signature), so
    an upsert never replaces a vector that the committed catalogue's text relies on."""

    def __init__(self, store: Store, db: sqlite3.Connection):
        self.store = store
        self.db = db
        self.committed = False

    def passage_ids(self, source: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM passages WHERE source=?", (source,))]

    def reusable_vectors(self, hashes: set[str]) -> dict[str, list[float]]:
        """Vectors of passages whose exact text is already indexed (edits, repeats, renames)."""
        if not hashes:
            return {}
        marks = ",".join("?" * len(hashes))
        rows = self.db.execute(
            f"SELECT text_hash, min(id) FROM passages WHERE text_hash IN ({marks}) GROUP BY text_hash", list(hashes)
        ).fetchall()
        if not rows:
            return {}
        by_id = {r[1]: r[0] for r in rows}
        got = self.store.collection.get(ids=list(by_id), include=["embeddings"])
        return {by_id[i]: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"])}

    def add_passages(self, passages: list[Passage], hashes: list[str], vectors: list[list[float]]) -> None:
        """Upsert the passages' vectors, then their catalogue rows: offsets, BM25 tokens and text
        hash (the text itself is the stored document's [start:end])."""
        try:
            # Vectors only: the passage text lives once, in the stored document (Chroma's copy was never read).
            self.store.collection.upsert(ids=[p.id for p in passages], embeddings=vectors)
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"The vector store refused new passages: {e}") from None
        self.db.executemany(
            'INSERT OR REPLACE INTO passages (id, source, ordinal, start, "end", title, lang, text, tokens, text_hash)'
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            [
                (p.id, p.source, p.ordinal, p.start, p.end, p.title, p.lang, "", " ".join(tokenize(p.text)), h)
                for p, h in zip(passages, hashes)
            ],
        )

    def delete_passages(self, ids: list[str]) -> None:
        """Catalogue rows only: their vectors are deleted after the commit (`Store.delete_vectors`)."""
        self.db.executemany("DELETE FROM passages WHERE id=?", [(i,) for i in ids])

    def put_file(self, doc: Document, signature: str, size: int, n_passages: int) -> None:
        """Record a file, and keep its text: the text that its passages' offsets refer to."""
        folder = self.store.dir / "docs"
        folder.mkdir(exist_ok=True)
        path = folder / f"{doc.content_hash}.txt"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_text(doc.text, encoding="utf-8", errors="surrogatepass")
            os.replace(tmp, path)
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (doc.source, doc.content_hash, signature, doc.title, doc.lang, doc.author, doc.date,
             doc.encoding, size, n_passages, time.time()),
        )

    def remove_file(self, source: str) -> list[str]:
        """Drop a file and its passages from the catalogue; the ids whose vectors are now stale."""
        ids = self.passage_ids(source)
        self.db.execute("DELETE FROM passages WHERE source=?", (source,))
        self.db.execute("DELETE FROM files WHERE source=?", (source,))
        return ids

    def commit(self) -> int:
        """Write the new BM25 generation, then commit the catalogue that names it; the generation."""
        gen = int(self.store._meta(self.db, "generation", "0")) + 1
        self.store._build_bm25(self.db).save(self.store.dir / "bm25" / f"gen-{gen}")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('embedder', ?)", (self.store.embedder_label(),))
        self.db.execute("COMMIT")
        self.committed = True
        return gen
