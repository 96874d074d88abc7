"""Who wrote a document, from its byline or reference line, so that a claim in the authors' voice
("Tang argues …", "在张夏恒、马妍看来，……") is not taken for a claim about someone the cited
sentence names (the article quotes Xi Jinping; its authors argue the point).

Found where articles put them: "By Qiu Ping", "The author is Tang Yunyi, …", "Authors: Kin,
Nathalie; Guerard, Pauline", "作者：…", a reference line "张夏恒, 马妍. 标题[J]. …", and a paper's
author line printed the way journals print Chinese names ("ZHANG Xiaheng, MA Yan").
"""
from __future__ import annotations

import re

HEAD_CHARS = 1500  # a paper's author line is in its first lines
_LABEL_WORDS = r"(?!(?:Source|Updated|Editor|Date|Published|Posted|Photo|Reporter)\b)"
_NAME = rf"{_LABEL_WORDS}[A-Z][a-z'’\-]+(?:[^\S\n]+{_LABEL_WORDS}[A-Z][a-z'’\-]+){{0,2}}"  # on one line
_BY = re.compile(rf"(?m)^\W*By\s+({_NAME})")
_AUTHOR_IS = re.compile(rf"\bThe authors? (?:is|are|was|were)\s+({_NAME}(?:\s*(?:,|and)\s*{_NAME})*)")
_AUTHORS_LINE = re.compile(r"(?m)^\W*Authors?\s*[:：][^\S\n]*([^\n]{2,600})")
_ZH_AUTHORS = re.compile(r"作者\s*[:：]\s*((?:[\u4e00-\u9fff]{2,4}\s*[,，、]\s*)*[\u4e00-\u9fff]{2,4})")
# 张夏恒, 马妍. 因地制宜发展新质生产力的……[J]. (a Chinese reference line, its authors first)
_ZH_REFERENCE = re.compile(r"(?m)^\W*(?:引用本文\s*[:：]\s*)?((?:[\u4e00-\u9fff]{2,4}\s*[,，、]\s*)*[\u4e00-\u9fff]{2,4})"
                           r"\s*[.。]\s*[^\n]{4,200}?\[[JMCDN]\]")
_JOURNAL_LINE = re.compile(r"(?m)^\W*(?:Citation\s*:\s*)?([A-Z]{2,}\s+[A-Z][a-z]+\b[^\n]{0,120})$")
_JOURNAL_NAME = re.compile(r"\b([A-Z]{2,})\s+([A-Z][a-z]+)\b")  # ZHANG Xiaheng


def authors(doc: str) -> tuple[str, ...]:
    """The document's author names, each as it is usually written ("Nathalie Kin" for "Kin,
    Nathalie"); empty when none is found."""
    found: list[str] = [m.group(1) for m in _BY.finditer(doc)]
    for m in _AUTHOR_IS.finditer(doc):
        found += re.split(r"\s*(?:,|\band\b)\s*", m.group(1))
    for m in _AUTHORS_LINE.finditer(doc):
        line = m.group(1)
        if ";" in line:  # Kin, Nathalie; Guerard, Pauline
            for entry in line.split(";"):
                last, _, first = entry.partition(",")
                found.append(f"{first.strip()} {last.strip()}".strip())
        else:
            found += re.split(r"\s*(?:,|\band\b)\s*", line)
    for m in _ZH_AUTHORS.finditer(doc):
        found += re.split(r"\s*[,，、]\s*", m.group(1))
    head = doc[:HEAD_CHARS]
    for m in _ZH_REFERENCE.finditer(head):
        found += re.split(r"\s*[,，、]\s*", m.group(1))
    for m in _JOURNAL_LINE.finditer(head):
        found += [f"{n.group(1).title()} {n.group(2)}" for n in _JOURNAL_NAME.finditer(m.group(1))]
    return tuple(dict.fromkeys(n.strip(" .") for n in found if 2 <= len(n.strip(" .")) <= 60))
