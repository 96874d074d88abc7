"""What `rag eval` runs. Its one argument parser is the `eval` subcommand of rag/cli.py, which
declares the common options and adds the ones below with `add_extra_arguments`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import BackendError, RagError
from .compare import check_thresholds, format_compare, load_thresholds
from .config import DEFAULT_JUDGE_DATA, DEFAULT_SET, JUDGE_FILE
from .judge_pairs import judge_accuracy
from .judges import make_judge, stored_judge
from .report import format_judge_accuracy, format_report, load_report, render_judge_html, write_outputs
from .scoring import prepare_rag, rescore, run_eval
from .sets import load_set


def add_extra_arguments(p: argparse.ArgumentParser) -> None:
    """The `rag eval` flags beyond the common ones rag/cli.py declares (it adds these to its `eval` subparser)."""
    p.add_argument("--judge-accuracy", action="store_true",
                   help="measure the judges on labelled (claim, passage) pairs instead of running a set")
    p.add_argument("--judge-data", nargs="+", default=None, help="SQuAD-format files for --judge-accuracy")
    p.add_argument("--judge-pairs-per-file", type=int, default=70, help="questions per file turned into pairs")
    p.add_argument("--judge-sample", type=int, default=60, help="pairs the LLM judge is measured on")
    p.add_argument("--judge-backend", choices=["auto", "ollama", "embedded"], default=None,
                   help="backend of the LLM judge (default: RAG_LLM / auto)")
    p.add_argument("--save-judge", action="store_true",
                   help="with --judge-accuracy: store the fitted threshold and the table in eval/judge.json")
    p.add_argument("--from-json", default=None, help="re-use a saved report (for --check, --html) instead of running")
    p.add_argument("--rescore", action="store_true",
                   help="with --from-json: recompute retrieval hits and correctness with the current definitions")
    p.add_argument("--quiet", action="store_true", help="no per-question lines")
    p.add_argument("--claims", choices=["test", "dev", "none"], default="test",
                   help="also measure the verifier and the judge against the hand-labelled claims of this split "
                        "(eval/claims_<split>.jsonl; default test; none skips it)")


def _arg(args, name: str, default=None):
    return getattr(args, name, default)


def run_cli(args) -> int:
    """`rag eval`: run a set (or --judge-accuracy), print a table, write --json/--html, --check, --compare."""
    log = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
    if _arg(args, "compare"):
        a_path, b_path = args.compare
        print(format_compare(load_report(a_path), load_report(b_path), a_path, b_path))
        return 0
    json_out, html_out = _arg(args, "json_out"), _arg(args, "html_out")
    if _arg(args, "judge_accuracy"):
        return _run_judge_accuracy(args, log)
    if _arg(args, "from_json"):
        report = load_report(args.from_json)
        if _arg(args, "rescore"):
            from ..api import RAG

            report = rescore(report, RAG(data_dir=_arg(args, "data_dir")))
    else:
        evalset = load_set(_arg(args, "set_file") or DEFAULT_SET)
        questions = evalset.questions[: args.limit] if _arg(args, "limit") else evalset.questions
        backend = _arg(args, "backend") or "extractive"
        rag = prepare_rag(evalset, _arg(args, "data_dir"), backend, log)
        try:
            judge = make_judge(_arg(args, "judge") or "offline", rag, _arg(args, "judge_backend"))
        except BackendError as e:
            raise RagError(f"LLM judge unavailable: {e}") from None
        quiet = _arg(args, "quiet", False)
        claims = _arg(args, "claims", "test")
        report = run_eval(rag, questions, backend=backend, judge=judge, k=_arg(args, "k"),
                          progress=None if quiet else log, set_path=str(evalset.path),
                          claims_split=None if claims == "none" else claims, log=log)
    failures = None
    thresholds_path = _arg(args, "check")
    if thresholds_path:
        thresholds = load_thresholds(thresholds_path)
        failures = check_thresholds(report, thresholds)
        report.setdefault("meta", {})["check"] = {"thresholds": thresholds_path, "failures": failures}
    print(format_report(report, per_question=not _arg(args, "quiet", False)))
    write_outputs(report, json_out, html_out, failures)
    if json_out:
        log(f"wrote {json_out}")
    if html_out:
        log(f"wrote {html_out}")
    if failures is not None:
        if failures:
            print(f"\nCHECK FAILED against {thresholds_path}:")
            for f in failures:
                print(f"  {f}")
            return 1
        print(f"\nCheck passed against {thresholds_path}.")
    return 0


def _run_judge_accuracy(args, log) -> int:
    from ..api import RAG
    from ..llms import resolve_backend

    rag = RAG(data_dir=_arg(args, "data_dir"))
    backend = None
    if (_arg(args, "judge") or "offline") == "llm":
        try:
            backend = resolve_backend(rag.settings, _arg(args, "judge_backend"))
        except BackendError as e:
            raise RagError(f"LLM judge unavailable: {e}") from None
        if not backend.generates:
            raise RagError("The LLM judge needs an LLM backend: use --judge-backend embedded or ollama.")
    files = _arg(args, "judge_data") or DEFAULT_JUDGE_DATA
    acc = judge_accuracy(rag.store.embedder, backend, files, per_file=_arg(args, "judge_pairs_per_file", 70) or 70,
                         llm_sample=_arg(args, "judge_sample", 60) or 0,
                         engine_threshold=rag.settings.support_threshold, progress=log)
    print(format_judge_accuracy(acc))
    if _arg(args, "save_judge"):
        stored = stored_judge()
        if "llm" not in acc["judges"] and "llm" in stored.get("accuracy", {}).get("judges", {}):
            # Keep an earlier LLM measurement (made with the same pairs and seed) beside the new offline one.
            acc["judges"]["llm"] = stored["accuracy"]["judges"]["llm"]
            if "offline (same sample)" in stored["accuracy"]["judges"]:
                acc["judges"]["offline (same sample)"] = stored["accuracy"]["judges"]["offline (same sample)"]
        JUDGE_FILE.write_text(json.dumps({
            "comment": "Written by `rag eval --judge-accuracy --save-judge`: the offline judge's threshold, "
                       "fitted on half of the labelled pairs, and the judges' accuracy on the other half.",
            "offline_threshold": acc["offline_threshold"],
            "accuracy": acc,
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        log(f"saved the fitted threshold {acc['offline_threshold']} to {JUDGE_FILE}")
    report = {"meta": {"set": "judge-accuracy", "backend": "-", "judge": "-", "judge_description": "-", "k": "-",
                       "created": acc["created"]}, "judge_accuracy": acc}
    if _arg(args, "json_out"):
        Path(args.json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if _arg(args, "html_out"):
        Path(args.html_out).write_text(render_judge_html(acc), encoding="utf-8")
    return 0
