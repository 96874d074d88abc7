"""Abbreviations a document defines ("early endosomes (EEs)", "hydroxychloroquine (HCQ)"), so
that a sentence using the short form states the words of the long one.

A scientific article defines a term once and abbreviates it after; a reader's claim spells it
out ("early endosomes were larger than endolysosomes" for "most EEs were much smaller than
ELs"). The definitions are found with Schwartz & Hearst's algorithm (2003): a short form in
parentheses, whose letters are found from its end backwards in the words before it, its first
letter opening a word.
"""
from __future__ import annotations

import re
from functools import lru_cache

_SHORT = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-]{1,9})\s*\)")
_SENTENCE_START = re.compile(r"[.;:!?\n]\s+|\(")


def _long_form(short: str, before: str) -> str | None:
    """The long form of `short` ending `before` (the text up to its parenthesis), or None."""
    core = short[:-1] if short.endswith("s") and sum(c.isupper() for c in short[:-1]) >= 2 else short
    letters = [c.lower() for c in core if c.isalnum()]
    if len(letters) < 2:
        return None
    # Look back no further than the clause and min(|SF| + 5, 2|SF|) words.
    start = max((m.end() for m in _SENTENCE_START.finditer(before)), default=0)
    words = before[start:].split()
    words = words[-min(len(letters) + 5, 2 * len(letters)):]
    if not words:
        return None
    text = " ".join(words)
    low = text.lower()
    i = len(low) - 1
    for k in range(len(letters) - 1, 0, -1):
        while i >= 0 and low[i] != letters[k]:
            i -= 1
        if i < 0:
            return None
        i -= 1
    # The first letter opens a word: the nearest such word, or an earlier one when that gives
    # the short form's capitals a word each ("Early endosomes (EEs)", not "endosomes").
    starts = [j for j in range(i, -1, -1) if low[j] == letters[0] and (j == 0 or not low[j - 1].isalnum())]
    if not starts:
        return None
    capitals = sum(c.isupper() for c in core)
    def initials_fit(j: int) -> bool:  # every word of the long form opens with a letter of the short form
        words = re.split(r"[\s-]+", text[j:].strip())
        return capitals <= len(words) <= capitals + 1 and all(w[:1].lower() in letters for w in words if w)

    start = next((j for j in starts if not re.search(r"[(),;]", text[j:]) and initials_fit(j)), starts[0])
    long = text[start:].strip(" ,;-")
    if len(long) <= len(core) or " " not in long and len(long) < 2 * len(core):
        return None
    if core.lower() in long.lower().split():
        return None
    return long


def definitions(text: str) -> dict[str, str]:
    """short form -> long form for each abbreviation `text` defines; a plural short form ("EEs")
    is also given as its singular ("EE"). (The store keeps them per document.)"""
    out: dict[str, str] = {}
    for m in _SHORT.finditer(text):
        short = m.group(1)
        if sum(c.isupper() for c in short) < 2 or short in out:
            continue
        long = _long_form(short, text[max(0, m.start() - 200) : m.start()])
        if long is None:
            continue
        out[short] = long
        if short.endswith("s") and short[:-1] not in out:
            out[short[:-1]] = long
    return out


@lru_cache(maxsize=64)
def _pattern(shorts: tuple[str, ...]) -> re.Pattern:
    longest_first = sorted(shorts, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, longest_first))})s?(?!\w)")


def used_in(text: str, defined: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(short, long) for each defined short form `text` uses as a word (or in its plural)."""
    if not defined:
        return ()
    found = set(_pattern(tuple(defined)).findall(text))
    found |= {f[:-1] for f in found if f.endswith("s")}  # "EEs" uses EEs and EE
    return tuple((s, l) for s, l in defined.items() if s in found or s + "s" in found)
