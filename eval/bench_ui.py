"""The web chat as a user times it: page load, then, per backend, the time from pressing Enter to
the first streamed text and to the finished answer. Debian's Chromium driven by Playwright,
against the app served on 127.0.0.1 over a temporary index of seeds/. Prints a table, writes
JSON, and saves a screenshot of the last answered question.

    .venv/bin/python eval/bench_ui.py [--backends extractive embedded] [--questions 10]
                                      [--out bench-results/ui.json] [--screenshot bench-results/ui-answer.png]

Questions cycle through the answerable ones of eval/seeds_quick.jsonl, each in a fresh chat
(no history). "first text" is the first non-empty draft or answer in the chat; "answer" is the
verified answer with its sources (or a refusal). Medians over the questions.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rag import RAG  # noqa: E402
from rag.bench import free_port, report_rows  # noqa: E402
from rag.ui import ANSWERED_JS, build_app, launch  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
LABELS = {"extractive": "extractive (no LLM: quotes only)", "embedded": "embedded model (llama.cpp)"}
TIMEOUT_MS = 30_000


def open_page(browser, url: str):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    t = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_selector("#question textarea")
    page.wait_for_selector("#status :text('Index:')")
    return page, time.perf_counter() - t


def choose_backend(page, backend: str) -> None:
    if not page.locator("#backend").is_visible():
        page.click("#settings > button")
    page.locator("#backend").get_by_label(LABELS[backend], exact=True).check()


def time_question(page, question: str) -> tuple[float, float, bool]:
    before = page.locator("#chat [data-testid='user']").count()
    page.fill("#question textarea", question)
    t = time.perf_counter()
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        """() => { const bots = document.querySelectorAll('#chat [data-testid="bot"]');
                   const last = bots[bots.length - 1];
                   const body = last && last.querySelector('.draft, .answer, .error');
                   return body && body.innerText.trim().length > 0; }""", timeout=TIMEOUT_MS, polling=20)
    first = time.perf_counter() - t
    page.wait_for_function(ANSWERED_JS, arg=before, timeout=TIMEOUT_MS, polling=20)
    total = time.perf_counter() - t
    refused = page.locator("#chat [data-testid='bot']").last.locator(".answer.refused").count() > 0
    return first, total, refused


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", nargs="+", default=["extractive", "embedded"], choices=sorted(LABELS))
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--set", default=str(REPO / "eval" / "seeds_quick.jsonl"))
    ap.add_argument("--out", default="bench-results/ui.json")
    ap.add_argument("--screenshot", default="bench-results/ui-answer.png")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    pool = [q["q"] for q in map(json.loads, Path(args.set).read_text(encoding="utf-8").splitlines()) if q["answerable"]]
    questions = [pool[i % len(pool)] for i in range(args.questions)]
    rag = RAG(data_dir=tempfile.mkdtemp(prefix="rag-ui-bench-"), llm="extractive")
    rag.ingest([REPO / "seeds"])
    app = build_app(rag)
    port = free_port()
    launch(app, rag, server_port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            loads = []
            for _ in range(5):
                page, seconds = open_page(browser, url)
                loads.append(seconds)
                page.context.close()
            print(f"page load: median {statistics.median(loads):.2f} s over {len(loads)}", flush=True)
            for backend in args.backends:
                firsts, totals, refused = [], [], 0
                page, _ = open_page(browser, url)
                choose_backend(page, backend)
                if backend == "embedded":  # the model loads once per process: not part of an answer
                    page.wait_for_selector("#status :text('embedded llama.cpp')", timeout=300_000)
                    time_question(page, "What are new quality productive forces?")
                for q in questions:
                    page.click("#new-chat")  # each question on its own, without history
                    page.wait_for_function("() => !document.querySelector('#chat [data-testid=\"bot\"]')")
                    first, total, was_refused = time_question(page, q)
                    firsts.append(first)
                    totals.append(total)
                    refused += was_refused
                    print(f"  {backend:10} first text {first:6.2f} s  answer {total:6.2f} s  "
                          f"{'refused' if was_refused else 'answered'}  {q[:60]}", flush=True)
                Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=args.screenshot, full_page=True)
                rows.append({"backend": backend, "questions": len(questions),
                             "page_load_s": round(statistics.median(loads), 2),
                             "first_text_p50_s": round(statistics.median(firsts), 2),
                             "answer_p50_s": round(statistics.median(totals), 2),
                             "refused": f"{refused}/{len(questions)}"})
                page.context.close()
            browser.close()
    finally:
        app.close()
    report_rows(rows, ["backend", "questions", "page_load_s", "first_text_p50_s", "answer_p50_s", "refused"], args.out)
    print(f"screenshot: {args.screenshot}")


if __name__ == "__main__":
    main()
