"""Re-base eval/thresholds.json on a measured `rag eval --json` report.

    .venv/bin/python eval/update_thresholds.py REPORT.json --backend extractive --command "rag eval ..."

Each minimum becomes the measured value minus 0.05, rounded down to 0.01 (quote_verbatim_rate
stays 1.0); the latency maxima become 3x the measured medians (2 s at least); the false-refusal maximum the
measured rate plus 0.05. The measured values, the command and the date are recorded beside them.
"""
from __future__ import annotations

import argparse
import json
import math
from datetime import datetime
from pathlib import Path

THRESHOLDS = Path(__file__).resolve().parent / "thresholds.json"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--backend", required=True)
    ap.add_argument("--command", required=True, help="the command that produced the report")
    args = ap.parse_args()
    report = json.loads(Path(args.report).read_text(encoding="utf-8"))
    metrics = report["metrics"]
    data = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    entry = data["backends"][args.backend]
    for name in entry["min"]:
        entry["min"][name] = 1.0 if name == "quote_verbatim_rate" else max(
            0.0, math.floor((metrics[name] - 0.05) * 100) / 100)
    for name in entry["max"]:
        if name == "false_refusal_rate":
            entry["max"][name] = round(metrics[name] + 0.05, 2)
        else:
            # At least 2 s: a warm process answers from cached sentence vectors in milliseconds,
            # and a busy CI machine must not fail on that.
            entry["max"][name] = max(2.0, round(3 * metrics[name], 1))
    entry["measured"] = {
        "questions": metrics["questions"],
        "date": datetime.now().isoformat(timespec="seconds"),
        "command": args.command,
        "judge": report.get("meta", {}).get("judge_description", ""),
        "rescored": None,
        "values": {k: metrics[k] for k in [*entry["min"], *entry["max"]]},
    }
    THRESHOLDS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{THRESHOLDS}: {args.backend} re-based on {args.report}")


if __name__ == "__main__":
    main()
