"""The evaluation's settings in one place: where its files live and the fixed parameters of its measures."""
from __future__ import annotations

from ..settings import REPO_ROOT

EVAL_DIR = REPO_ROOT / "eval"
DEFAULT_SET = EVAL_DIR / "seeds_questions.jsonl"
JUDGE_FILE = EVAL_DIR / "judge.json"  # the offline judge's fitted threshold and its measured accuracy

# Shared data sets live beside the repository checkout (../shared/data), not inside it.
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
# SQuAD-format files the judge-accuracy pairs are built from when --judge-data is not given.
DEFAULT_JUDGE_DATA = (SHARED_DATA_DIR / "covidqa_dev.json", SHARED_DATA_DIR / "cmrc2018_trial.json")

MRR_DEPTH = 10  # retrieval ranks are looked for in the top 10 passages
LANGS = ("en", "zh")  # the languages a question may be in
