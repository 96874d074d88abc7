"""`rag` on the command line: a thin layer over the Python API (rag.api.RAG)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import RagError
from .settings import load_settings


def _dump(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _rag(args, **extra):
    from .api import RAG

    return RAG(data_dir=getattr(args, "data_dir", None), **extra)


def cmd_ingest(args) -> int:
    rag = _rag(args)
    built, current = rag.store.index_embedder(), rag.store.embedder_label()
    if built is not None and built != current:
        print(f"The index in {rag.store.dir} was built with the embedding model {built!r}; "
              f"re-embedding every document with {current!r}.", file=sys.stderr)
    report = rag.ingest(args.paths, progress=not args.json and sys.stderr.isatty())
    for _, message in report.failed:
        print(f"error: {message}", file=sys.stderr)
    if args.json:
        _dump({
            "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
            "removed": report.removed, "failed": [{"source": s, "error": m} for s, m in report.failed],
            "passages_added": report.passages_added, "passages_embedded": report.passages_embedded,
            "seconds": round(report.seconds, 3), "embed_seconds": round(report.embed_seconds, 3),
            "index": rag.store.stats(),
        })
    else:
        stats = rag.store.stats()
        print(report.summary())
        print(f"Index: {stats['files']} files, {stats['passages']} passages in {stats['data_dir']}")
    return 1 if report.failed else 0


def cmd_search(args) -> int:
    rag = _rag(args)
    results = rag.search(args.question, k=args.k, mode=args.mode)
    if args.json:
        _dump([r.to_json() for r in results])
        return 0
    if not results:
        print("No passages found. Is anything ingested? Try `rag ingest seeds/`.")
    for i, r in enumerate(results, 1):
        p = r.passage
        text = " ".join(p.text.split())
        print(f"[{i}] {r.score:.4f}  {p.title}  ({Path(p.source).name}:{p.start}-{p.end})")
        print(f"    {text[:400]}{'…' if len(text) > 400 else ''}")
    return 0


def cmd_ask(args) -> int:
    rag = _rag(args, **({"llm": args.backend} if args.backend else {}))
    history = json.loads(Path(args.history).read_text()) if args.history else None
    answer = rag.ask(args.question, history=history, backend=args.backend, k=args.k)
    if args.json:
        _dump(answer.to_json())
        return 0
    print(answer.answer)
    if answer.citations:
        print()
        for c in answer.citations:
            quote = " ".join(c.quote.split())
            print(f'[{c.n}] {c.title} — "{quote}"')
    if answer.unsupported:
        print(f"\n({len(answer.unsupported)} unsupported sentence(s) removed: use --json to see them)")
    note = f" — {answer.backend_note}" if answer.backend_note else ""
    print(f"\n[backend: {answer.backend}{note}; {answer.timings.get('total', 0):.1f}s]", file=sys.stderr)
    return 0


def _quoted(c) -> str:
    """A quote on one line, with its file and offsets."""
    return f"“{' '.join(c.quote.split())}”  ({Path(c.source).name}:{c.start}-{c.end})"


def cmd_check(args) -> int:
    if (args.text is None) == (args.file is None):
        raise RagError("Give the text to check, or --file F (not both).")
    text = args.text
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise RagError(f"Cannot read {args.file}: {getattr(e, 'strerror', None) or e}; give a UTF-8 text file.") from None
    result = _rag(args).check(text)
    if args.json:
        _dump(result.to_json())
        return 0 if result.supported else 1  # as documented, whatever the output format
    for s in result.sentences:
        print(f"{'✓ supported  ' if s.supported else '✗ unsupported'} {s.score:.2f}  {s.text}")
        for c in s.citations:
            print(f"      {_quoted(c)}")
        if s.reason:
            print(f"      why: {s.reason}")
        for c in s.closest:
            print(f"      closest: {_quoted(c)}")
    return 0 if result.supported else 1


def cmd_files(args) -> int:
    files = _rag(args).files()
    if args.json:
        _dump([f.__dict__ for f in files])
        return 0
    if not files:
        print("The index is empty. Add documents with `rag ingest PATH`.")
    for f in files:
        print(f"{f.n_passages:>6} passages  {f.lang:<5}  {Path(f.source).name}  —  {f.title}")
    return 0


def cmd_remove(args) -> int:
    rag = _rag(args)
    sources = [Path(s).expanduser().resolve().as_posix() if Path(s).exists() or "/" in s else s for s in args.sources]
    known = {f.source for f in rag.files()}
    # A bare file name is accepted when it names exactly one indexed file.
    resolved = []
    for s in sources:
        if s in known:
            resolved.append(s)
            continue
        matches = [k for k in known if Path(k).name == Path(s).name]
        resolved.append(matches[0] if len(matches) == 1 else s)
    report = rag.remove(resolved)
    print(report.summary())
    return 0


def cmd_bench_retrieval(args) -> int:
    from .bench import bench_retrieval, format_table

    settings = load_settings(
        **{k: v for k, v in {"chunk_tokens": args.chunk_tokens, "fusion": args.fusion}.items() if v is not None}
    )
    result = bench_retrieval(args.file, settings, k=args.k, limit=args.limit, fresh=args.fresh,
                             progress=sys.stderr.isatty(), baseline=args.baseline)
    if args.out:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        _dump(result)
    else:
        print(format_table(result))
    return 0


def cmd_eval(args) -> int:
    from .evaluation.cli import run_cli

    return run_cli(args)


def cmd_settings(args) -> int:
    from dataclasses import fields

    from .settings import Settings, settings_table

    if args.markdown:
        print(settings_table())
        return 0
    current, defaults = load_settings(), Settings()
    rows = [(f"RAG_{f.name.upper()}", getattr(current, f.name), getattr(defaults, f.name)) for f in fields(Settings)]
    if args.json:
        _dump({env: value for env, value, _ in rows})
    else:
        for env, value, default in rows:
            mark = "" if value == default else f"   (default {default!r})"
            print(f"{env:<28} {value!r}{mark}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Grounded question answering over local documents.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, func, help):
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        p.add_argument("--data-dir", help="index folder (default: RAG_DATA_DIR or .rag-data in the repository)")
        return p

    p = add("ingest", cmd_ingest, "add, update or remove documents: files or folders of .txt .md .html .pdf")
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")

    p = add("search", cmd_search, "show the passages retrieved for a question")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help="number of passages (default RAG_TOP_K)")
    p.add_argument("--mode", choices=["fused", "dense", "bm25"], default="fused")
    p.add_argument("--json", action="store_true")

    p = add("ask", cmd_ask, "answer a question with quoted sources, or say the documents do not cover it")
    p.add_argument("question")
    p.add_argument("--backend", choices=["auto", "ollama", "embedded", "extractive"], default=None)
    p.add_argument("--k", type=int, default=None)
    p.add_argument("--history", help="JSON file with earlier turns: [[question, answer], ...]")
    p.add_argument("--json", action="store_true")

    p = add("check", cmd_check, "verify any text against the documents, sentence by sentence")
    p.add_argument("text", nargs="?", default=None)
    p.add_argument("--file", default=None, help="check the text of this UTF-8 file")
    p.add_argument("--json", action="store_true")

    p = add("files", cmd_files, "list the indexed documents")
    p.add_argument("--json", action="store_true")

    p = add("remove", cmd_remove, "remove documents from the index")
    p.add_argument("sources", nargs="+")

    p = add("bench-retrieval", cmd_bench_retrieval, "score retrieval on a SQuAD-format file")
    p.add_argument("file")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--limit", type=int, default=None, help="only the first N questions")
    p.add_argument("--chunk-tokens", type=int, default=None)
    p.add_argument("--fusion", choices=["rrf", "weighted"], default=None)
    p.add_argument("--fresh", action="store_true", help="ingest into a new temporary index (measures ingest)")
    p.add_argument("--baseline", action="store_true", help="also run the plain llama-index pipeline")
    p.add_argument("--out", help="also write the JSON result to this file")
    p.add_argument("--json", action="store_true")

    p = add("eval", cmd_eval, "measure grounding: retrieval, citations, faithfulness, refusals")
    p.add_argument("--set", dest="set_file", default=None, help="JSONL question set (default eval/seeds_questions.jsonl)")
    p.add_argument("--backend", choices=["auto", "ollama", "embedded", "extractive"], default="extractive")
    p.add_argument("--judge", choices=["offline", "llm"], default="offline")
    p.add_argument("--k", type=int, default=None)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", dest="json_out", default=None, help="write the report as JSON here")
    p.add_argument("--html", dest="html_out", default=None, help="write a self-contained HTML report here")
    p.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"), default=None)
    p.add_argument("--check", default=None, help="fail when a metric is below the thresholds in this JSON file")
    from .evaluation.cli import add_extra_arguments

    add_extra_arguments(p)  # judge accuracy, rescoring and report options: `rag eval` has this one parser

    p = add("settings", cmd_settings, "show every setting, its environment variable and its value")
    p.add_argument("--json", action="store_true")
    p.add_argument("--markdown", action="store_true", help="the table of every setting with its help (docs/configuration.md)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
