"""Answer latency against the context sent to the model: time to first token and tokens/s per
backend, for whole passages and for selected sentences (RAG_CONTEXT_MODE). Prints a table,
writes JSON.

    .venv/bin/python eval/bench_answer.py [--backends embedded ollama] [--modes passages sentences]
                                          [--questions 6] [--data-dir DIR] [--out bench-results/answer.json]

The seeds are indexed into DIR (a temporary folder by default), then each question of
eval/seeds_quick.jsonl that the documents answer (the first N) is asked once per backend and
context mode, in one process. Per row, medians over the questions:

- prompt_tokens: the answer prompt (system + sources + question) in the model's own tokens
  for the embedded model, in MiniLM tokens (a close proxy) for Ollama;
- model_ttft_s: from sending the answer prompt to the model's first token (prompt processing);
- ttft_s: from the question to the first token the user sees (retrieval, translation of the
  query where the collection is bilingual, and the model's prompt processing);
- gen_tok_s: generated tokens per second after the first;
- total_s: the whole verified answer; answered: questions answered with quotes (not refused);
- correct: answered, and a quote holds the question's evidence;
- model_sentences_kept: answers made of the model's own verified sentences, not the fallback
  to quoting the sources (RAG_EXTRACTIVE_FALLBACK).

A backend that cannot be used here (no Ollama server) is reported and skipped.
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

import rag.answer as answer_module  # noqa: E402
from rag import RAG  # noqa: E402
from rag.bench import report_rows  # noqa: E402
from rag.errors import RagError  # noqa: E402
from rag.llms import resolve_backend  # noqa: E402


class Recorder:
    """Wraps the chosen backend to time each model call and keep its prompt and output."""

    def __init__(self, backend):
        self.backend = backend
        self.calls: list[dict] = []

    def __getattr__(self, name):
        return getattr(self.backend, name)

    def stream_chat(self, messages, max_tokens=None):
        call = {"messages": messages, "sent": time.perf_counter(), "first": None, "last": None, "text": ""}
        self.calls.append(call)
        for delta in self.backend.stream_chat(messages, max_tokens):
            now = time.perf_counter()
            call["first"] = call["first"] or now
            call["last"] = now
            call["text"] += delta
            yield delta

    def complete(self, messages, max_tokens=None):
        return "".join(self.stream_chat(messages, max_tokens))


def token_counter(rag: RAG, backend):
    llm = backend.llm
    if hasattr(llm, "count_tokens"):
        return llm.count_tokens
    return lambda text: rag.store.embedder.count_tokens([text])[0]


def run(rag: RAG, backend_name: str, mode: str, questions: list[dict]) -> dict:
    rag.settings = rag.settings.replace(context_mode=mode)
    rag.answerer.settings = rag.settings
    chosen = resolve_backend(rag.settings, backend_name)
    count = token_counter(rag, chosen)
    rows = []
    for q in questions:
        recorder = Recorder(chosen)
        answer_module.resolve_backend = lambda settings, name=None: recorder
        try:
            t = time.perf_counter()
            a = rag.ask(q["q"], backend=backend_name)
            total = time.perf_counter() - t
        finally:
            answer_module.resolve_backend = resolve_backend
        calls = [c for c in recorder.calls if c["messages"][0][0] == "system"]  # the answer prompt
        if not calls or calls[-1]["first"] is None:
            continue
        c = calls[-1]
        out_tokens = count(c["text"])
        rows.append({
            "prompt_tokens": sum(count(text) for _, text in c["messages"]),
            "model_ttft_s": c["first"] - c["sent"],
            "ttft_s": a.timings.get("first_token", total),
            "gen_tok_s": (out_tokens - 1) / (c["last"] - c["first"]) if c["last"] > c["first"] else 0.0,
            "total_s": total,
            "answered": not a.refused,
            "correct": not a.refused and any(e in cit.quote for cit in a.citations for e in q["evidence"]),
            "fallback": a.extractive_fallback,
        })
        print(f"  {backend_name:9} {mode:9} {rows[-1]['prompt_tokens']:5d} tok  model ttft "
              f"{rows[-1]['model_ttft_s']:5.1f} s  {rows[-1]['gen_tok_s']:5.1f} tok/s  total {total:5.1f} s  "
              f"{'refused' if not rows[-1]['answered'] else 'fallback' if rows[-1]['fallback'] else 'answered'}  "
              f"{q['q'][:50]}", flush=True)

    def med(key):
        return round(statistics.median(r[key] for r in rows), 2) if rows else None

    return {
        "backend": backend_name, "context_mode": mode, "questions": len(rows),
        "prompt_tokens": med("prompt_tokens"), "model_ttft_s": med("model_ttft_s"), "ttft_s": med("ttft_s"),
        "gen_tok_s": med("gen_tok_s"), "total_s": med("total_s"),
        "answered": f"{sum(r['answered'] for r in rows)}/{len(rows)}",
        "correct": f"{sum(r['correct'] for r in rows)}/{len(rows)}",
        "model_sentences_kept": f"{sum(not r['fallback'] for r in rows if r['answered'])}/{len(rows)}",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backends", nargs="+", default=["embedded", "ollama"])
    ap.add_argument("--modes", nargs="+", default=["passages", "sentences"], choices=["passages", "sentences"])
    ap.add_argument("--questions", type=int, default=6)
    ap.add_argument("--set", default=str(REPO / "eval" / "seeds_quick.jsonl"))
    ap.add_argument("--data-dir", default="")
    ap.add_argument("--out", default="bench-results/answer.json")
    args = ap.parse_args()

    questions = [q for q in map(json.loads, Path(args.set).read_text(encoding="utf-8").splitlines()) if q["answerable"]]
    questions = questions[: args.questions]
    rag = RAG(data_dir=args.data_dir or tempfile.mkdtemp(prefix="rag-answer-bench-"))
    rag.ingest([REPO / "seeds"])
    results = []
    for name in args.backends:
        try:
            chosen = resolve_backend(rag.settings, name)
            chosen.stream_chat([("user", "Say OK.")], max_tokens=2).__next__()  # load the model first
        except (RagError, StopIteration) as e:
            print(f"{name}: skipped ({e})", flush=True)
            continue
        for mode in args.modes:
            results.append(run(rag, name, mode, questions))
    cols = ["backend", "context_mode", "questions", "prompt_tokens", "model_ttft_s", "ttft_s", "gen_tok_s",
            "total_s", "answered", "correct", "model_sentences_kept"]
    report_rows(results, cols, args.out)


if __name__ == "__main__":
    main()
