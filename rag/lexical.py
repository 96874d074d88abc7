"""Lexical retrieval: BM25 (bm25s) over our own tokens, with jieba for Chinese.

bm25s's default token pattern makes a whole Chinese clause one token, so Chinese never
matches (see STACK.md). We tokenize ourselves: Latin words are lowercased, stop-worded and
stemmed; CJK runs are segmented by jieba in search mode (which also emits the sub-words of
long words, so a query word still matches a longer compound in the text).
"""
from __future__ import annotations

import json
import logging
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .text import CJK, CJK_CHAR, LATIN

_RUN = re.compile(rf"[{CJK}]+|[0-9{LATIN}]+(?:['’][a-z]+)?")

EN_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most my
    myself no nor not now of off on once only or other our ours ourselves out over own same she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also""".split()
)
ZH_STOP = frozenset("的 了 是 在 和 与 及 或 也 都 而 就 对 为 以 于 之 其 这 那 有 被 把 从 到 中 等 吗 呢 吧 啊 什么 哪 哪些 怎么 如何 为什么 是否".split())


@lru_cache(maxsize=1)
def jieba_segmenter():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def stemmer():
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:  # stemming improves recall but is not essential
        return None


def tokenize(text: str) -> list[str]:
    stem = stemmer()
    out: list[str] = []
    for run in _RUN.findall(text):
        if CJK_CHAR.match(run):
            for tok in jieba_segmenter().cut_for_search(run):
                if tok not in ZH_STOP:
                    out.append(tok)
        else:
            low = run.lower().replace("’", "'")
            if low in EN_STOP:
                continue
            out.append(stem.stemWord(low) if stem else low)
    return out


def tagged_words(text: str) -> list[tuple[str, str]]:
    """(word, part-of-speech tag) by jieba: nr person, ns place, nt organisation, ..."""
    jieba_segmenter()
    import jieba.posseg

    return [(w.word, w.flag) for w in jieba.posseg.cut(text)]


class BM25Index:
    """A BM25 index over passage ids, saved to and loaded from one folder."""

    def __init__(self, ids: list[str], model=None):
        self.ids = ids
        self.model = model

    @classmethod
    def build(cls, ids: Sequence[str], token_lists: Iterable[list[str]]) -> "BM25Index":
        import bm25s

        ids = list(ids)
        if not ids:
            return cls([], None)
        model = bm25s.BM25()
        model.index(list(token_lists), show_progress=False)
        return cls(ids, model)

    def save(self, folder: Path) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps(self.ids))
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        import bm25s

        ids = json.loads((folder / "ids.json").read_text())
        if not ids:
            return cls([], None)
        model = bm25s.BM25.load(str(folder), show_progress=False, mmap=False)
        return cls(ids, model)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if self.model is None or not self.ids:
            return []
        vocab = self.model.vocab_dict
        tokens = [t for t in tokenize(query) if t in vocab]
        if not tokens:
            return []
        k = min(k, len(self.ids))
        docs, scores = self.model.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        out = []
        for i, s in zip(docs[0], scores[0]):
            if s > 0:
                out.append((self.ids[int(i)], float(s)))
        return out

    def scores_for(self, query: str) -> np.ndarray:
        """BM25 score of every passage, in `ids` order (for benchmarks and diagnostics)."""
        if self.model is None:
            return np.zeros(0)
        vocab = self.model.vocab_dict
        tokens = [t for t in tokenize(query) if t in vocab]
        return self.model.get_scores(tokens) if tokens else np.zeros(len(self.ids))
