"""Judge accuracy: labelled (claim, passage) pairs built from SQuAD-format files, the offline
threshold fitted on half of them and each judge measured on the other half."""
from __future__ import annotations

import datetime as _dt
import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import InputError
from ..text import detect_lang, one_line, split_sentences
from .config import DEFAULT_JUDGE_DATA, SHARED_DATA_DIR
from .judges import LLMJudge, OfflineJudge
from .matching import units
from .sets import load_squad


@dataclass
class JudgePair:
    group: str  # the SQuAD question the pair was made from (halves never share a group)
    lang: str
    kind: str  # sentence | clause | qa (supported); other-passage | same-document | number | name | negation | qa-swapped
    claim: str
    passage: str
    label: bool


SUPPORTED_KINDS = ("sentence", "clause", "qa")
_AUX = re.compile(r"\b(is|are|was|were|can|could|may|might|will|would|should|has|have|had|does|do|did|must)\b(?! not)")
_ZH_NEG = (("可以", "不可以"), ("能够", "不能够"), ("是", "不是"), ("有", "没有"), ("能", "不能"), ("会", "不会"))
_ZH_WH = re.compile(r"什么时候|什么|哪一年|哪年|哪里|哪儿|哪个|哪位|哪些|多少|几|谁|何时|何地|何")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_NAME = re.compile(r"(?<=\s)[A-Z][A-Za-z0-9-]{2,}")


def build_judge_pairs(files: Sequence[str | Path] = DEFAULT_JUDGE_DATA, per_file: int = 70, seed: int = 13
                      ) -> list[JudgePair]:
    """Labelled (claim, passage) pairs from SQuAD-format files.

    For a sampled question, the passage is the gold answer's sentence with up to two sentences
    either side. Supported claims: that sentence verbatim ("sentence"), the clause holding the
    answer ("clause"), the question turned into a statement with the gold answer ("qa").
    Unsupported claims: a sentence from another context ("other-passage") or from far away in
    the same context ("same-document"), and minimal alterations of the gold sentence: a changed
    number ("number"), a swapped name ("name"; for Chinese the answer span is swapped), an
    inserted negation ("negation"), and the question stated with another question's answer
    ("qa-swapped")."""
    rng = random.Random(seed)
    pairs: list[JudgePair] = []
    for file in files:
        titles, contexts, questions = load_squad(file)
        spans = {}
        order = list(range(len(questions)))
        rng.shuffle(order)
        all_answers = [a for q in questions for a in q.answers if 2 <= len(a) <= 40]
        made = 0
        for qi in order:
            if made >= per_file:
                break
            q = questions[qi]
            ctx = contexts[q.context_index]
            if q.context_index not in spans:
                spans[q.context_index] = split_sentences(ctx)
            sents = spans[q.context_index]
            answer = q.answers[0]
            pos = ctx.find(answer)
            if pos < 0 or not sents:
                continue
            hit = [i for i, (s, e) in enumerate(sents) if s < pos + len(answer) and e > pos]
            if not hit:
                continue
            i0, i1 = hit[0], hit[-1]
            gold = one_line(ctx[sents[i0][0]: sents[i1][1]])
            if not (20 <= len(gold) <= 400) or len(units(gold)) < 6:
                continue
            w0, w1 = max(0, i0 - 2), min(len(sents) - 1, i1 + 2)
            passage = one_line(ctx[sents[w0][0]: sents[w1][1]])
            lang = detect_lang(q.question)
            group = f"{Path(file).stem}:{q.id}"
            made += 1

            def add(kind: str, claim: str, label: bool) -> None:
                claim = claim.strip()
                if claim and len(units(claim)) >= 3:
                    pairs.append(JudgePair(group, lang, kind, claim, passage, label))

            add("sentence", gold, True)
            clause = _answer_clause(gold, answer)
            if clause and clause != gold:
                add("clause", clause, True)
            add("qa", _qa_claim(q.question, answer, lang), True)
            # -- unsupported
            other_q = questions[rng.randrange(len(questions))]
            if other_q.context_index != q.context_index:
                octx = contexts[other_q.context_index]
                osents = [s for s in spans.setdefault(other_q.context_index, split_sentences(octx))
                          if 30 <= s[1] - s[0] <= 300]
                if osents:
                    s, e = osents[rng.randrange(len(osents))]
                    add("other-passage", one_line(octx[s:e]), False)
            far = [(s, e) for j, (s, e) in enumerate(sents) if (j < w0 - 3 or j > w1 + 3) and 30 <= e - s <= 300]
            if far:
                s, e = far[rng.randrange(len(far))]
                add("same-document", one_line(ctx[s:e]), False)
            numbered = _change_number(gold, rng)
            if numbered:
                add("number", numbered, False)
            swapped = _swap_name(gold, answer, passage, lang, all_answers, rng)
            if swapped:
                add("name", swapped, False)
            negated = _negate(gold, lang)
            if negated:
                add("negation", negated, False)
            wrong = [a for a in all_answers if a not in passage and a != answer]
            if wrong:
                add("qa-swapped", _qa_claim(q.question, wrong[rng.randrange(len(wrong))], lang), False)
    return pairs


def _answer_clause(sentence: str, answer: str) -> str:
    """The clause of the sentence that holds the answer, grown with neighbours to 6+ words."""
    parts = [p for p in re.split(r"(?<=[,;:，；：])\s*", sentence) if p.strip()]
    if len(parts) < 2:
        return ""
    pos = sentence.find(answer[: min(len(answer), 12)])
    acc = 0
    idx = 0
    for i, p in enumerate(parts):
        if sentence.find(p, acc) <= pos < sentence.find(p, acc) + len(p):
            idx = i
            break
        acc = sentence.find(p, acc) + len(p)
    lo = hi = idx
    while len(units("".join(parts[lo: hi + 1]))) < 6 and (lo > 0 or hi < len(parts) - 1):
        if hi < len(parts) - 1:
            hi += 1
        else:
            lo -= 1
    clause = (" " if re.search(r"[A-Za-z]", sentence) else "").join(p.strip() for p in parts[lo: hi + 1])
    return clause.rstrip(",;:，；：")


def _qa_claim(question: str, answer: str, lang: str) -> str:
    question = question.strip()
    answer = one_line(answer).strip().rstrip(".。")
    if lang == "zh":
        if _ZH_WH.search(question):
            return _ZH_WH.sub(answer, question, count=1).rstrip("？?") + "。"
        return f"{question.rstrip('？?')}：{answer}。"
    return f"{question.rstrip(' ?')}: {answer}."


def _change_number(sentence: str, rng: random.Random) -> str:
    nums = list(_NUMBER.finditer(sentence))
    if not nums:
        return ""
    m = nums[rng.randrange(len(nums))]
    val = m.group(0)
    if "." in val:
        new = f"{float(val) * rng.choice((2, 3)) + 1:.{len(val.split('.')[1])}f}"
    else:
        n = int(val)
        new = str(n + rng.choice((1, 2, 3, 7))) if 1900 <= n <= 2100 else str(n * rng.choice((2, 3)) + rng.choice((1, 3)))
    return sentence[: m.start()] + new + sentence[m.end():]


def _swap_name(sentence: str, answer: str, passage: str, lang: str, answers: list[str], rng: random.Random) -> str:
    if lang == "zh":
        if answer not in sentence or len(answer) > 20:
            return ""
        options = [a for a in answers if a not in passage and abs(len(a) - len(answer)) <= 3 and a != answer]
        return sentence.replace(answer, options[rng.randrange(len(options))], 1) if options else ""
    names = [m for m in _NAME.finditer(sentence) if m.group(0).lower() not in {"the", "this", "these", "however"}]
    if not names:
        return ""
    m = names[rng.randrange(len(names))]
    pool = [a for a in answers for a in _NAME.findall(" " + a) if a not in passage and a != m.group(0)]
    if not pool:
        return ""
    return sentence[: m.start()] + pool[rng.randrange(len(pool))] + sentence[m.end():]


def _negate(sentence: str, lang: str) -> str:
    if lang == "zh":
        for word, neg in _ZH_NEG:
            i = sentence.find(word)
            if i >= 0 and sentence[max(0, i - 1): i] not in ("不", "没", "所", "具", "拥", "享", "含", "占", "只", "还", "都"):
                return sentence[:i] + neg + sentence[i + len(word):]
        return ""
    m = _AUX.search(sentence)
    if not m:
        return ""
    return sentence[: m.end()] + " not" + sentence[m.end():]


def _prf(labels: list[bool], preds: list[bool]) -> dict:
    tp = sum(l and p for l, p in zip(labels, preds))
    fp = sum(p and not l for l, p in zip(labels, preds))
    fn = sum(l and not p for l, p in zip(labels, preds))
    tn = sum(not l and not p for l, p in zip(labels, preds))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"pairs": len(labels), "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
            "accuracy": round((tp + tn) / len(labels), 4) if labels else 0.0,
            "unsupported_rejected": round(tn / (tn + fp), 4) if tn + fp else None}


def _per_kind(pairs: list[JudgePair], preds: list[bool]) -> dict:
    """Share of each kind of pair judged correctly (recall for supported kinds, rejection otherwise)."""
    out: dict[str, list[int]] = {}
    for p, pred in zip(pairs, preds):
        c = out.setdefault(p.kind, [0, 0])
        c[0] += pred == p.label
        c[1] += 1
    return {k: {"right": v[0], "pairs": v[1], "rate": round(v[0] / v[1], 4)} for k, v in sorted(out.items())}


def fit_threshold(scores: list[float], labels: list[bool]) -> float:
    """The threshold maximising F1 ("supported" as the positive class) on these pairs; ties go
    to the higher threshold (a stricter judge)."""
    best_t, best_f = 0.5, -1.0
    for t in sorted(set(scores)):
        f = _prf(labels, [s >= t for s in scores])["f1"]
        if f >= best_f:
            best_t, best_f = t, f
    # Halfway to the next lower score keeps the fit from sitting exactly on a training point.
    lower = [s for s in scores if s < best_t]
    return round((best_t + max(lower)) / 2, 4) if lower else round(best_t, 4)


def judge_accuracy(embedder, llm_backend=None, files: Sequence[str | Path] = DEFAULT_JUDGE_DATA,
                   per_file: int = 70, llm_sample: int = 60, seed: int = 13, engine_threshold: float | None = None,
                   progress=None) -> dict:
    """Precision, recall and F1 of each judge on labelled pairs: the offline threshold is fitted
    on one half of the questions and measured on the other; the LLM judge is measured on a
    sample of the test half stratified by kind (the offline judge is reported on the same sample)."""
    files = [Path(f) for f in files]
    if not files:
        raise InputError("No labelled data for the judge accuracy: pass SQuAD-format files with --judge-data.")
    missing = [f for f in files if not f.exists()]
    if missing:
        where = (f" (the default files are expected in {SHARED_DATA_DIR}, beside the repository)"
                 if any(f in DEFAULT_JUDGE_DATA for f in missing) else "")
        raise InputError(f"Labelled data for the judge accuracy is missing: {', '.join(map(str, missing))}{where}; "
                         "pass SQuAD-format files with --judge-data.")
    pairs = build_judge_pairs(files, per_file, seed)
    groups = sorted({p.group for p in pairs})
    random.Random(seed).shuffle(groups)
    fit_groups = set(groups[: len(groups) // 2])
    fit = [p for p in pairs if p.group in fit_groups]
    test = [p for p in pairs if p.group not in fit_groups]
    judge = OfflineJudge(embedder, 0.5)
    t = time.perf_counter()
    fit_scores = judge.scores([(p.claim, p.passage) for p in fit])
    test_scores = judge.scores([(p.claim, p.passage) for p in test])
    offline_s = time.perf_counter() - t
    threshold = fit_threshold(fit_scores, [p.label for p in fit])
    labels = [p.label for p in test]
    rows: dict[str, dict] = {}
    preds = [s >= threshold for s in test_scores]
    rows["offline"] = {**_prf(labels, preds), "threshold": threshold, "per_kind": _per_kind(test, preds),
                       "per_lang": {lang: _prf([p.label for p in test if p.lang == lang],
                                               [pr for p, pr in zip(test, preds) if p.lang == lang])
                                    for lang in sorted({p.lang for p in test})},
                       "ms_per_pair": round(1000 * offline_s / max(1, len(fit) + len(test)), 2)}
    if engine_threshold is not None:
        p2 = [s >= engine_threshold for s in test_scores]
        rows["offline@engine"] = {**_prf(labels, p2), "threshold": engine_threshold, "per_kind": _per_kind(test, p2)}
    result = {
        "data": [str(f) for f in files],
        "seed": seed,
        "pairs": len(pairs),
        "fit_pairs": len(fit),
        "test_pairs": len(test),
        "kinds": {k: sum(p.kind == k for p in pairs) for k in sorted({p.kind for p in pairs})},
        "offline_threshold": threshold,
        "judges": rows,
        "created": _dt.datetime.now().isoformat(timespec="seconds"),
    }
    if llm_backend is not None and llm_sample > 0:
        sample = _stratified(test, llm_sample, seed)
        llm = LLMJudge(llm_backend)
        t = time.perf_counter()
        verdicts = []
        for i, p in enumerate(sample, 1):
            verdicts.append(llm.verify_one(p.claim, p.passage))
            if progress and (i % 10 == 0 or i == len(sample)):
                progress(f"llm judge: {i}/{len(sample)} pairs, {time.perf_counter() - t:.0f}s")
        lp = [v.supported for v in verdicts]
        sl = [p.label for p in sample]
        rows["llm"] = {**_prf(sl, lp), "backend": llm_backend.label, "per_kind": _per_kind(sample, lp),
                       "unparsed": llm.unparsed, "s_per_pair": round((time.perf_counter() - t) / max(1, len(sample)), 2),
                       "examples": [{"kind": p.kind, "label": p.label, "claim": p.claim[:160], "reply": v.raw}
                                    for p, v in list(zip(sample, verdicts))[:8]]}
        idx = {id(p): i for i, p in enumerate(test)}
        op = [test_scores[idx[id(p)]] >= threshold for p in sample]
        rows["offline (same sample)"] = {**_prf(sl, op), "threshold": threshold, "per_kind": _per_kind(sample, op)}
    return result


def _stratified(pairs: list[JudgePair], n: int, seed: int) -> list[JudgePair]:
    rng = random.Random(seed + 1)
    by_kind: dict[str, list[JudgePair]] = {}
    for p in pairs:
        by_kind.setdefault(p.kind, []).append(p)
    for v in by_kind.values():
        rng.shuffle(v)
    out: list[JudgePair] = []
    while len(out) < n and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(out) < n:
                out.append(by_kind[kind].pop())
    return out
