"""Comparing two `rag eval --json` reports, and checking one against thresholds."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from .report import fmt


def compare_reports(a: dict, b: dict) -> tuple[list[tuple[str, Any, Any, float | None]], dict[str, list[str]]]:
    """(metric deltas, question ids grouped by outcome change "A->B")."""
    deltas = []
    for key in list(dict.fromkeys(list(a["metrics"]) + list(b["metrics"]))):
        va, vb = a["metrics"].get(key), b["metrics"].get(key)
        if isinstance(va, bool) or isinstance(vb, bool):
            continue
        d = round(vb - va, 4) if isinstance(va, (int, float)) and isinstance(vb, (int, float)) else None
        deltas.append((key, va, vb, d))
    qa = {r["id"]: r for r in a["questions"]}
    qb = {r["id"]: r for r in b["questions"]}
    changes: dict[str, list[str]] = {}
    for qid in qa:
        if qid in qb and qa[qid]["outcome"] != qb[qid]["outcome"]:
            prefix = "" if qa[qid]["answerable"] else "unanswerable: "
            changes.setdefault(f"{prefix}{qa[qid]['outcome']}->{qb[qid]['outcome']}", []).append(qid)
    only_a = [q for q in qa if q not in qb]
    only_b = [q for q in qb if q not in qa]
    if only_a:
        changes["only in A"] = only_a
    if only_b:
        changes["only in B"] = only_b
    return deltas, changes


_RANK = {"correct": 2, "refused": 1, "wrong": 0}  # answerable outcomes, best first
_RANK_UNANSWERABLE = {"refused": 1, "answered": 0}


def _direction(change: str) -> str:
    """" [better]" / " [worse]" for an outcome change such as "correct->refused"."""
    if "->" not in change:
        return ""
    unanswerable = change.startswith("unanswerable: ")
    a, b = change.removeprefix("unanswerable: ").split("->")
    rank = _RANK_UNANSWERABLE if unanswerable else _RANK
    if a not in rank or b not in rank or rank[a] == rank[b]:
        return ""
    return " [better]" if rank[b] > rank[a] else " [worse]"


def format_compare(a: dict, b: dict, name_a: str = "A", name_b: str = "B") -> str:
    deltas, changes = compare_reports(a, b)
    lines = [f"A = {name_a} ({a['meta'].get('backend')}, {a['meta'].get('judge')}), "
             f"B = {name_b} ({b['meta'].get('backend')}, {b['meta'].get('judge')})",
             f"{'metric':<26}{'A':>9}{'B':>9}{'B-A':>9}"]
    for key, va, vb, d in deltas:
        lines.append(f"{key:<26}{fmt(va):>9}{fmt(vb):>9}{(f'{d:+.3f}' if d is not None else '-'):>9}")
    lines.append("")
    if not changes:
        lines.append("No question changed outcome.")
    for key, ids in sorted(changes.items()):
        lines.append(f"{key} ({len(ids)}){_direction(key)}: {', '.join(ids)}")
    return "\n".join(lines)


def check_thresholds(report: dict, thresholds: dict) -> list[str]:
    """Failures (empty = pass). Thresholds: {"backends": {NAME: {"min": {metric: v}, "max": {metric: v}}}};
    a bare {metric: v} under a backend means minimums. A metric that was not measured fails."""
    backend = report["meta"]["backend"]
    per_backend = thresholds.get("backends", thresholds)
    limits = per_backend.get(backend)
    if limits is None:
        return [f"no thresholds for backend {backend!r} (have: {', '.join(k for k in per_backend if k != 'comment')})"]
    mins = limits.get("min", {k: v for k, v in limits.items() if isinstance(v, (int, float))})
    maxs = limits.get("max", {})
    failures = []
    want_set = limits.get("set", thresholds.get("set"))
    if want_set and Path(want_set).name != Path(report["meta"].get("set", "")).name:
        failures.append(f"thresholds are for set {want_set}, the report is for {report['meta'].get('set')}")
    for key, lim in mins.items():
        v = report["metrics"].get(key)
        if not isinstance(v, (int, float)):
            failures.append(f"{key}: not measured (minimum {lim})")
        elif v < lim:
            failures.append(f"{key}: {v:.4f} < minimum {lim}")
    for key, lim in maxs.items():
        v = report["metrics"].get(key)
        if not isinstance(v, (int, float)):
            failures.append(f"{key}: not measured (maximum {lim})")
        elif v > lim:
            failures.append(f"{key}: {v:.4f} > maximum {lim}")
    return failures


def load_thresholds(path: str) -> dict:
    """A thresholds file (eval/thresholds.json); a missing or malformed one is an InputError."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such thresholds file.") from None
    except ValueError as e:
        raise InputError(f"{path}: not JSON ({e}).") from None
