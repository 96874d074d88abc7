"""Ingest: bring the index in line with files on disk.

walk the given paths → diff each file against the catalogue (SHA-256 of its bytes, and the
signature it was split with) → for each new or changed file: load, split, embed (reusing the
vectors of text already indexed), write → remove files that are gone → commit → free space.

The storage operations and the commit protocol are `rag.store`'s: everything is written inside
one `Store.transaction()`, invisible to readers until `commit()`; stale vectors, an old
embedding model's collection, old BM25 generations and unused document texts are freed only
after it, and a run that dies before (or between) leaves strays that the next ingest collects.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .errors import InputError
from .store import Store, Transaction, text_hash
from .types import Document, Passage

BATCH = 256  # passages embedded and written together


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    passages_added: int = 0
    passages_embedded: int = 0  # passages whose vectors were computed (the rest were reused)
    seconds: float = 0.0
    embed_seconds: float = 0.0
    reembedded_from: str = ""  # the embedding model the index was built with, when it changed

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.removed)} removed",
        ]
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        note = (f"The index was built with the embedding model {self.reembedded_from!r}: every document was "
                "embedded again with the current one. " if self.reembedded_from else "")
        return (
            f"{note}Ingested: {', '.join(parts)}; {self.passages_added} passages "
            f"({self.passages_embedded} embedded) in {self.seconds:.1f}s"
        )


def ingest(store: Store, paths: Iterable[str | Path], progress: bool = False) -> IngestReport:
    """Bring the index in line with the given files and folders: add, replace, remove."""
    from .loaders import iter_files

    report = IngestReport()
    t0 = time.perf_counter()
    roots = [Path(p).expanduser().resolve() for p in paths]
    files = list(iter_files(roots))  # raises InputError for a missing path
    with store.ingest_lock():
        store.collect_strays()
        known = store.known_files()
        signature = store.signature()
        built, current = store.index_embedder(), store.embedder_label()
        if built is not None and built != current:
            # Every document is embedded again, those ingested from other folders too; one
            # whose file is gone cannot be, and leaves the index.
            report.reembedded_from = built
            files += [Path(s) for s in known if Path(s).exists() and Path(s) not in files]
        todo: list[tuple[Path, int]] = []
        for path in files:
            source = path.as_posix()
            try:
                raw = path.read_bytes()
            except OSError as e:
                report.failed.append((source, f"{source}: cannot read ({e.strerror})."))
                continue
            if known.get(source) == (hashlib.sha256(raw).hexdigest(), signature):
                report.unchanged.append(source)
            else:
                todo.append((path, len(raw)))
            del raw  # the loader reads it again: holding every changed file would not scale
        seen = {p.as_posix() for p in files}
        gone = [
            s for s in known
            if s not in seen and (report.reembedded_from or any(_under(s, r) for r in roots if r.is_dir()))
            and not Path(s).exists()
        ]
        if todo or gone:
            _apply(store, todo, gone, known, signature, report, progress)
    report.seconds = time.perf_counter() - t0
    return report


def remove(store: Store, sources: Iterable[str]) -> IngestReport:
    """Drop documents (and their passages) from the index."""
    sources = list(sources)
    report = IngestReport()
    t0 = time.perf_counter()
    with store.ingest_lock():
        known = store.known_files()
        missing = [s for s in sources if s not in known]
        if missing:
            raise InputError(f"Not in the index: {', '.join(missing)}.")
        _apply(store, [], [s for s in sources if s in known], known, store.signature(), report, progress=False)
    report.seconds = time.perf_counter() - t0
    return report


def _apply(store: Store, todo: list[tuple[Path, int]], gone: list[str], known: dict, signature: str,
           report: IngestReport, progress: bool) -> None:
    """Write the changed files and drop the gone ones in one transaction, then free space."""
    from .loaders import load_document

    max_bytes = int(store.settings.max_file_mb * 1024 * 1024)
    stale_ids: list[str] = []
    bar = _progress(len(todo), progress)
    try:
        with store.transaction() as tx:
            for path, size in todo:
                source = path.as_posix()
                bar.set_postfix_str(path.name[-30:], refresh=False)
                try:
                    doc = load_document(path, max_bytes=max_bytes)
                except InputError as e:
                    report.failed.append((source, str(e)))
                    bar.update(1)
                    continue
                old_ids = tx.passage_ids(source)
                new_ids = _add_document(store, tx, doc, signature, report, bar)
                # An id names one text: the file's path and content and the signature it was
                # split with. A passage keeps its id only when the file is split again exactly
                # as before (it changed back between the diff and the load); such a passage was
                # just rewritten with the same text, and must not be deleted as stale.
                old_ids = [i for i in old_ids if i not in new_ids]
                if not new_ids:
                    report.failed.append((source, f"{source}: no text left after removing boilerplate."))
                    bar.update(1)
                    continue
                # Old passages go after the new ones are in, so unchanged text reuses its vectors.
                tx.delete_passages(old_ids)
                stale_ids += old_ids
                tx.put_file(doc, signature, size, len(new_ids))
                (report.updated if source in known else report.added).append(source)
                bar.update(1)
            for source in gone:
                stale_ids += tx.remove_file(source)
                report.removed.append(source)
            tx.commit()
    finally:
        bar.close()
    # Committed: what follows only frees space; a crash here is repaired next time.
    if report.reembedded_from:
        store.drop_collection(report.reembedded_from)
    store.delete_vectors(stale_ids)
    store.finish_ingest()


def _add_document(store: Store, tx: Transaction, doc: Document, signature: str, report: IngestReport,
                  bar) -> set[str]:
    """Split, embed and write a document's passages; their ids."""
    from .splitter import split_document

    s = store.settings
    passages = split_document(doc, store.embedder.count_tokens, s.chunk_tokens, s.overlap_sentences,
                              signature=signature)
    count = 0
    ids: set[str] = set()
    batch: list[Passage] = []
    seen: set[str] = set()
    for p in passages:
        # A passage repeating an earlier one of the same document word for word adds nothing
        # to find or quote, and a file of one sentence repeated would otherwise fill every
        # top-k with copies.
        if p.text in seen:
            continue
        seen.add(p.text)
        ids.add(p.id)
        batch.append(p)
        if len(batch) >= BATCH:
            count += _add_batch(store, tx, batch, report)
            bar.set_postfix_str(f"{doc.name[-30:]} {count} passages", refresh=True)
            batch = []
    if batch:
        _add_batch(store, tx, batch, report)
    return ids


def _add_batch(store: Store, tx: Transaction, batch: list[Passage], report: IngestReport) -> int:
    """Embed the passages whose text is not indexed yet, and write the batch."""
    hashes = [text_hash(p.text) for p in batch]
    vectors = tx.reusable_vectors(set(hashes))
    todo = {h: p.text for h, p in zip(hashes, batch) if h not in vectors}
    if todo:
        t = time.perf_counter()
        encoded = store.embedder.encode(list(todo.values()))
        report.embed_seconds += time.perf_counter() - t
        report.passages_embedded += len(todo)
        vectors.update(zip(todo.keys(), encoded.tolist()))
    tx.add_passages(batch, hashes, [vectors[h] for h in hashes])
    report.passages_added += len(batch)
    return len(batch)


def _under(source: str, root: Path) -> bool:
    return source == root.as_posix() or source.startswith(root.as_posix().rstrip("/") + "/")


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="Ingesting", disable=not enabled, leave=False, dynamic_ncols=True)
