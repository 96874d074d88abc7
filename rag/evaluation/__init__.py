"""Grounding evaluation: does every answer rest on quotes that say what the answer says?

`rag eval --set FILE` asks every question of a set, then measures (definitions below and in
eval/README.md):

- retrieval: evidence hit@1, hit@k and MRR@10 of `rag.search(question)`, and whether the
  passages the answerer actually used contain the evidence (context hit);
- citations: precision (cited quotes that support the sentence citing them, per the judge),
  recall (answer sentences carrying a supporting citation), and the quote verbatim rate
  (`document_text(source)[start:end] == quote`; anything under 100% is a bug);
- faithfulness: the share of the answer's claims that the cited quotes support, per the judge;
- correctness: an answerable question is answered with a quote that overlaps a gold evidence text;
- refusals: refusal precision and recall (unanswerable = positive) and outcome accuracy;
- latency: time to first token and total, per question, with medians.

Two judges decide whether a quote supports a claim: `OfflineJudge` (deterministic, no LLM:
embedding cosine plus the lexical entailment cues of `rag.verify.support`, with a threshold
fitted on labelled pairs by `--judge-accuracy --save-judge`) and `LLMJudge` (RAGAS style:
the answer is broken into claims by an LLM, then each claim is verified against the cited
quotes by a yes/no prompt, on any configured backend).

Question sets are JSONL (`{"id", "q", "answerable", "lang", "sources", "evidence"}`, optional
`"tags"`) or SQuAD-format JSON, whose contexts are ingested as documents and whose gold answer
texts become the evidence.

Modules, one job each: config (paths and fixed parameters), sets (question sets, SQuAD files),
matching (normalisation, the answer-text hit rule, overlap measures), judges, scoring (asking and
measuring, aggregates), judge_pairs (labelled pairs, judge accuracy, threshold fit), report (text
and HTML), compare (compare two reports, check thresholds), cli (what `rag eval` runs).
"""
from .compare import check_thresholds, compare_reports
from .judges import LLMJudge, OfflineJudge, make_judge
from .report import format_report, render_html
from .scoring import run_eval
from .sets import EvalSet, Question, load_set

__all__ = ["EvalSet", "LLMJudge", "OfflineJudge", "Question", "check_thresholds", "compare_reports", "format_report",
           "load_set", "make_judge", "render_html", "run_eval"]
