"""Question sets: JSONL sets and SQuAD-format files (also what `rag bench-retrieval` loads)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..text import detect_lang
from .config import LANGS


@dataclass
class Question:
    """One evaluation question. `evidence` holds texts a correct answer rests on (verbatim
    from the sources, whitespace aside); unanswerable questions have none."""

    id: str
    q: str
    answerable: bool
    lang: str
    sources: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class EvalSet:
    path: str
    kind: str  # "jsonl" | "squad"
    questions: list[Question]
    documents: list[Path] = field(default_factory=list)  # files to ingest (SQuAD contexts)
    index_dir: str | None = None  # where a SQuAD collection is indexed when no --data-dir is given


def load_jsonl(path: str | Path) -> list[Question]:
    """Questions from a JSONL file; a malformed line is an InputError naming the line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such question set.") from None
    out: list[Question] = []
    seen: set[str] = set()
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{no}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            raise InputError(f"{where}: not JSON ({e}).") from None
        if not isinstance(obj, dict):
            raise InputError(f"{where}: expected a JSON object.")
        missing = [k for k in ("id", "q", "answerable") if k not in obj]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}.")
        if not isinstance(obj["answerable"], bool):
            raise InputError(f"{where}: \"answerable\" must be true or false.")
        q = str(obj["q"]).strip()
        if not q:
            raise InputError(f"{where}: empty question.")
        qid = str(obj["id"])
        if qid in seen:
            raise InputError(f"{where}: duplicate id {qid!r}.")
        seen.add(qid)
        evidence = obj.get("evidence") or []
        sources = obj.get("sources") or []
        if not isinstance(evidence, list) or not isinstance(sources, list):
            raise InputError(f"{where}: \"evidence\" and \"sources\" must be lists.")
        lang = obj.get("lang") or detect_lang(q)
        if lang not in LANGS:
            raise InputError(f"{where}: \"lang\" must be one of {', '.join(LANGS)}.")
        out.append(Question(qid, q, obj["answerable"], lang, [str(s) for s in sources],
                            [str(e) for e in evidence if str(e).strip()], [str(t) for t in obj.get("tags") or []]))
    if not out:
        raise InputError(f"{path}: no questions.")
    return out


# ------------------------------------------------------------ SQuAD-format files
@dataclass
class SquadQuestion:
    id: str
    question: str
    answers: list[str]  # gold answer texts; empty for an unanswerable (SQuAD 2 `is_impossible`) question
    context_index: int


def load_squad(path: str | Path, unanswerable: bool = False) -> tuple[list[str], list[str], list[SquadQuestion]]:
    """(titles, contexts, questions) from a SQuAD-format JSON file. The questions are the
    answerable ones; with `unanswerable`, the `is_impossible` ones (SQuAD 2) follow them, with
    no answers."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles = data["data"]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except (ValueError, KeyError, TypeError):
        raise InputError(f"{path}: not a SQuAD-format JSON file (expected {{\"data\": [{{\"paragraphs\": ...}}]}}).") from None
    titles, contexts, questions, impossible = [], [], [], []
    for article in articles:
        for para in article.get("paragraphs", []):
            ctx = para.get("context", "")
            if not ctx.strip():
                continue
            idx = len(contexts)
            contexts.append(ctx)
            titles.append(article.get("title") or ctx.strip().split("\n", 1)[0][:80])
            for qa in para.get("qas", []):
                if not qa.get("question", "").strip():
                    continue
                if qa.get("is_impossible"):
                    impossible.append(SquadQuestion(str(qa.get("id")), qa["question"], [], idx))
                    continue
                answers = [a["text"] for a in qa.get("answers", []) if a.get("text", "").strip()]
                if answers:
                    questions.append(SquadQuestion(str(qa.get("id", len(questions))), qa["question"], answers, idx))
    return titles, contexts, questions + (impossible if unanswerable else [])


def squad_file_name(index: int) -> str:
    """The file the index-th SQuAD context is written to by write_collection."""
    return f"ctx_{index:05d}.txt"


def write_collection(contexts: list[str], folder: Path) -> list[Path]:
    """Each context as a text file in the folder (kept when already there); their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, ctx in enumerate(contexts):
        p = folder / squad_file_name(i)
        if not p.exists():
            p.write_text(ctx, encoding="utf-8")
        paths.append(p)
    return paths


def load_squad_set(path: str | Path, cache_dir: str | None = None) -> EvalSet:
    """A SQuAD-format file as an evaluation set: gold answer texts become evidence, contexts
    become documents (written under the cache folder), `is_impossible` questions (SQuAD 2)
    become unanswerable ones."""
    from ..settings import load_settings

    path = Path(path)
    titles, contexts, squad_qs = load_squad(path, unanswerable=True)
    questions = [
        Question(q.id, q.question, True, detect_lang(q.question), [squad_file_name(q.context_index)], list(q.answers),
                 ["squad"]) if q.answers else
        Question(q.id, q.question, False, detect_lang(q.question), [], [], ["squad", "unanswerable"])
        for q in squad_qs
    ]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    base = Path(cache_dir or load_settings().cache_dir) / "eval" / f"{path.stem}-{digest}"
    docs = write_collection(contexts, base / "docs")
    return EvalSet(str(path), "squad", questions, docs, str(base / "index"))


def load_set(path: str | Path, cache_dir: str | None = None) -> EvalSet:
    """JSONL question set, or SQuAD-format JSON (recognised by its {"data": [...]} shape)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such question set.")
    if path.suffix.lower() == ".json":
        head = path.read_text(encoding="utf-8", errors="replace")[:4096].lstrip()
        if head.startswith("{") and '"data"' in head:
            return load_squad_set(path, cache_dir)
    return EvalSet(str(path), "jsonl", load_jsonl(path))
