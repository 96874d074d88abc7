"""Reports: the terminal table and the self-contained HTML page (metrics, breakdowns, judge
accuracy, SVG plots, per-question table); reading and writing `rag eval --json` reports."""
from __future__ import annotations

import html
import json
from pathlib import Path

from ..errors import InputError
from .claimset import SUPPORTED_KINDS as SUPPORTED_CLAIM_KINDS
from .judge_pairs import SUPPORTED_KINDS

METRIC_ROWS = [
    ("retrieval_hit@1", "retrieval evidence hit@1"),
    ("retrieval_hit@k", "retrieval evidence hit@k"),
    ("retrieval_mrr@10", "retrieval MRR@10"),
    ("context_hit", "evidence in answerer's context"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("faithfulness", "faithfulness (judge)"),
    ("judge_agreement", "judge agreement with gold claims"),
    ("quote_verbatim_rate", "quote verbatim rate"),
    ("correctness", "correctness (answerable)"),
    ("correct_when_answered", "correct when answered"),
    ("evidence_recall", "evidence recall"),
    ("refusal_precision", "refusal precision"),
    ("refusal_recall", "refusal recall"),
    ("refusal_accuracy", "refusal accuracy"),
    ("false_refusal_rate", "false refusal rate"),
    ("outcome_accuracy", "outcome accuracy (all)"),
    ("verifier_f1", "verifier supported-F1 (gold claims)"),
    ("verifier_rejected", "verifier: unsupported rejected"),
    ("verifier_accuracy", "verifier accuracy (gold claims)"),
    ("first_token_p50_s", "first token p50 (s)"),
    ("first_token_p95_s", "first token p95 (s)"),
    ("total_p50_s", "total p50 (s)"),
    ("total_p95_s", "total p95 (s)"),
]


def fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def format_report(report: dict, per_question: bool = True) -> str:
    meta, m = report["meta"], report["metrics"]
    lines = [f"rag eval {meta['set']}: {m['questions']} questions ({m['answerable']} answerable, "
             f"{m['unanswerable']} not), backend {meta['backend']}, judge {meta['judge_description']}, k={meta['k']}",
             f"{'metric':<34}{'value':>8}"]
    for key, label in METRIC_ROWS:
        lines.append(f"{label:<34}{fmt(m.get(key)):>8}")
    if report.get("breakdown"):
        lines.append("")
        lines.append(f"{'group':<26}{'n':>4}{'ok':>7}{'correct':>9}{'refusal rec':>12}{'hit@k':>7}")
        for key, b in report["breakdown"].items():
            lines.append(f"{key:<26}{b['questions']:>4}{fmt(b['outcome_accuracy']):>7}{fmt(b['correctness']):>9}"
                         f"{fmt(b['refusal_recall']):>12}{fmt(b['retrieval_hit@k']):>7}")
    if per_question:
        lines.append("")
        lines.append(f"{'id':<28}{'lang':<5}{'expect':<8}{'outcome':<9}{'rank':>5}{'first':>7}{'total':>7}  answer")
        for r in report["questions"]:
            rank = r["retrieval"]["rank"]
            ans = " ".join(r["answer"].split())
            lines.append(f"{r['id'][:27]:<28}{r['lang']:<5}{'answer' if r['answerable'] else 'refuse':<8}"
                         f"{r['outcome'] + ('' if r['ok'] else '!'):<9}{(str(rank) if rank else '-'):>5}"
                         f"{r['latency']['first_token']:>7.2f}{r['latency']['total']:>7.2f}  {ans[:70]}")
    if report.get("gold_claims"):
        lines.append("")
        lines.append(format_gold_claims(report["gold_claims"]))
    if report.get("judge_accuracy"):
        lines.append("")
        lines.append(format_judge_accuracy(report["judge_accuracy"]))
    return "\n".join(lines)


def _gold_rows(gold: dict) -> list[tuple[str, str, str, str]]:
    """(group, n, verifier, judge) rows: F1 / rejected per language, accuracy per kind."""
    v, j = gold["verifier"], gold["judge"]
    rows = []
    for name, a, b in [("all", v["overall"], j["overall"])] + [
            (f"lang:{lang}", v["by_lang"][lang], j["by_lang"].get(lang, {})) for lang in v["by_lang"]]:
        rows.append((name, str(a["n"]), f"F1 {fmt(a['f1'])}, rejected {fmt(a['rejected'])}",
                     f"F1 {fmt(b.get('f1'))}, rejected {fmt(b.get('rejected'))}"))
    for kind, a in v["by_kind"].items():
        b = j["by_kind"].get(kind, {})
        label = "supported" if kind in SUPPORTED_CLAIM_KINDS else "unsupported"
        rows.append((f"{kind} ({label})", str(a["n"]), fmt(a["accuracy"]), fmt(b.get("accuracy"))))
    return rows


def format_gold_claims(gold: dict) -> str:
    """The verifier and the faithfulness judge against the hand-labelled claims."""
    lines = [f"Gold-labelled claims ({gold['file']}, {gold['claims']} claims): the engine's verifier "
             f"(retrieve, then verify, as `rag check`) and the faithfulness judge ({gold['judge_name']}, "
             "given the gold evidence) against the labels; per kind: accuracy",
             f"{'group':<30}{'n':>4}  {'verifier':<28}{'judge':<28}"]
    for name, n, a, b in _gold_rows(gold):
        lines.append(f"{name:<30}{n:>4}  {a:<28}{b:<28}")
    lat = gold["verifier"].get("latency_ms")
    if lat:
        lines.append(f"verifier latency per sentence: verify() p50 {lat['verify_p50']} ms, p95 {lat['verify_p95']} ms; "
                     f"whole check (with retrieval) p50 {lat['check_p50']} ms")
    return "\n".join(lines)


def _svg_hist(values: list[float], title: str, xlabel: str, bins: int = 20, lo: float | None = None,
              hi: float | None = None, mark: float | None = None, width: int = 420, height: int = 180) -> str:
    esc = html.escape
    if not values:
        return f'<svg width="{width}" height="40" role="img"><text x="4" y="24">{esc(title)}: no data</text></svg>'
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    if hi <= lo:
        hi = lo + 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int((v - lo) / (hi - lo) * bins)))] += 1
    top = max(counts) or 1
    pl, pr, pt, pb = 34, 10, 22, 34
    w, h = width - pl - pr, height - pt - pb
    bw = w / bins
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}"><title>{esc(title)}</title>',
             f'<text x="{width / 2}" y="14" text-anchor="middle" class="t">{esc(title)}</text>',
             f'<line x1="{pl}" y1="{pt + h}" x2="{pl + w}" y2="{pt + h}" class="ax"/>',
             f'<line x1="{pl}" y1="{pt}" x2="{pl}" y2="{pt + h}" class="ax"/>']
    for i, c in enumerate(counts):
        if c:
            bh = h * c / top
            parts.append(f'<rect x="{pl + i * bw + 1:.1f}" y="{pt + h - bh:.1f}" width="{max(1.0, bw - 2):.1f}" '
                         f'height="{bh:.1f}" class="bar"><title>{lo + i * (hi - lo) / bins:.3g}–'
                         f'{lo + (i + 1) * (hi - lo) / bins:.3g}: {c}</title></rect>')
    for frac in (0, 0.5, 1):
        x = pl + w * frac
        parts.append(f'<text x="{x:.1f}" y="{pt + h + 14}" text-anchor="middle" class="l">{lo + (hi - lo) * frac:.3g}</text>')
    parts.append(f'<text x="{pl - 4}" y="{pt + 8}" text-anchor="end" class="l">{top}</text>')
    parts.append(f'<text x="{pl + w / 2}" y="{height - 4}" text-anchor="middle" class="l">{esc(xlabel)}</text>')
    if mark is not None and lo <= mark <= hi:
        x = pl + w * (mark - lo) / (hi - lo)
        parts.append(f'<line x1="{x:.1f}" y1="{pt}" x2="{x:.1f}" y2="{pt + h}" class="mark"/>'
                     f'<text x="{x + 3:.1f}" y="{pt + 10}" class="l">threshold {mark:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1d232a;max-width:1400px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d6dbe0;padding:4px 7px;vertical-align:top;text-align:left}
th{background:#f2f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{background:#e7f6ea}.bad{background:#fdeaea}.muted{color:#6b7480}
.q td{font-size:13px}.q td:nth-child(6){min-width:260px}.q td:nth-child(7){min-width:300px}.q td:nth-child(8){min-width:220px}.quote{margin:2px 0;padding:2px 6px;border-left:3px solid #9fb3c8;background:#f7f9fb}
.claim.yes::before{content:"✓ ";color:#1a7f37}.claim.no::before{content:"✗ ";color:#c62828}.claim{margin:1px 0}
.plots svg{margin:0 16px 12px 0;border:1px solid #e3e6ea}.bar{fill:#5b8def}.ax{stroke:#888}.mark{stroke:#c62828;stroke-dasharray:4 3}
.t{font-size:13px;font-weight:600}.l{font-size:11px;fill:#555}
code{font-size:12px}
"""


def render_html(report: dict, check: list[str] | None = None) -> str:
    """A self-contained HTML page: metrics, breakdowns, judge accuracy, SVG plots, per-question table."""
    esc = html.escape
    meta, m = report["meta"], report["metrics"]
    out = ["<!doctype html><html><head><meta charset='utf-8'><title>rag eval: "
           f"{esc(Path(meta['set']).name)} / {esc(meta['backend'])}</title><style>{_CSS}</style></head><body>",
           f"<h1>Grounding evaluation — {esc(Path(meta['set']).name)}, backend {esc(meta['backend'])}</h1>",
           f"<p class='muted'>{m['questions']} questions ({m['answerable']} answerable, {m['unanswerable']} not) · "
           f"judge {esc(meta['judge_description'])} · k={meta['k']} · {esc(meta['created'])} · "
           f"{esc(meta.get('backend_label', ''))} · <code>{esc(meta.get('command', ''))}</code></p>"]
    if check is not None:
        cls = "ok" if not check else "bad"
        out.append(f"<p class='{cls}'>Threshold check: {'passed' if not check else 'FAILED: ' + esc('; '.join(check))}</p>")
    out.append("<h2>Metrics</h2><table><tr><th>metric</th><th>value</th></tr>")
    for key, label in METRIC_ROWS:
        out.append(f"<tr><td>{esc(label)}</td><td class='num'>{esc(fmt(m.get(key)))}</td></tr>")
    out.append("</table>")
    if report.get("breakdown"):
        out.append("<h2>By language and tag</h2><table><tr><th>group</th><th>n</th><th>outcome accuracy</th>"
                   "<th>correctness</th><th>refusal recall</th><th>hit@k</th></tr>")
        for key, b in report["breakdown"].items():
            out.append(f"<tr><td>{esc(key)}</td><td class='num'>{b['questions']}</td>" + "".join(
                f"<td class='num'>{esc(fmt(b[c]))}</td>" for c in ("outcome_accuracy", "correctness", "refusal_recall",
                                                                     "retrieval_hit@k")) + "</tr>")
        out.append("</table>")
    if report.get("gold_claims"):
        out.append(_gold_html(report["gold_claims"]))
    if report.get("judge_accuracy"):
        out.append(_judge_html(report["judge_accuracy"]))
    qs = report["questions"]
    thr = meta.get("judge_threshold") if meta.get("judge") == "offline" else None
    claim_scores = [c["score"] for r in qs for c in r["claims"]]
    cite_scores = [v["score"] for r in qs for s in r["sentences"] for v in s["verdicts"]]
    totals = [r["latency"]["total"] for r in qs]
    firsts = [r["latency"]["first_token"] for r in qs]
    hi_t = max(totals + firsts + [0.001])
    out.append("<h2>Distributions</h2><div class='plots'>")
    out.append(_svg_hist(cite_scores, "support score: sentence vs its cited quote", "judge score", lo=0, hi=1, mark=thr))
    out.append(_svg_hist(claim_scores, "support score: claim vs all cited quotes", "judge score", lo=0, hi=1, mark=thr))
    out.append(_svg_hist(firsts, "time to first token", "seconds", lo=0, hi=hi_t))
    out.append(_svg_hist(totals, "total answer time", "seconds", lo=0, hi=hi_t))
    out.append("</div>")
    out.append("<h2>Questions</h2><table class='q' id='questions'><tr><th>id</th><th>question</th><th>expected</th>"
               "<th>outcome</th><th>retrieval rank</th><th>answer</th><th>quotes</th><th>claims (judge)</th>"
               "<th>latency (s)</th></tr>")
    for r in qs:
        cls = "ok" if r["ok"] else "bad"
        quotes = "".join(
            f"<div class='quote'>[{c['n']}] {esc(' '.join(c['quote'].split()))}<br><span class='muted'>"
            f"{esc(c['source'])}:{c['start']}–{c['end']}{'' if c['verbatim'] else ' · NOT VERBATIM'}</span></div>"
            for c in r["citations"])
        verdicts = "".join(
            f"<div class='claim {'yes' if v['supported'] else 'no'}' title='{esc(s['text'])}'>sentence {i} → "
            f"[{v['n']}] {v['score']:.2f}</div>" for i, s in enumerate(r["sentences"], 1) for v in s["verdicts"])
        verdicts += "".join(f"<div class='claim no'>sentence {i}: no citation</div>"
                            for i, s in enumerate(r["sentences"], 1) if not s["verdicts"])
        claims = "".join(f"<div class='claim {'yes' if c['supported'] else 'no'}' title='{esc(c['text'])}'>"
                         f"{c['score']:.2f} {esc(c['text'][:110])}{'…' if len(c['text']) > 110 else ''}</div>"
                         for c in r["claims"])
        judged = (f"<b>citations</b>{verdicts}" if verdicts else "") + (f"<b>claims</b>{claims}" if claims else "")
        unsupported = "".join(f"<div class='muted'>dropped: {esc(u[:160])}</div>" for u in r["unsupported"])
        evidence = "".join(f"<div class='muted'>evidence: {esc(e[:200])}</div>" for e in r["evidence"])
        rank = r["retrieval"]["rank"]
        reason = f" ({esc(r['refusal_reason'])})" if r.get("refusal_reason") else ""
        out.append(
            f"<tr class='{cls}'><td>{esc(r['id'])}<br><span class='muted'>{esc(r['lang'])} {esc(' '.join(r['tags']))}"
            f"</span></td><td>{esc(r['q'])}{evidence}</td><td>{'answer' if r['answerable'] else 'refuse'}</td>"
            f"<td>{esc(r['outcome'])}{reason}</td><td class='num'>{rank or '-'}</td>"
            f"<td>{esc(r['answer']).replace(chr(10), '<br>')}{unsupported}</td><td>{quotes}</td><td>{judged}</td>"
            f"<td class='num'>{r['latency']['first_token']:.2f} / {r['latency']['total']:.2f}</td></tr>")
    out.append("</table><p class='muted'>Definitions: eval/README.md. Outcome: answerable questions are "
               "<i>correct</i> (a cited quote overlaps a gold evidence text), <i>wrong</i> or <i>refused</i>; "
               "unanswerable ones are <i>refused</i> (right) or <i>answered</i>.</p></body></html>")
    return "".join(out)


def _gold_html(gold: dict) -> str:
    head = (f"<h2>Gold-labelled claims</h2><p>{html.escape(gold['file'])}, {gold['claims']} hand-written claims. "
            "Verifier: the engine's check of each claim (retrieve, then verify). Judge: the faithfulness judge "
            f"({html.escape(gold['judge_name'])}) given the claim's gold evidence. Per kind: accuracy.</p>")
    rows = "".join(f"<tr><td>{html.escape(g)}</td><td>{n}</td><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
                   for g, n, a, b in _gold_rows(gold))
    return head + f"<table><tr><th>group</th><th>n</th><th>verifier</th><th>judge</th></tr>{rows}</table>"


def _judge_html(acc: dict) -> str:
    esc = html.escape
    out = [f"<h2>Judge accuracy</h2><p class='muted'>{acc['pairs']} labelled (claim, passage) pairs from "
           f"{esc(', '.join(Path(d).name for d in acc['data']))}; offline threshold fitted on {acc['fit_pairs']} pairs, "
           f"measured on the other {acc['test_pairs']}; positive class = supported. Measured {esc(acc.get('created', ''))}.</p>",
           "<table><tr><th>judge</th><th>pairs</th><th>precision</th><th>recall</th><th>F1</th><th>accuracy</th>"
           "<th>unsupported rejected</th><th>threshold / backend</th></tr>"]
    for name, r in acc["judges"].items():
        out.append(f"<tr><td>{esc(name)}</td><td class='num'>{r['pairs']}</td>" + "".join(
            f"<td class='num'>{esc(fmt(r.get(c)))}</td>" for c in ("precision", "recall", "f1", "accuracy",
                                                                     "unsupported_rejected"))
                   + f"<td>{esc(str(r.get('backend') or r.get('threshold', '')))}</td></tr>")
    out.append("</table>")
    kinds = sorted({k for r in acc["judges"].values() for k in r.get("per_kind", {})})
    if kinds:
        out.append("<table><tr><th>share judged right</th>" + "".join(f"<th>{esc(k)}</th>" for k in kinds) + "</tr>")
        for name, r in acc["judges"].items():
            pk = r.get("per_kind", {})
            out.append(f"<tr><td>{esc(name)}</td>" + "".join(
                f"<td class='num'>{pk[k]['rate']:.2f} ({pk[k]['pairs']})</td>" if k in pk else "<td>-</td>" for k in kinds)
                       + "</tr>")
        out.append("</table>")
    return "".join(out)


def format_judge_accuracy(acc: dict) -> str:
    lines = [f"Judge accuracy: {acc['pairs']} labelled pairs from {', '.join(Path(d).name for d in acc['data'])} "
             f"({acc['fit_pairs']} to fit the offline threshold, {acc['test_pairs']} to test); "
             f"positive class = supported",
             f"{'judge':<24}{'pairs':>6}{'prec':>7}{'recall':>7}{'F1':>7}{'acc':>7}{'reject':>8}  threshold / backend"]
    for name, r in acc["judges"].items():
        extra = r.get("backend") or f"{r.get('threshold', ''):}"
        rej = r.get("unsupported_rejected")
        lines.append(f"{name:<24}{r['pairs']:>6}{r['precision']:>7.3f}{r['recall']:>7.3f}{r['f1']:>7.3f}"
                     f"{r['accuracy']:>7.3f}{(rej if rej is not None else float('nan')):>8.3f}  {extra}")
    kinds = sorted({k for r in acc["judges"].values() for k in r.get("per_kind", {})})
    if kinds:
        lines.append("share judged right, per kind of pair (supported kinds: " + ", ".join(SUPPORTED_KINDS) + ")")
        lines.append(f"{'judge':<24}" + "".join(f"{k[:13]:>14}" for k in kinds))
        for name, r in acc["judges"].items():
            pk = r.get("per_kind", {})
            cells = [f"{pk[k]['rate']:.2f} ({pk[k]['pairs']})" if k in pk else "-" for k in kinds]
            lines.append(f"{name:<24}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


def render_judge_html(acc: dict) -> str:
    """A self-contained HTML page with the judge accuracy tables alone."""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>rag judge accuracy</title><style>{_CSS}</style>"
            f"</head><body>{_judge_html(acc)}</body></html>")


def load_report(path: str) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such report.") from None
    except ValueError:
        raise InputError(f"{path}: not a JSON report.") from None
    if not isinstance(data, dict) or "metrics" not in data or "questions" not in data:
        raise InputError(f"{path}: not a `rag eval --json` report.")
    return data


def write_outputs(report: dict, json_out: str | None, html_out: str | None, check: list[str] | None = None) -> None:
    if json_out:
        Path(json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(json_out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if html_out:
        Path(html_out).parent.mkdir(parents=True, exist_ok=True)
        Path(html_out).write_text(render_html(report, check), encoding="utf-8")
