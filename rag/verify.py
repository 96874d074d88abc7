"""Verification after generation: every answer sentence must be backed by a source sentence.

A draft is split into sentences (English and Chinese). Each is judged for what it CLAIMS, not
for how similar it looks (`rag.claims` takes a sentence apart):

1. Alignment. Every sentence of the retrieved passages is scored by how much of the claim's
   content it states: shared words weighted by rarity among the retrieved sentences, and across
   languages CC-CEDICT glosses and pinyin (习近平 ~ Xi Jinping); the best few are compared with
   the claim by embedding cosine too (multilingual-e5: a Chinese claim meets an English source).
   The best sentence is the evidence; a second sentence joins it when it states claim content
   the first lacks (a sentence that joins two source sentences cites both).
2. Contradiction checks against that evidence: a number, date or ordinal the evidence does not
   state; a polarity flip (negation in EN and ZH); a name the evidence lacks where it names
   someone else; overstatement ("only", "proves", 一定, 根本原因) the evidence does not share;
   who-does-what-to-whom reversed (the same relation word with its two sides swapped).
3. The support score (alignment) must reach `support_threshold`, and no check may fail.

The evidence becomes the citation (verbatim slices of the source); a citation the model put on
the wrong passage is moved. Unsupported sentences are listed, and dropped in strict mode. An
optional `judge` (claim, evidence texts) -> bool, e.g. `llm_verdict` with a backend, replaces
steps 2-3 for the final yes/no.
"""
from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable


from . import claims as C
from .embeddings import encode_cached
from .evidence import Evidence, SourceSentence, from_results, span_text, tokens_with_terms
from .lexical import EN_STOP, jieba_segmenter, stemmer, tokenize
from .text import (CJK, CJK_CHAR, PARAGRAPH_BREAK, has_cjk, is_bibliographic, join_sentences, nth,
                   split_sentences, with_marks)
from .types import Citation, SearchResult

_PARAGRAPH_BREAK = re.compile(PARAGRAPH_BREAK)
# A citation marker: [1], [1, 2], 【1】, [1、2].
_MARK_BODY = r"[\[【]\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[\]】]"
_MARK = re.compile(r"\s*" + _MARK_BODY)
_MARK_AFTER_STOP = re.compile(rf"([.。!?！？；;])\s*((?:{_MARK_BODY}\s*)+)")
_MARK_BEFORE_SENTENCE = re.compile(rf"((?:{_MARK_BODY})+)[^\S\n]+(?=[A-Z0-9\"“‘(（{CJK}])")


@dataclass
class Verdict:
    sentence: str  # answer sentence, without citation markers
    cited: list[int]  # passage numbers the draft cited (1-based, as in the prompt)
    support: float
    sources: list[SourceSentence]  # best first; empty when unsupported
    reasons: list[str] = field(default_factory=list)  # why it is not supported, in words (empty when it is)
    compared: list[SourceSentence] = field(default_factory=list)  # unsupported: the closest source sentences it was judged against

    @property
    def supported(self) -> bool:
        return bool(self.sources)


def strip_marks(text: str, replacement: str = "") -> str:
    """`text` without its citation markers ([1], [1, 2], 【1】) and the space before them."""
    return _MARK.sub(replacement, text)


def split_answer(draft: str) -> list[tuple[str, list[int]]]:
    """Answer sentences with the [n] numbers cited in each, markers removed."""
    # "...overcapacity. [1]" and "...过剩。[1]": a marker after the full stop belongs before it.
    draft = _MARK_AFTER_STOP.sub(lambda m: f" {m.group(2)}{m.group(1)} ", draft)
    # "…Updated: 2024-05-30 [2] The Necessity…": a marker followed by a new sentence ends the one
    # before it even without a full stop, or two sources' texts would be judged as one claim.
    draft = _MARK_BEFORE_SENTENCE.sub(lambda m: m.group(1) + "\n\n", draft)
    out = []
    for s, e in split_sentences(draft):
        sent = draft[s:e]
        cited = [int(n) for m in _MARK.finditer(sent) for n in re.split(r"\s*[,，、]\s*", m.group(1))]
        clean = re.sub(r"\s+([.。!?！？,，;；:：])", r"\1", strip_marks(sent)).strip()
        # A marker left dangling after the full stop belongs to this sentence.
        if clean and not re.fullmatch(r"[\W_]*", clean):
            out.append((clean, cited))
        elif out and cited:
            out[-1][1].extend(cited)
    return out


def _overlaps(a: SourceSentence, b: SourceSentence) -> bool:
    return a.passage.source == b.passage.source and a.start < b.end and b.start < a.end


def _adjacent(a: SourceSentence, b: SourceSentence) -> bool:
    """Whether the two sentences stand next to each other in one passage."""
    if a.passage.id != b.passage.id:
        return False
    a, b = sorted((a, b), key=lambda s: s.start)
    return a.end <= b.start and not a.passage.text[a.end - a.passage.start : b.start - a.passage.start].strip()


# ---------------------------------------------------------------------------- alignment
# The verifier's constants were chosen on eval/claims_dev.jsonl (`eval/bench_verifier.py --split
# dev`) and are reported on the test split; see docs/evaluation.md.
EMBED_CANDIDATES = 2  # source sentences per claim compared by embedding (about 50 ms each when not cached)
COV_WEIGHT = 0.6  # alignment = COV_WEIGHT * coverage + (1 - COV_WEIGHT) * scaled cosine
COS_LOW, COS_HIGH = 0.78, 0.93  # e5 cosines are compressed: unrelated text sits near 0.78
COS_LOW_CROSS, COS_HIGH_CROSS = 0.72, 0.87  # a Chinese claim and its English source sit lower
COV_WEIGHT_CROSS = 0.3  # across languages the dictionary finds less, the embedding carries more
TITLE_CHARS = 80  # a title longer than this is the document's first sentence
SECOND_GAIN = 0.15  # claim content (weighted coverage) a second sentence must add to be cited with the first
DECISIVE_COV, DECISIVE_GAP = 0.8, 0.2  # lexical alignment alone decides (no embedding, ~50 ms saved): the top
# sentence covers this much of the claim, this much more than the next
_LATIN = re.compile(r"[A-Za-z]")


class _Analysed:
    """A claim, taken apart once."""

    def __init__(self, text: str):
        self.text = text
        self.info = C.analyse(text)
        self.lang = self.info.lang
        self.tokens = list(dict.fromkeys(self.info.tokens))
        self.surface = {stem: low for low, stem in C.en_words(text)}  # English stem -> word as typed


@functools.lru_cache(maxsize=4096)
def _author_tokens(authors: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t for name in authors for t in tokenize(name))


def _token_covered(a: _Analysed, tok: str, src: SourceSentence) -> bool:
    if tok in src.tokens:
        return True
    if src.passage.authors and tok in _author_tokens(src.passage.authors):
        return True  # "Qiu Ping holds that …": the document's author speaks in every sentence of it
    if CJK_CHAR.match(tok):
        if _LATIN.search(src.text):
            if C.zh_glosses(tok) & src.tokens:
                return True
            if len(tok) >= 2 and len(C.pinyin(tok)) >= 4 and C.pinyin(tok) in src.letters:
                return True
        return False
    if has_cjk(src.text):
        word = a.surface.get(tok, tok)
        if any(z in src.text for z in C.en_zh_words(word)):
            return True
        if len(word) >= 4 and C.letters(word) in src.pinyin:
            return True
    return False


def _coverage(a: _Analysed, src: SourceSentence | list[SourceSentence], idf: dict[str, float]) -> float:
    """Share of the claim's content (rare words weigh more) that the source sentence(s) state."""
    srcs = src if isinstance(src, list) else [src]
    if not a.tokens:
        return 0.0
    default = max(idf.values(), default=1.0)
    total = got = 0.0
    for t in a.tokens:
        w = idf.get(t, default)
        total += w
        if any(_token_covered(a, t, s) for s in srcs):
            got += w
    return got / total if total else 0.0


def _scaled(cos: float, cross: bool = False) -> float:
    low, high = (COS_LOW_CROSS, COS_HIGH_CROSS) if cross else (COS_LOW, COS_HIGH)
    return min(1.0, max(0.0, (cos - low) / (high - low)))


# ---------------------------------------------------------------------------- contradiction checks
_NOT_ONLY = re.compile(r"\bnot only\b|\bno longer\b(?=.*\bbut\b)|不仅|不但|不只|不光", re.I)
_CLASSES = {
    "only": ("only", "alone", "solely", "sole", "exclusively", "只", "仅", "唯一", "只要", "只需", "单靠", "唯独", "唯有",
             "惟有"),
    "all": ("every", "everyone", "everything", "entirely", "completely", "altogether", "所有", "一切", "完全", "全部",
            "彻底", "任何"),
    "always": ("always", "总是", "永远", "始终", "一贯", "consistently"),
    "certain": ("inevitably", "inevitable", "necessarily", "guarantee", "guarantees", "guaranteed", "certainly",
                "definitely", "sufficient", "enough", "一定", "必然", "必定", "注定", "保证", "确保", "就能",
                "足以"),
    "proof": ("prove", "proves", "proved", "proven", "proof", "证明", "证实"),
    "cause": ("root cause", "main cause", "sole cause", "decisive", "根本原因", "主要原因", "决定性"),
    "soon": ("as soon as", "immediately", "overnight", "立即", "立刻", "迅速", "马上"),
    "done": ("already", "finally", "once and for all", "已经", "终于", "一劳永逸"),
}
# A source that tells what has happened states a "done" claim's "already" in its tense: "has been
# launched", "was", 已, 了.
_DONE_SAID = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+)?(?:been|become|[a-z]+ed|[a-z]+en|made|put|brought|built|"
                        r"won|begun|set|led|met|found|held|gone|done)\b|\b(?:was|were|no longer)\b|已|了|过", re.I)


# "only weakly", "only a few", "only 5%", 仅3例: "only" that plays a figure or a degree down, not one that excludes.
_ONLY_DOWNTONER = re.compile(r"\bonly\s+(?=(?:\w+ly|a\s+(?:few|little|small|handful|slight|modest|minor)|slight\w*|"
                             r"modest\w*|partial\w*|marginal\w*|weak\w*|mild\w*|moderate\w*|once|twice|some|about|"
                             r"around|approximately|\d|one|two|three|four|five|six|seven|eight|nine|ten|"
                             r"(?:in\s+)?(?:the\s+)?(?:second|third|fourth|fifth|last|bottom|lower)\w*)\b)|(?:仅|只)(?:有|占|为)?(?=[\d一二三四五六七八九十两几百千万]|少数|部分)",
                             re.I)


# What a source may say that a claim's stronger word restates: "For all regions" states "every
# region"; "as quickly as possible", "as soon as possible".
_SOURCE_SAYS_TOO = {"all": ("all", "each", "全都", "都", "皆", "均"),
                    "soon": ("as quickly as possible", "as early as possible", "尽快", "尽早")}


def _classes(text: str, source: bool = False) -> set[str]:
    """The strong words ("only", "all", "already", ...) a text uses, by class; `source`: read as
    the evidence, which states a class in plainer words too."""
    text = _ONLY_DOWNTONER.sub(" ", text)
    low = text.lower()
    out = set()
    for name, words in _CLASSES.items():
        for w in words + (_SOURCE_SAYS_TOO.get(name, ()) if source else ()):
            if CJK_CHAR.match(w):
                if w in text:
                    out.add(name)
            elif re.search(rf"\b{re.escape(w)}\b", low):
                out.add(name)
    return out


# English adjectives that carry their own negation ("odourless", "harmless"), but not these.
_PRIVATIVE = re.compile(r"\b(?!(?:un|regard|neverthe|nonethe|bless|count|end|doubt|wire)less\b)[a-z]{3,}less\b", re.I)


# "what to do and what not to do", "whether or not": a choice, no denial.
_NOT_A_DENIAL = re.compile(r"\b(?:what|which|when|where|whether|how)\s+not\s+to\b|\bor\s+not\b", re.I)


def _polarity(text: str) -> bool:
    return C.negated(_NOT_A_DENIAL.sub(" ", _NOT_ONLY.sub(" ", text)))


_CLAUSE = re.compile(r",(?!\s?\d)|[;:，；：、。!?！？]|\b(?:while|whereas|but|although|though)\b", re.I)  # not "10, 2020"


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if c and c.strip()]


def _clause_sentences(s: SourceSentence) -> list[SourceSentence]:
    """The clauses of a source sentence, each standing for it (same place, its own words)."""
    return [SourceSentence(s.passage, s.rank, s.start, s.end, cl, set(tokenize(cl))) for cl in _clauses(s.text)]


def _polarity_clash(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """Each clause of the claim against the evidence clause that states most of it: a negation
    on one side only. Clause by clause, so that "... are not opposing; the key is to use new
    technologies" still backs "the key is to use new technologies"."""
    ev_clauses = [cl for e in evidence for cl in _clause_sentences(e)]
    if not ev_clauses:
        return False
    # A negation in a neighbouring clause of the evidence may excuse a negated claim clause: only
    # one of the claim's own language, where there is one (a negation in a sentence of the other
    # language is rarely about the same thing).
    own = [j for j, s in enumerate(ev_clauses) if s.lang == a.lang] or range(len(ev_clauses))
    matched = []  # (claim clause negated, the evidence clause that states most of it)
    # "block replication rather than inactivating the virus directly": what "rather than" sets
    # aside is checked against the source by _denied_what_source_says, not here, where it read
    # as asserted ("inactivating the virus directly" against "do not act by inactivating ...").
    for cl in _clauses(_RATHER.sub(" ", _NOT_ONLY.sub(" ", a.text))):
        sub = _Analysed(cl)
        if len(sub.tokens) < 2:
            continue
        # The words that carry the clause: not its negation or its link ("但并不迫切" is 迫切).
        content = [t for t in sub.tokens if t not in C._NEG_ZH_WORDS and t not in _ZH_LINK_WORDS]
        hits = [sum(1 for t in content if _token_covered(sub, t, s)) for s in ev_clauses]
        best = max(range(len(ev_clauses)), key=lambda j: hits[j])
        if (hits[best] < 2 and len(content) > 2) or not hits[best]:
            continue
        if len(content) == 1 and sum(1 for t in a.tokens if _token_covered(a, t, ev_clauses[best])) < 3:
            continue  # one word, denied: only against a clause that states it with more of the claim
        # "able to walk without support": what the evidence goes without, when the claim does
        # not speak of it, is no negation of the walking.
        def ev_negated(j: int) -> bool:
            text = ev_clauses[j].text
            return (_polarity(text) and not _only_without_other_words(sub, text)) \
                or (sub.lang == "zh" and not has_cjk(text) and _PRIVATIVE.search(text) is not None)

        # "odourless" is what Chinese says with a negation (不带有气味): across languages it counts as one.
        negated = _polarity(cl) or (sub.lang == "en" and has_cjk(ev_clauses[best].text) and _PRIVATIVE.search(cl) is not None)
        if negated != ev_negated(best):
            # The negation may sit in a neighbouring clause of the evidence ("not ..., nor ...").
            if negated and any(ev_negated(j) for j in own if hits[j] >= 1):
                continue
            matched.append((negated, best, True))
        else:
            matched.append((negated, best, False))
    for negated, best, clash in matched:
        if not clash:
            continue
        # An evidence clause that says two things, one of them negated ("has its limitation since
        # mice are not naturally infected"), which the claim says in two clauses, the negation in
        # the other one ("of limited use, since most germs do not infect mice"): no clash.
        if not negated and any(n and b == best and not c for n, b, c in matched):
            continue
        return True
    return False


_ZH_LINK_WORDS = frozenset("但 但是 并 而 却 也 还 又 则 就 都 可 仍".split())


def _only_without_other_words(sub: _Analysed, evidence_clause: str) -> bool:
    """Whether the evidence clause's only negation is "without", followed by words (the next two
    content words) the claim clause does not use."""
    cues = list(C._NEG_EN.finditer(evidence_clause))
    if not cues or any(m.group(0).lower() != "without" for m in cues) or has_cjk(evidence_clause):
        return False
    claim = set(sub.tokens)
    return all((scope := tokenize(evidence_clause[m.end():])[:2]) and not set(scope) & claim for m in cues)


_RATHER = re.compile(r"\b(?:rather than|instead of|as opposed to)\s+(.{3,60}?)(?=[,.;:]|$)|(?:而非|而不是)(.{2,20}?)(?=[，。；：,;:]|$)",
                     re.I)


def _denied_what_source_says(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """"A rather than B" (B 而非 A) where the evidence states B, and denies nothing."""
    for m in _RATHER.finditer(a.text):
        denied = tokenize(m.group(1) or m.group(2))
        if not denied:
            continue
        for e in evidence:
            if all(_token_covered(a, t, e) for t in denied) and not _polarity(e.text) and not _RATHER.search(e.text):
                return True
    return False


_PURPOSE = re.compile(r"\b(?:in order to|so as to|so that|with the (?:aim|goal|purpose|intention) of|in an effort to|"
                      r"in a bid to|the (?:aim|goal|purpose) (?:is|was) to)\b|是为了|为的是|目的(?:就|便)?(?:是|在于)|旨在|以便|以求|好让|"
                      r"^为了", re.I)


def _unstated_clause(a: _Analysed, opener: re.Pattern, evidence: list[SourceSentence], min_words: int) -> bool:
    """Whether a clause of the claim that `opener` opens (a purpose, a consequence) is mostly not
    in the evidence: under half of its words (at least `min_words` of them) stated."""
    for m in opener.finditer(a.text):
        clause = re.split(r"[,;:，；：。!?！？]", a.text[m.end():], maxsplit=1)[0]
        toks = [t for t in dict.fromkeys(tokenize(clause)) if t]
        if len(toks) < min_words:
            continue
        covered = sum(1 for t in toks if any(_token_covered(a, t, e) for e in evidence))
        if covered / len(toks) < 0.5:
            return True
    return False


def _added_purpose(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """A purpose the claim gives ("..., 是为了避开白天的酷热", "in order to ...") that the evidence
    neither gives nor words."""
    return not any(_PURPOSE.search(e.text) for e in evidence) and _unstated_clause(a, _PURPOSE, evidence, 2)


_CONSEQUENCE = re.compile(r"[,，;；]\s*(?:and\s+)?(?:so|therefore|thus|hence|as a result|consequently)\b,?|"
                          r"[，,；;]\s*(?:所以|因此|因而|从而|以致|导致|致使|使得)", re.I)


def _added_consequence(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """A consequence the claim draws ("……没有附带Stetic，所以在Mac上根本无法开发图形界面程序") that the
    evidence does not: the source stops at the cause."""
    return _unstated_clause(a, _CONSEQUENCE, evidence, 3)


_HUMAN = re.compile(r"\b(?:humans?|human (?:patients|subjects|beings|trials?)|patients|people|clinical(?:ly)?|men|women|"
                    r"children|adults)\b|人类|人体|患者|病人|临床", re.I)
_ANIMAL = re.compile(r"\b(?:mice|mouse|murine|rats?|animals?|animal models?|macaques?|monkeys?|hamsters?|ferrets?|"
                     r"pigs?|piglets?|in vitro|cell lines?|cultured cells)\b|小鼠|大鼠|动物|猴|体外|细胞系", re.I)


_CAUSAL = re.compile(r"\b(?:caus(?:e|es|ed|ing|al|ally)|directly|lead(?:s)? to|led to|result(?:s|ed)? in|responsible for|"
                     r"drives?|drove|main driver|because|due to|owing to|thanks to|therefore|thus|hence|so that)\b|"
                     r"导致|造成|引起|引发|致使|使得|因为|由于|因此|所以|因而|从而|得益于", re.I)
_TENTATIVE = re.compile(r"\b(?:associat\w*|correlat\w*|linked|link|may|might|could|possibl\w*|potential\w*|suggest\w*|"
                        r"contribut\w*|predispos\w*|risk factor|likely|hypothes\w*)\b|可能|相关|关联|有助于|或许|提示", re.I)


# A cause asserted outright ("directly led to", 直接导致), and the words by which a source links a
# cause and its effect other than `_CAUSAL`'s.
_CAUSED = re.compile(r"\b(?:directly|led to|leading to|resulted in|resulting in|caused|causes)\b|直接导致|导致|造成|致使", re.I)
_LINKED = re.compile(r"\b(?:as|since|so|given|after|following|because|through|by|via|enabl\w*|allow\w*|mak\w+|"
                     r"contribut\w*|promot\w*|induc\w*|trigger\w*|produc\w*|increas\w*|reduc\w*|when|if)\b|"
                     r"使|让|令|后|随后|于是|便|就|为|以|因|致|而", re.I)


def _causal_overclaim(claim: str, etext: str) -> bool:
    """A cause the claim asserts ("obesity itself directly causes", "was the cause of") where the
    evidence text only reports an association or a possibility ("associated with", "may predispose")."""
    return bool(_CAUSAL.search(claim)) and not _CAUSAL.search(etext) and bool(_TENTATIVE.search(etext))


def _cause_unlinked(claim: str, etext: str) -> bool:
    """A cause the claim asserts outright ("directly caused", 直接导致) between things the evidence
    states with no word that links them at all."""
    return (bool(_CAUSED.search(claim)) and not _CAUSAL.search(etext) and not _TENTATIVE.search(etext)
            and not _LINKED.search(etext))


# Degree words: a claim that plays down what its source stresses ("only a minor effect" against
# "greatly aggravated"), or stresses what its source plays down.
_WEAK_DEGREE = re.compile(r"\b(?:minor|slight(?:ly)?|marginal(?:ly)?|negligibl[ey]|modest(?:ly)?|mild(?:ly)?|"
                          r"minimal(?:ly)?|somewhat)\b|略微|稍微|轻微|些许|小幅|微弱|略有|稍有", re.I)
_STRONG_DEGREE = re.compile(r"\b(?:greatly|significantly|substantially|markedly|dramatically|sharply|severely|strongly|"
                            r"considerably|hugely|massively|heavily|enormous(?:ly)?|profound(?:ly)?|drastically|vastly|"
                            r"tremendous(?:ly)?)\b|大幅|显著|极大|严重|大大|剧烈|急剧|巨大|极其", re.I)


def _degree_clash(a: _Analysed, evidence: list[SourceSentence]) -> tuple[str, str] | None:
    """(the source's degree word, the claim's) when they pull opposite ways, or None."""
    for mine, other in ((_WEAK_DEGREE, _STRONG_DEGREE), (_STRONG_DEGREE, _WEAK_DEGREE)):
        m = mine.search(a.text)
        if not m or other.search(a.text):
            continue
        for e in evidence:
            o = other.search(e.text)
            if o and not mine.search(e.text) and len(set(a.tokens) & e.tokens) >= 3:
                return o.group(0), m.group(0)
    return None


# A claim that asserts a finding outright: shown, established, effective, direct.
_ASSERTIVE = re.compile(r"\b(?:establish(?:ed|es)?|prov(?:e|es|ed|en)|demonstrat(?:e|es|ed)|confirm(?:s|ed)?|"
                        r"show(?:s|ed|n)? (?:that|to)|effective(?:ly)?|directly|definitive(?:ly)?|cures?|cured|eliminat\w+|"
                        r"(?:is|was|are|were) the (?:main |primary |only )?cause)\b|证明|证实|直接|有效地?治疗|治愈|根治|消除", re.I)
_SPECULATIVE = re.compile(r"\b(?:may|might|could|possibl[ey]|potential(?:ly)?|predict\w*|suggest\w*|likely|"
                          r"hypothes\w*|await\w*|speculat\w*|perhaps)\b|可能|或许|也许|有望|推测|提示|尚待|有待", re.I)


def _certainty_added(claim: str, evidence: list[SourceSentence]) -> bool:
    """The claim asserts outright ("showed that … effectively treats", "directly causes") what a
    cited sentence puts as a possibility ("may contribute", "has a good potential"), the claim
    itself hedging nothing."""
    if _SPECULATIVE.search(claim):
        return False
    etext = " ".join(e.text for e in evidence).lower()
    # A word the source itself uses ("a direct inactivating effect") asserts nothing new, nor one
    # in what the claim sets aside ("rather than by inactivating virions directly").
    asserted = _RATHER.sub(" ", claim)
    if not any(re.sub(r"(?:ly|s|ed)$", "", m.group(0).lower()) not in etext for m in _ASSERTIVE.finditer(asserted)):
        return False
    return any(_SPECULATIVE.search(e.text) for e in evidence)


_ZH_ORD_NUM = r"[零〇一二两三四五六七八九十百\d]+"  # the number of 第N, in digits or characters
_ORD_HEAD_ZH = re.compile(rf"第({_ZH_ORD_NUM})([\u4e00-\u9fff]{{3}})")
_ORD_HEAD_EN = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))[\s-]+"
                          r"([A-Za-z]{3,})", re.I)


_EN_FRACTION = {"half": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4,
                "fifth": 1 / 5, "fifths": 1 / 5}
_FRACTION_EN = re.compile(r"\b(?:(one|a|two|three|four)[\s-]+)?(half|thirds?|quarters?|fifths?)\b(?!-[a-z])(?!\s+of\s+the\s+"
                          r"(?:year|century|season|game|match|decade))", re.I)
_FRACTION_ZH = re.compile(rf"([{C._ZH_NUM}\d]+)分之([{C._ZH_NUM}\d]+)(?!决赛)|一半|半数")  # 四分之一决赛: a round
_EN_COUNT = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4}


def _fractions(text: str) -> set[float]:
    """The shares a text gives as fractions: 三分之一, 一半, "two thirds", "half" (not "the first
    half of the year", nor the ordinals "the third", "a fifth round")."""
    out = set()
    for m in _FRACTION_ZH.finditer(text):
        if m.group(1):
            den = float(m.group(1)) if m.group(1).isdigit() else C.zh_numeral(m.group(1))
            num = float(m.group(2)) if m.group(2).isdigit() else C.zh_numeral(m.group(2))
            if den and num is not None:
                out.add(round(num / den, 3))
        else:
            out.add(0.5)
    for m in _FRACTION_EN.finditer(text):
        word = m.group(2).lower()
        if word != "half" and not m.group(1):
            continue  # "the third", "third-highest": an ordinal
        if word != "half" and not re.match(r"\s*(?:of\b|[,.;]|$)", text[m.end():]):
            continue  # "a third party", "one fifth round": a fraction is "of" something
        out.add(round(_EN_COUNT.get((m.group(1) or "one").lower(), 1) * _EN_FRACTION[word], 3))
    return out


def _fraction_clash(claim: str, etext: str) -> float | None:
    """A share the claim gives as a fraction where the evidence gives others, none the claim's
    (三分之一 against 一半): the claim's fraction, or None."""
    mine, theirs = _fractions(claim), _fractions(etext)
    if mine and theirs and not mine & theirs:
        return min(mine)
    return None


def _ordinal_heads(text: str) -> set[tuple[float, str]]:
    """(ordinal, the words it counts) of a text: 第二代蓝甲虫 -> (2, 代蓝甲), "second-generation" -> (2, generat)."""
    out = set()
    for m in _ORD_HEAD_ZH.finditer(text):
        v = _zh_ordinal_value(m.group(1))
        if v is not None:
            out.add((float(v), m.group(2)))
    for m in _ORD_HEAD_EN.finditer(text):
        o = C.numbers_ordinals(m.group(0))[1]  # "first" alone reads as "at first", no ordinal; "first axis" does
        head = tokenize(m.group(2))
        if o and head:
            out.add((next(iter(o)), head[0]))
    return out


def _ordinal_of_another(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """The claim counts a thing with one ordinal (第一代蓝甲虫) where the sentence that states it
    gives the same thing another (第二代蓝甲虫), the claim's ordinal coming only from a second
    cited sentence about another one."""
    if not a.info.ordinals:
        return False
    mine, first = _ordinal_heads(a.text), _ordinal_heads(evidence[0].text)
    if any(head == h and o != v and (o, head) not in first for o, head in mine for v, h in first):
        return True
    # The words after the ordinal name the one counted: "第19代君主显宗" where the source has
    # "第18代君主显宗，第19代君主肃宗" (both ordinals there, each of another king).
    etext = " ".join(e.text for e in evidence)
    for m in _ORD_HEAD_ZH.finditer(a.text):
        tail = re.match(r"[\u4e00-\u9fff]{5}", a.text[m.start(2):])
        if not tail:
            continue
        stated = {_zh_ordinal_value(x.group(1)) for x in re.finditer(rf"第({_ZH_ORD_NUM}){re.escape(tail.group(0))}", etext)}
        if stated and _zh_ordinal_value(m.group(1)) not in stated:
            return True
    return False


def _zh_ordinal_value(raw: str) -> float | None:
    """The value of 第N's N: 19 for "19" or 十九."""
    return float(raw) if raw.isdigit() else C.zh_numeral(raw)


def _figure_of_another_ordinal(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """A figure the claim gives to one of a numbered series (the second axis) where the evidence
    gives it to another (the first axis), the evidence's clause about the claim's own giving
    another figure: "the second axis accounted for 42.967%" against "The first axis accounts for
    42.967% ..., and the second axis accounts for 3.632%"."""
    mine = _ordinal_heads(a.text)
    if not mine or not a.info.numbers:
        return False
    clauses = [(C.numbers_ordinals(cl)[0], _ordinal_heads(cl)) for e in evidence for cl in _clauses(e.text)]
    for o, head in mine:
        own = [nums for nums, heads in clauses if (o, head) in heads]
        if not own or any(v in nums for nums in own for v in a.info.numbers):
            continue
        for nums, heads in clauses:
            if any(h == head and v != o for v, h in heads) and a.info.numbers & nums:
                return True
    return False


_RANKED_EN = re.compile(r"\b(second|third|fourth|fifth|2nd|3rd|4th|5th)[\s-]+(most\s+[a-z]+|largest|biggest|"
                        r"[a-z]{3,}est|leading)\b", re.I)
_RANKED_ZH = re.compile(r"第([二三四五])(大|多|高|长)")


def _rank_dropped(claim: str, etext: str) -> str | None:
    """The source ranks a thing second ("the second biggest seller", 第二大城市), the claim the
    same word without the rank ("the biggest seller", 最大城市): it makes it first. The rank as
    the source words it, or None. (Where the source also says it without a rank, of something
    else, the claim may be about that.)"""
    for m in _RANKED_EN.finditer(etext):
        word = m.group(2).lower()
        if word in _NOT_SUPERLATIVE:
            continue
        said = re.compile(rf"\b(?:the|its|their|\w+'s)\s+{re.escape(word)}\b", re.I)
        if said.search(claim) and not re.search(rf"\b{m.group(1)}\b", claim, re.I) \
                and not said.search(_RANKED_EN.sub(" ", etext)):
            return m.group(0)
    for m in _RANKED_ZH.finditer(etext):
        top = "最" + m.group(2)
        if (top in claim or "第一" + m.group(2) in claim) and m.group(0) not in claim and top not in etext:
            return m.group(0)
    return None


_MOST_EN = re.compile(r"\bmost\s+([a-z]{4,})\b", re.I)
_MOST_ZH = re.compile(r"最([\u4e00-\u9fff]{2})")


def _superlative_added(claim: str, etext: str) -> bool:
    """"the most important base" where the evidence says "an important base" (最重要 / 重要): the
    claim ranks first what the evidence only describes."""
    low = etext.lower()
    for m in _MOST_EN.finditer(claim):
        word = m.group(1).lower()
        if re.search(rf"\b{word}\b", low) and not re.search(rf"\b(?:most|more)\s+{word}\b", low):
            return True
    for m in _MOST_ZH.finditer(claim):
        word = m.group(1)
        if word in etext and f"最{word}" not in etext and f"更{word}" not in etext:
            return True
    if has_cjk(claim) and not has_cjk(etext):
        # Across languages: 最重要的基地 where the English says "an important base" (in a clause
        # that ranks nothing).
        glosses = set().union(*(C.zh_glosses(m.group(1)) for m in _MOST_ZH.finditer(claim)))
        if glosses:
            rest = _zh_side_words(_MOST_ZH.sub("", claim)) - glosses
            # A clause that says the word unranked, and two more of the claim's words besides.
            if any(glosses & (said := set(tokenize(cl))) and len(rest & said) >= 2 and not _RANKED_ANY.search(cl)
                   for cl in re.split(r"[,;:\"“”]", etext)):
                return True
    elif has_cjk(etext) and not has_cjk(claim) and not re.search(r"最|更|第一|首", etext):
        # ... and "the most important base" where the Chinese says 重要基地.
        stems = set(tokenize(" ".join(m.group(1) for m in _MOST_EN.finditer(claim))))
        if stems and any(C.zh_glosses(w) & stems for w in jieba_segmenter().lcut(etext) if len(w) >= 2):
            return True
    return False


# A superlative the claim asserts where the cited sentences rank nothing at all (no "most", no
# "main", no 最, no list of shares a ranking could be read from).
_RANKS_EN = re.compile(r"\bmost\s+(?:common|likely|populous|\w+(?:ant|ent|ive|ous|al|ic|ful|able|ible|ed))\b|"
                       r"\b(?:best|worst|foremost|largest|biggest|highest|lowest|greatest|smallest|strongest|weakest|"
                       r"fastest|slowest|longest|shortest|oldest|richest|poorest|deepest|widest|heaviest|tallest|"
                       r"busiest|wealthiest|hottest|coldest)\b", re.I)
_RANKS_ZH = re.compile(r"最(?!终|后|初|早|先|近|新|少有)[\u4e00-\u9fff]")
_RANKED_ANY = re.compile(r"\b(?:most|least|best|worst|top|leading|first|foremost|primary|principal|main|chief|"
                         r"predominant\w*|dominant|major\w*|prime|paramount|record|peak\w*|maxim\w*|[a-z]{3,}est|"
                         r"more|less|fewer|higher|lower|greater|larger|smaller|bigger|better|worse)\b|最|之最|第一|首位|首要|居首|主要|之冠|头号|纪录|记录|高峰|峰值|更|较|高于|多于|超过",
                         re.I)


def _superlative_unstated(claim: str, etext: str) -> bool:
    """"the most important factor", 人口最多的县 where no cited sentence ranks anything."""
    if not (_RANKS_EN.search(claim) or _RANKS_ZH.search(claim)):
        return False
    if len(re.findall(r"\d\s*%", etext)) >= 3:  # birds (23.6%), canines (21.35%), ...: a ranking in figures
        return False
    return not any(m.group(0).lower() not in _NOT_SUPERLATIVE for m in _RANKED_ANY.finditer(etext))


_ONE_OF_EN = re.compile(r"\b(?:one|some|among)\s+(?:of\s+)?(?:the|its|their|\w+'s)\s+(most\s+\w+|least\s+\w+|best|worst|"
                        r"[a-z]+est)\b", re.I)
_ONE_OF_ZH = re.compile(r"(最[\u4e00-\u9fff])[^，。；,;]{0,20}?之一")
_NOT_SUPERLATIVE = frozenset("interest test west rest forest request protest suggest honest modest harvest contest "
                             "invest manifest arrest digest quest guest chest nest pest crest".split())


def _one_of_dropped(claim: str, etext: str) -> bool:
    """"the largest" where the evidence says "one of the largest" (最大的……之一): the claim makes
    one of several the first."""
    for m in _ONE_OF_EN.finditer(etext):
        word = m.group(1).lower()
        if word.split()[-1] in _NOT_SUPERLATIVE:
            continue
        if re.search(rf"\b{re.escape(word)}\b", claim, re.I) and not re.search(r"\bone of\b|\bamong\b", claim, re.I):
            return True
    for m in _ONE_OF_ZH.finditer(etext):
        if m.group(1) in claim and "之一" not in claim and "之列" not in claim:
            return True
    return False


def _animal_to_human(claim: str, etext: str) -> bool:
    """A finding the evidence text reports in animals or cells ("in mice") that the claim carries
    over to people ("will cure cancer in human patients"): the evidence says nothing about people."""
    return bool(_HUMAN.search(claim)) and bool(_ANIMAL.search(etext)) and not _HUMAN.search(etext)


def _relation_flip(claim: str, source: str) -> float:
    """How clearly the claim swaps the two sides of a relation the source states: the largest,
    over shared words r, of the share of shared words that sit on the other side of r."""
    ct = tokenize(claim)
    st = tokenize(source)
    shared = [t for t in dict.fromkeys(ct) if ct.count(t) == 1 and st.count(t) == 1]
    cpos = {t: ct.index(t) for t in shared}
    spos = {t: st.index(t) for t in shared}
    # A word used twice ("developed regions … regional development") still places the pair of
    # words it starts, when that pair occurs once on each side.
    cb, sb = list(zip(ct, ct[1:])), list(zip(st, st[1:]))
    for pair in dict.fromkeys(cb):
        if pair[0] not in cpos and cb.count(pair) == 1 and sb.count(pair) == 1:
            shared.append(pair)
            cpos[pair], spos[pair] = cb.index(pair), sb.index(pair)
    if len(shared) < 3:
        return 0.0
    best = 0.0
    for r in shared:
        before_c = {t for t in shared if t != r and cpos[t] < cpos[r]}
        after_c = {t for t in shared if t != r and cpos[t] > cpos[r]}
        before_s = {t for t in shared if t != r and spos[t] < spos[r]}
        after_s = {t for t in shared if t != r and spos[t] > spos[r]}
        a, b = len(before_c & after_s), len(after_c & before_s)
        if a and b:
            best = max(best, min(a / max(1, len(before_c)), b / max(1, len(after_c))))
    return best


_MAJOR_CLAUSE = re.compile(r"[;；]|\b(?:whereas|while|but|although|though)\b|[,，]\s*(?:但|而|然而)", re.I)


NEAR_COPY = 0.75  # share of a claim's other words the evidence states, for a claim that reads as a copy with its names changed


def _copied_but_names(a: _Analysed, names: list[str], evidence: list[SourceSentence]) -> bool:
    """The evidence states nearly all of the claim but for these names."""
    name_tokens = set(tokenize(" ".join(names)))
    rest = [t for t in a.tokens if t not in name_tokens]
    if len(rest) < 3:
        return False
    return sum(1 for t in rest if any(_token_covered(a, t, e) for e in evidence)) / len(rest) >= NEAR_COPY


def _beside(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """The nearest content word before and after text[start:end]."""
    left, right = tokenize(text[:start]), tokenize(text[end:])
    return (left[-1] if left else None), (right[0] if right else None)


def _name_in_slot(a: _Analysed, names: list[str], evidence: list[SourceSentence]) -> bool:
    """One of the claim's names stands where the evidence has another name, between the same
    words: "Two recent German population-based studies" / "Two recent Danish population-based
    studies". Then a neighbouring sentence that mentions the claim's name does not make it so."""
    ev_slots = []
    for e in evidence:
        for y in C.entities(e.text):
            i = e.text.find(y)
            if i >= 0 and C.unmentioned([y], a.text, partly=True):
                ev_slots.append(_beside(e.text, i, i + len(y)))
    for x in names:
        i = a.text.find(x)
        if i < 0:
            continue
        left, right = _beside(a.text, i, i + len(x))
        if any((left and left == l) or (right and right == r) for l, r in ev_slots):
            return True
    return False


# A sentence whose subject refers back to a name given before it.
_REFERS_BACK = re.compile(r"\s*(?:(?:该|此|这|那)(?:[\u4e00-\u9fff]{1,4})?(?=[于在是为已曾将从与和的])|其|它|他|她|牠|"
                          # a Chinese sentence with no subject, after a date: "2013年3月，作为壮族代表，接替……"
                          r"(?:\d{2,4}年(?:\d{1,2}月)?(?:\d{1,2}日)?[，,]?\s*)?(?:作为|曾经|随后|其后|之后|同年|次年|历任|"
                          r"出任|担任|接替|接任|当选|并|又)|"
                          r"(?:It|He|She|They|Its|His|Her|Their|This|These|The (?:bank|company|firm|city|school|"
                          r"university|team|club|group|party|organi[sz]ation|study|author|museum|hospital|church))\b)")


_REFERS_INSIDE = re.compile(r"她|他(?!人)|它|牠|(?<![尤极与])其(?![中他实余次后间])|(?<!应)该|"
                            r"\b(?:he|she|it|its|his|her|they|their|them|this|these)\b", re.I)


def _opening(e: SourceSentence) -> str:
    """The opening sentence of the document, where the passage holding `e` opens it."""
    if e.passage.ordinal:
        return ""
    return re.split(r"(?<=[。！？!?])|(?<=[.])\s", e.passage.text.strip(), maxsplit=1)[0][:300]


def _not_named_in(names: list[str], text: str, tokens: set[str] | None = None) -> list[str]:
    """The names `text` gives in no form (as written, by their letters, in pinyin, or as its
    words: `tokens`, by default the text's own)."""
    if not names:
        return []
    letters, py = C.letters(text), C.pinyin(text) if has_cjk(text) else ""
    tokens = set(tokenize(text)) if tokens is None else tokens
    return [x for x in names if not C.entity_found(x, text, letters, py, tokens)]


def _zh_place(word: str) -> bool:
    """A Chinese place name (jieba's ns tag, as one word)."""
    return _zh_tag(word) == "ns"


def _en_place(name: str) -> bool:
    """An English name most of whose dictionary senses are Chinese place names (Africa, 非洲; not
    "moon", 太阴)."""
    zh = C.en_zh_words(name.lower())
    return bool(zh) and sum(map(_zh_place, zh)) * 2 >= len(zh)


def _proper_name(name: str) -> bool:
    """A person or place name (jieba's nr/ns), or an English one the dictionary gives as such
    (Jeddah, 吉达; Taiwan, 台湾)."""
    return _ZH_NAME(name) if CJK_CHAR.match(name) else any(map(_ZH_NAME, C.en_zh_words(name.lower())))


def _places_named_nowhere(names: list[str], context: list[SourceSentence]) -> list[str]:
    """The places (English names the dictionary gives as a Chinese place name: Africa, 非洲) that
    no retrieved passage gives in any form ("Jiangsu is the largest province in Africa"): the
    documents found do not speak of them. Places only: "the Moon" is the texts' "lunar", "Tang"
    their byline, and neither says so in the dictionary."""
    places = [x for x in names if not CJK_CHAR.search(x) and _en_place(x)]
    if not places:
        return []
    text = " ".join(dict.fromkeys(f"{s.passage.title or ''} {s.passage.text}" for s in context))
    low = text.lower()
    places = [x for x in places if not re.search(rf"(?<![\w-]){re.escape(x.lower())}", low)]
    return [x for x in _not_named_in(places, text) if not any(w in text for w in C.en_zh_words(x.lower()))]


def _names_another(a: _Analysed, evidence: list[SourceSentence], cross: bool) -> list[str]:
    """The names the evidence states that the claim does not mention in any form."""
    cl_letters, cl_py = C.letters(a.text), C.pinyin(a.text) if has_cjk(a.text) else ""
    ev_ents = list(dict.fromkeys(x for e in evidence for x in C.entities(e.text)))
    return [x for x in ev_ents if (not cross or not CJK_CHAR.match(x) or _ZH_NAME(x)) and not _ROLE.fullmatch(x)
            and not C.entity_found(x, a.text, cl_letters, cl_py or cl_letters, set(a.tokens))
            and C.unmentioned([x], a.text, partly=True)  # "the Political Bureau" names the Central Political Bureau
            and not _spelled_out(x, set(a.tokens), evidence)]


def _spelled_out(short: str, tokens: set[str], evidence: list[SourceSentence]) -> bool:
    """Whether the words (tokens) spell out an abbreviation the evidence's passage defines: "an
    infectious disease hospital" names the "IDH", "equine coronavirus" the "ECoV"."""
    for e in evidence:
        long = dict(e.passage.terms).get(short) if e.passage.terms else None
        if long and (words := set(tokenize(long))) and words <= tokens:
            return True
    return False


# A title alone ("the General Secretary", 总书记) names whoever holds it: it may be the claim's person.
_ROLE = re.compile(r"(?:(?:Vice|Deputy|Prime|General|Party|Chief|Executive)\s+)*(?:Secretary|President|Premier|Chairman|"
                   r"Chairwoman|Chair|Director|Minister|Governor|Mayor|Editor|Author|Professor|Dean|Chancellor|King|Queen|"
                   r"Emperor|Pope)(?:\s+General)?|(?:总书记|书记|主席|总理|总统|部长|省长|市长|院长|主任|主编|作者|教授|校长)", re.I)


def _name_from_second_sentence(a: _Analysed, ents: list[str], evidence: list[SourceSentence]) -> tuple | None:
    """(the claim's names, the first sentence's others) when a claim of one statement copies the
    first cited sentence but for a name that only the second states, standing where the first has
    another name: "re-emerged in Singapore" / "re-emerged in Beijing", Singapore named in the
    sentence before for another outbreak. A swap, not a join."""
    if len(evidence) < 2 or evidence[0].lang != a.lang or claim_parts(a.text):
        return None
    first = evidence[0]
    alone = [x for x in ents if not C.entity_found(x, first.text, first.letters, first.pinyin if has_cjk(first.text) else "",
                                                      first.tokens)]
    if alone and _name_in_slot(a, alone, [first]) and _copied_but_names(a, alone, [first]):
        others = _names_another(a, [first], False)
        if others:
            return alone, others[:3]
    return None


SAID_RATIO = 1.5  # how many times more of a claim the sentence stating it states than the one naming its subject


def _said_of_another(a: _Analysed, ents: list[str], evidence: list[SourceSentence]) -> tuple | None:
    """A claim of one statement that copies what one cited sentence says, and takes its name from
    another cited sentence that says little else of it: "The Central Economic Work Conference ranked
    'vigorously promoting ...' first among the top ten government tasks" against "The Central
    Economic Work Conference ... placing 'leading the construction ...' as the first of nine key
    tasks" and "In this year's government work report, 'vigorously promoting ...' ranks first among
    the top ten government tasks". The sentence stating it speaks of something else, by name or not
    (a sentence that refers back, "It ...", may speak of the name). ([the name], [that sentence's
    opening words]) or None."""
    if len(evidence) < 2 or claim_parts(a.text) or a.lang != "en":
        return None  # (Chinese leaves the subject of a sentence unsaid: 1971年8月加入中国共产党)
    for x in ents:
        holders = [e for e in evidence if C.entity_found(x, e.text, e.letters, e.pinyin if has_cjk(e.text) else "", e.tokens)]
        others = [e for e in evidence if e not in holders and e.lang == a.lang and not _REFERS_BACK.match(e.text)]
        if not holders or not others:
            continue
        own = set(tokenize(x))
        rest = [t for t in a.tokens if t not in own]
        if len(rest) < 4:
            continue

        def said(e: SourceSentence) -> float:
            return sum(1 for t in rest if _token_covered(a, t, e)) / len(rest)

        s = max(others, key=said)
        if not _not_named_in([x], f"{s.passage.title or ''} {_opening(s)}"):
            continue  # what its document is about ("In the Cyprus study, ..."): it may speak of that
        # What that sentence opens with, its subject, the claim names too ("Both the Central Economic
        # Work Conference and this year's government work report put ..."): no swap.
        opening = [t for t in tokenize(s.text)[:4] if t not in own]
        if 2 * sum(t in a.tokens for t in opening) > len(opening):
            continue
        if _ROLE.search(" ".join(s.text.split()[:8])):
            continue  # "During the review, the General Secretary pointed out ...": whoever holds it may be the claim's
        if said(s) >= NEAR_COPY and said(s) >= SAID_RATIO * max(map(said, holders)) and not _an_author(x, evidence):
            return [x], [" ".join(s.text.split()[:6]) + " …"]
    return None


def _name_in_other_clause(a: _Analysed, ents: list[str], evidence: list[SourceSentence]) -> tuple | None:
    """A name the evidence states, but in another clause than the one stating the claim, which
    names someone (somewhere) else: "Shenzhen raced to build two hospitals" against "Wuhan ... is
    racing to build two hospitals, whereas ... in Shenzhen city ...". (x, [the other names]) or None."""
    # The claim whole, then each of its own clauses: two names swapped with each other ("Shenzhen
    # raced to build …, while Wuhan converted …") are both in the claim, each in the other's clause.
    units = [a.text]
    own = [p for p in _MAJOR_CLAUSE.split(a.text) if p and len(tokenize(p)) >= 3]
    if len(own) >= 2:
        units += own
    for unit in units:
        ct = set(tokenize(unit)) if unit is not a.text else set(a.tokens)
        mine = [x for x in ents if x in unit]
        for e in evidence:
            parts = [p for p in _MAJOR_CLAUSE.split(e.text) if p and p.strip()]
            if len(parts) < 2:
                continue
            best = max(parts, key=lambda p: len(ct & set(tokenize(p))))
            if len(ct & set(tokenize(best))) < 3:
                continue
            away = _not_named_in([x for x in mine if x in e.text], best)
            if not away:
                continue
            cl_letters, cl_py = C.letters(unit), C.pinyin(unit) if has_cjk(unit) else ""
            # A name in brackets glosses the one before it (the GeneXpert system (Cepheid)): no swap.
            others = [y for y in C.entities(best) if not C.entity_found(y, unit, cl_letters, cl_py or cl_letters, ct)
                      and not re.search(rf"[(（\[]\s*{re.escape(y)}\s*[)）\],;]", best)
                      and not _spelled_out(y, ct, [e])]
            if others:
                return away, others[:3]
    return None


# A clause opening with its subject: a word, up to three more, then a verb ("rhinovirus infections did").
_CLAUSE_SUBJECT = re.compile(r"^\s*(?:the\s+|its\s+|their\s+)?([A-Za-z][\w-]+)(?:\s+[\w-]+){0,3}?\s+(?:is|are|was|were|"
                             r"did|does|do|has|have|had|showed|shows|exhibited|exhibits|remained|remains|peaked|peaks)\b")


def _subject_of_other_clause(a: _Analysed, ents: list[str], evidence: list[SourceSentence]) -> tuple | None:
    """The claim's subject given what the source says of another subject, in a clause of its own:
    "RSV showed no pronounced seasonality" against "RSV exhibited a clear seasonality ..., while
    rhinovirus infections did not exhibit a pronounced seasonality". Where the other subject is no
    name (rhinovirus), `_name_in_other_clause` has none to show. ([the claim's], [the other]) or None."""
    claim_toks = tokenize(_unfronted(a.text))
    subject = [x for x in ents if x in a.text and set(tokenize(x)) & set(claim_toks[:3])]
    if not subject or claim_parts(a.text):
        return None
    ct = set(a.tokens)
    for e in evidence:
        parts = [p for p in _MAJOR_CLAUSE.split(e.text) if p and len(tokenize(p)) >= 3]
        if len(parts) < 2:
            continue
        best = max(parts, key=lambda p: len(ct & set(tokenize(p))))
        m = _CLAUSE_SUBJECT.match(best)
        if not m or len(ct & set(tokenize(best))) < 3:
            continue
        head = tokenize(m.group(1))
        for x in subject:
            own = [p for p in parts if p is not best and x in p and set(tokenize(x)) & set(tokenize(p)[:3])]
            if own and x not in best and head and head[0] not in ct and len(m.group(1)) >= 4:
                return [x], [m.group(1)]
    return None


_ZH_CLAUSE = re.compile(r"[，,；;：:]")


def _inner_replacements(sm: difflib.SequenceMatcher):
    """The stretches an alignment replaces between copied ones, neither first nor last:
    (the opcodes, the index of this one, i1, i2, j1, j2)."""
    ops = sm.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "replace" and 0 < k < len(ops) - 1:
            yield ops, k, i1, i2, j1, j2


@lru_cache(maxsize=4096)
def _zh_segments(text: str) -> tuple[str, ...]:
    """jieba's words of a text, blanks left out. Cached: the swap finders segment the same claim
    and cited sentences one after another."""
    return tuple(w for w in jieba_segmenter().lcut(text) if w.strip())


def _zh_predicate(words: str) -> bool:
    """Whether jieba tags any of these words a verb, adjective or adverb."""
    import jieba.posseg as pseg

    return any(f[:1] in ("v", "a", "d") for _, f in pseg.lcut(words))


def _zh_words_from_another(a: _Analysed, evidence: list[SourceSentence],
                           context: list[SourceSentence]) -> tuple[str, str] | None:
    """A Chinese claim that copies a cited sentence but for a few words, standing where that
    sentence has others, the claim's words taken from another cited sentence: "1221年，莱昂国王
    斐迪南二世最终收复了阿尔坎塔拉" against "在1221年，莱昂国王阿方索十世最终收复阿尔坎塔拉", 斐迪南二世
    being the king of 1167 in another sentence of the passage. jieba tags few such names, so the
    words are compared, not the names. (the claim's words, the sentence's) or None."""
    mine = _zh_segments(a.text)
    for e in evidence:
        if e.lang != "zh":
            continue
        theirs = _zh_segments(e.text)
        sm = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
        same = sum(len("".join(mine[b.a: b.a + b.size])) for b in sm.get_matching_blocks())
        if same < 0.6 * len(a.text):
            continue
        for _, _, i1, i2, j1, j2 in _inner_replacements(sm):  # between words both texts share
            x, y = "".join(mine[i1:i2]), "".join(theirs[j1:j2])
            # Words for words of about the same length ("作为湖南代表，" against "刘洋" is the subject
            # a sentence after a date leaves out, not another name).
            if not (2 <= len(x) <= 8 and 2 <= len(y) <= 8) or abs(len(x) - len(y)) > 2 \
                    or re.search(rf"[\d\W]", x + y) or not CJK_CHAR.match(x) or x in e.text or y in a.text:
                continue
            if _zh_predicate(x) or _zh_predicate(y):
                continue  # 占有 / 拥有: a verb for a verb is a paraphrase, not another name
            if _ZH_COUNTED.fullmatch(x) and _ZH_COUNTED.fullmatch(y) and x[:-1] == y[:-1]:
                continue  # 一座城镇 / 一个城镇: the same count, another measure word
            if any(x in o.text for o in [*evidence, *context] if o.passage.id == e.passage.id and o.text != e.text):
                return x, y
    return None


_ZH_COUNTED = re.compile(r"[一两二三四五六七八九十几数每这那该此某]+[\u4e00-\u9fff]")


def _zh_noun_in_slot(a: _Analysed, evidence: list[SourceSentence]) -> tuple[str, str] | None:
    """A Chinese claim that copies a cited clause but for a noun, standing where the clause has
    another that the dictionary does not make its synonym: "释放数据要素潜能，借此推动城乡协同创新"
    against "释放数据要素潜能,推进区域协同创新". (the claim's noun, the source's) or None."""
    def words(text: str) -> list[str]:
        return [w for w in _zh_segments(text) if not re.fullmatch(r"[\W_]+", w)]

    mine = words(a.text)
    for e in evidence:
        if e.lang != "zh":
            continue
        theirs = words(e.text)
        sm = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
        # Most of the claim, or of the stretch of the sentence it copies from (a clause of a long
        # list), is copied (words of one character, 应 or 的, copy nothing) ...
        blocks = [b for b in sm.get_matching_blocks() if len("".join(mine[b.a: b.a + b.size])) >= 2]
        if not blocks:
            continue
        copied = sum(len(w) for b in blocks for w in mine[b.a: b.a + b.size] if len(w) >= 2)
        stretch = len("".join(theirs[blocks[0].b: blocks[-1].b + blocks[-1].size]))
        if copied < 0.5 * min(len("".join(mine)), stretch):
            continue
        for ops, k, i1, i2, j1, j2 in _inner_replacements(sm):
            if ops[k - 1][0] != "equal" or ops[k + 1][0] != "equal":
                continue
            # ... and the words either side of the replaced ones too.
            left, right = len("".join(mine[ops[k - 1][1]: i1])), len("".join(mine[i2: ops[k + 1][2]]))
            if left < 2 or right < 2 or left + right < 6:
                continue
            x, y = "".join(mine[i1:i2]), "".join(theirs[j1:j2])
            n = len(os.path.commonprefix([x, y]))
            x, y = x[n:], y[n:]
            n = len(os.path.commonprefix([x[::-1], y[::-1]]))
            x, y = x[: len(x) - n], y[: len(y) - n]  # 土地要素 / 数据要素: 土地 / 数据
            x, y = x.removesuffix("的"), y.removesuffix("的")  # 地方政府的 / 企业: a particle, no part of the noun
            # (a body's name may be long: 美国食品和药物管理局)
            if not all(2 <= len(w) <= (12 if _ZH_BODY.search(w) else 6) for w in (x, y)) \
                    or not re.fullmatch(f"[{CJK}]+", x + y) \
                    or set(x) & set(y) or x in e.text or y in a.text:
                continue
            if _zh_nouns_apart(x, y):
                return x, y
    return None


_ZH_AND = ("和", "及", "与", "、", "或", "以及")
_ZH_COPULA = re.compile(r"^\s*(?P<a>[^是为，,；;。、]{1,15}?)(?:是|为)(?P<b>[^是为，,；;。、]{2,15})\s*$")


def _zh_copula_swapped(a: _Analysed, evidence: list[SourceSentence]) -> tuple[str, str] | None:
    """A list of pairs ("D'Alembert是思考者、Diderot是谈论者") from which the claim gives one's
    attribute to another: "Diderot被赋予的性格是“思考者”". (the claim's name, the source's) or None."""
    for e in evidence:
        if e.lang != "zh":
            continue
        pairs = [(m.group("a").strip(), m.group("b").strip()) for seg in re.split(r"[、，,；;。：:]", e.text)
                 if (m := _ZH_COPULA.match(seg))]
        if len(pairs) < 2:
            continue
        for seg in re.split(r"[，,；;。]", a.text):
            for a1, b1 in pairs:
                if b1 not in seg or a1 in a.text:
                    continue
                for a2, b2 in pairs:
                    if a2 != a1 and len(a2) >= 2 and a2 in seg and b2 not in a.text:
                        return a2, a1
    return None


def _joined(words, joins) -> list[tuple[str, str, str]]:
    """(the word before, the joining word, the word after) for each of `joins` among `words`:
    "vehicles and photovoltaics", 汽车和光伏."""
    return [(words[i - 1], words[i], words[i + 1]) for i in range(1, len(words) - 1) if words[i] in joins]


def _zh_coordinate_swapped(a: _Analysed, evidence: list[SourceSentence]) -> tuple[str, str] | None:
    """A Chinese claim that joins with 和 / 及 / 、 a word the cited sentence also joins, with
    another noun the dictionary glosses apart for the second ("新能源汽车和半导体" against
    "新能源汽车和光伏"). (the claim's noun, the sentence's) or None."""
    mine = _joined(_zh_segments(a.text), _ZH_AND)
    for e in evidence:
        if e.lang != "zh":
            continue
        for x0, _, x in mine:
            for y0, _, y in _joined(_zh_segments(e.text), _ZH_AND):
                if x0 != y0 or x == y or len(x0) < 2 or len(x) < 2 or len(y) < 2 or x in e.text or y in a.text:
                    continue
                if _zh_nouns_apart(x, y):
                    return x, y
    return None


def _zh_glossed(word: str) -> frozenset[str]:
    """A Chinese word's dictionary glosses, or those of its parts (地方政府: local, government)."""
    gl = C.zh_glosses(word)
    if gl or len(word) < 4:
        return gl
    parts = [p for p in jieba_segmenter().lcut(word) if len(p) >= 2]
    if len(parts) < 2:  # a name the segmenter keeps whole (美国食品和药物管理局): its shorter words
        parts = [p for p in jieba_segmenter().lcut_for_search(word) if 2 <= len(p) < len(word)]
    return frozenset().union(*(C.zh_glosses(p) for p in parts)) if len(parts) >= 2 else frozenset()


_ZH_BODY = re.compile(r"(?:局|署|委员会|协会|组织|公司|集团|大学|银行|研究院|科学院)$")


def _zh_nouns_apart(x: str, y: str) -> bool:
    """Two Chinese nouns the dictionary glosses with no word in common: 土地 (land) and 数据
    (data), 城乡 and 区域, not 地区 and 区域 (both "region")."""
    import jieba.posseg as pseg

    if not all(f.startswith("n") or f == "j" or (f == "c" and _ZH_BODY.search(w))  # j: 光伏, abbreviated
               for w in (x, y) for _, f in pseg.lcut(w)):
        return False
    gx, gy = _zh_glossed(x), _zh_glossed(y)
    return bool(gx) and bool(gy) and not gx & gy


_EN_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


def _en_words_apart(x: str, y: str) -> bool:
    """Two English nouns (by their ending and their translations' tags) that the dictionary
    translates into no Chinese word in common: "finance" and "education", not "area" and
    "region" (both 区域), nor "strengthen" and "enhance" (verbs)."""
    if re.search(r"(?:ed|ing|ly)$", x) or re.search(r"(?:ed|ing|ly)$", y) or x in EN_STOP or y in EN_STOP:
        return False
    stem = stemmer()
    if stem is not None and stem.stemWord(x) == stem.stemWord(y):
        return False
    zx, zy = set(C.en_zh_words(x)), set(C.en_zh_words(y))
    return bool(zx) and bool(zy) and not zx & zy and _zh_noun_words(zx) and _zh_noun_words(zy)


def _zh_noun_words(words) -> bool:
    """Whether jieba tags most of these Chinese words (an English word's translations) nouns:
    "education" (教育), "photovoltaics" (光伏), not "strengthen" (加强, 增强)."""
    import jieba.posseg as pseg

    tags = [f for w in words for _, f in pseg.lcut(w)[:1]]
    return sum(f.startswith("n") or f == "j" for f in tags) * 2 > len(tags)  # j: 光伏, an abbreviated noun


def _en_word_in_slot(a: _Analysed, evidence: list[SourceSentence]) -> tuple[str, str] | None:
    """An English claim that copies a cited sentence but for a word, standing where that sentence
    has another: "a virtuous cycle between finance, science and technology" against "between
    education, science and technology". (the claim's word, the sentence's) or None."""
    mine = _EN_WORD.findall(a.text.lower())
    for e in evidence:
        if e.lang != "en":
            continue
        theirs = _EN_WORD.findall(e.text.lower())
        if sum(w in theirs for w in mine) >= 0.45 * len(mine):
            pair = _coordinate_swapped(mine, theirs)  # word order aside
            if pair:
                return pair
        sm = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
        if sum(b.size for b in sm.get_matching_blocks()) < 0.6 * len(mine):
            continue
        for _, _, i1, i2, j1, j2 in _inner_replacements(sm):
            if i2 - i1 != 1 or j2 - j1 != 1:
                continue
            x, y = mine[i1], theirs[j1]
            if not (x.isalpha() and y.isalpha()) or len(x) < 3 or len(y) < 3 or x in theirs or y in mine:
                continue
            if i2 < len(mine) and j2 < len(theirs) and mine[i2] == theirs[j2] == "of":
                continue  # "a number of" / "a batch of", "a small share of" / "proportion of": a quantity
            if _en_words_apart(x, y):
                return x, y
        ops = sm.get_opcodes()
        if len(ops) >= 2 and ops[-1][0] in ("replace", "delete") and ops[-2][0] == "equal" \
                and ops[-2][2] - ops[-2][1] >= 3:
            # The claim's last word stands where the sentence goes on with another: "a virtuous
            # cycle between education, science and technology, and industry" against "... and
            # talent, and put in place ...".
            tag, i1, i2, j1, j2 = ops[-1]
            if tag == "replace" and i2 - i1 == 1 and i2 == len(mine):
                x, y = mine[i1], theirs[j1]
                if x.isalpha() and y.isalpha() and len(x) >= 3 and len(y) >= 3 and x not in theirs \
                        and y not in mine and _en_words_apart(x, y):
                    return x, y
    return None


def _one_noun_swapped(a: _Analysed, evidence: list[SourceSentence]) -> tuple[str, str] | None:
    """A claim that says all a sentence says, in any order, but for one noun, where the stretch
    of the sentence it copies has one other: "capital is our primary resource and, in essence,
    the locomotive of innovation" against "As our primary resource, talent is, in essence, the
    locomotive of innovation". (A paraphrase that puts one noun for another the dictionary does not
    relate, "engine" for "locomotive", reads as a swap too: none of the 1112 labelled claims does.)
    (the claim's noun, the sentence's) or None."""
    stem = stemmer()

    def key(w: str) -> str:
        return stem.stemWord(w) if stem is not None else w

    def content(text: str) -> list[str]:
        # Common words only: names ("Chinese" for "China") are the name checks' to compare.
        words = re.findall(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*", text)
        words[:1] = [w.lower() for w in words[:1]]  # the sentence's first word
        return [w for w in words if w.isalpha() and w.islower() and len(w) >= 3 and w not in EN_STOP]

    mine = content(C.without_attribution(a.text))
    if len(mine) < 5:
        return None
    for e in evidence:
        if e.lang != "en":
            continue
        theirs = content(e.text)
        tk, mk = [key(w) for w in theirs], {key(w) for w in mine}
        tks = set(tk)
        away = [w for w in mine if key(w) not in tks]
        if len(away) != 1:
            continue
        at = [i for i, k in enumerate(tk) if k in mk]
        if len(at) < 4:
            continue
        extra = [w for w, k in zip(theirs[at[0]:at[-1] + 1], tk[at[0]:at[-1] + 1]) if k not in mk]
        if not extra and away[0] == mine[-1] and at[-1] + 1 < len(theirs):
            # The claim's one other noun ends it, where the sentence goes on past the stretch it
            # copies with a noun of its own: "had been in contact with goats" against "had
            # contact with camels". (Not where it opens it: "China's ability to innovate" against
            # "The capabilities for independent innovation", a paraphrase.)
            extra = [theirs[at[-1] + 1]]
        if len(extra) == 1 and _en_words_apart(away[0], extra[0]):
            return away[0], extra[0]
    return None


def _coordinate_swapped(mine: list[str], theirs: list[str]) -> tuple[str, str] | None:
    """"new energy vehicles and semiconductors" against "new energy vehicles and photovoltaics":
    the claim joins with "and" / "or" two words the sentence also joins, with another for the
    second, a noun the dictionary translates apart and neither text has the other's."""
    for x0, conj, x1 in _joined(mine, ("and", "or")):
        for y0, conj2, y1 in _joined(theirs, ("and", "or")):
            if conj != conj2:
                continue
            # The same word on one side ("semiconductors and photovoltaics" against "new energy
            # vehicles and photovoltaics" too), another on the other.
            for same, other, x, y in ((x0, y0, x1, y1), (x1, y1, x0, y0)):
                if same != other or x == y or len(same) < 3 or same in EN_STOP:
                    continue
                if x.isalpha() and y.isalpha() and len(x) >= 3 and len(y) >= 3 and x not in theirs \
                        and y not in mine and _en_words_apart(x, y):
                    return x, y
    return None


def _name_rest(x: str, claim: str, clause: str) -> set[str]:
    """The words that complete the name `x` in both texts (阿罗 + 尼扬): tagged as names by jieba."""
    import jieba.posseg as pseg

    out = set()
    for w, f in pseg.lcut(claim):
        if f.startswith("nr") or f in ("ns", "nz"):
            if (x + w in claim and x + w in clause) or (w + x in claim and w + x in clause):
                out.add(w)
    return out


def _zh_name_in_other_clause(a: _Analysed, ents: list[str], evidence: list[SourceSentence]) -> tuple | None:
    """Chinese parallel clauses: "托帕洛夫夺得冠军，阿罗尼扬获得亚军" against "冠军由阿罗尼扬夺得". The
    claim's name stands in one clause, what the claim says of it (two words or more, none of them
    in the name's clause) in another, which names someone else."""
    for e in evidence:
        clauses = [c for c in _ZH_CLAUSE.split(e.text) if c.strip()]
        if len(clauses) < 2:
            continue
        for x in ents:
            if not _ZH_NAME(x):
                continue
            home = [c for c in clauses if x in c]
            if len(home) != 1 or home[0] is clauses[0]:
                continue  # the first clause names the subject of the clauses after it (赛里木湖，古称……，位于……)
            # What the claim says of x: its words but x's and the rest of x's full name (阿罗 + 尼扬).
            rest = _name_rest(x, a.text, home[0])
            said = [t for t in a.tokens if x not in t and t not in x and t not in rest]
            if any(t in home[0] for t in said):
                continue
            for c in clauses:
                if c is home[0] or sum(1 for t in said if t in c) < 2:
                    continue
                others = [y for y in C.entities(c) if _ZH_NAME(y) and y not in a.text]
                if others:
                    return [x], others[:3]
    return None


_FIGURE = re.compile(r"(?<![\w.\-/\[])(\d+(?:[.,]\d+)*)(?![\w\-/\]])")  # not HIV-1, [1], H1N1
_FIGURE_BREAK = re.compile(r"[;；。!?！？]")


_HEDGE = (r"(?:about|around|roughly|approximately|nearly|almost|close to|some|over|more than|just over|"
          r"just under|upwards of|under|less than|约|大约|近|将近|接近|超过|逾|不到)")
_NUMBER_WORD = r"(?:\d[\d,.]*\s*(?:%|percent|thousand|million|billion)?|one and a half|one|two|three|four|five|six|seven|" \
               r"eight|nine|ten|double|twice|triple|half)"
_HEDGED = re.compile(rf"{_HEDGE}\s*({_NUMBER_WORD})(\s*(?:times|-fold|fold|倍)\b)?", re.I)
_TIMES = re.compile(rf"({_NUMBER_WORD})\s*(?:times|-fold|fold|倍)|\b(double|twice|triple)\b", re.I)
APPROX = 0.1  # how far a hedged figure may be from the stated one ("about double" for 2.02)


@lru_cache(maxsize=256)
def _approximate_figures(claim: str) -> tuple[dict[float, float | None], frozenset[float], bool]:
    """The claim's hedged figures (value -> tolerance, None for 10%), its multipliers ("three
    times", "double"), and whether a multiplier is a floor ("more than three times")."""
    def read(word: str) -> set[float]:
        w = word.lower().strip()
        special = {"one and a half": 1.5, "double": 2.0, "twice": 2.0, "triple": 3.0, "half": 0.5}
        return {special[w]} if w in special else C.numbers_ordinals(w)[0]

    def tolerance(word: str) -> float | None:
        # "about 3.2" is 3.15-3.25, not 3; "about 20%" or "about double" is within 10%.
        decimals = re.search(r"\.(\d+)", word)
        return 0.5 * 10 ** -len(decimals.group(1)) if decimals else None

    hedged = {v: tolerance(m.group(1)) for m in _HEDGED.finditer(claim) for v in read(m.group(1))}
    times = frozenset(v for m in _TIMES.finditer(claim) for v in read(m.group(1) or m.group(2)))
    more = re.search(rf"(?:more than|over|超过)\s*{_NUMBER_WORD}\s*(?:times|-fold|fold|倍)", claim, re.I) is not None
    return hedged, times, more


_COUNTED_UNIT = re.compile(r"\b(\w+|\d+)[\s-]+(decades?|centur(?:y|ies)|dozens?)\b|([一二两三四五六七八九十]+)个?(世纪)", re.I)
_UNIT_SIZE = {"decade": 10, "decades": 10, "century": 100, "centuries": 100, "dozen": 12, "dozens": 12, "世纪": 100}


_SHARE = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|\d)\s+(?:in|out of)\s+(ten|10)\b|"
                    r"(?<![一二两三四五六七八九十])([一二两三四五六七八九])成(?![为立功果员本就长绩熟])", re.I)
_SHARE_POINTS = 5.0  # "six in ten" or 六成 for 55-65%


def _approximately_stated(claim: str, value: float, evidence_numbers: set[float]) -> bool:
    """A figure the claim gives as approximate ("about double the odds", "more than three times
    as many cases", "six in ten" for 60.8%) that the evidence states to within 10%, or as the
    ratio of two of its figures (8098 against 2494 cases)."""
    for m in _COUNTED_UNIT.finditer(claim):
        n = C.numbers_ordinals(m.group(1) or m.group(3))[0]
        if value in n and value * _UNIT_SIZE[(m.group(2) or m.group(4)).lower()] in evidence_numbers:
            return True  # "two decades" for "20 years", 两个世纪 for 200年
    for m in _SHARE.finditer(claim):
        share = next(iter(C.numbers_ordinals(m.group(1) or m.group(3))[0] or {1.0}))
        if value in (share, 10.0) and any(abs(e - 10 * share) <= _SHARE_POINTS for e in evidence_numbers):
            return True  # "about four in ten were physicians" for 39.2%
    hedged, times, more = _approximate_figures(claim)
    if value not in hedged and value not in times:
        return False
    close = lambda x: abs(x - value) <= APPROX * abs(value)  # noqa: E731
    if value in hedged:
        tol = hedged[value] if hedged[value] is not None else APPROX * abs(value)
        if any(abs(e - value) <= tol + 1e-9 for e in evidence_numbers):
            return True
    if value in times:
        figures = [e for e in evidence_numbers if e > 0]
        for x in figures:
            for y in figures:
                if x != y and (close(x / y) or (more and value <= x / y <= value * 1.5)):
                    return True
    return False


_LABEL_NUMBER = re.compile(r"\b[A-Z][a-z]+\s+(\d{1,3})\b(?![.,]\d|\s*%)")
_LIST_HEAD = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|[2-9])\b[\w\s'’-]{0,80}:\s*(.+)$|"
                        r"([两三四五六七八九十])[个项条点方面大种类][^：:。；;]{0,12}[：:]\s*(.+)$", re.I)


_FIRST_ADVERB = re.compile(r"\bfirst\s+(?:\w+ly\s+)?(?:\w+ed|began|begun|became|come|came|made|found|built|"
                           r"seen|known|taken|written|drawn|grown|run|shown|held|heard|met|set|won|bought|sold)\b", re.I)


def _first_as_adverb(claim: str) -> bool:
    """Whether every "first" of the claim says when something was done first ("first opened",
    "was first isolated"), no rank of a thing ("the first case", "first place")."""
    firsts = re.findall(r"\bfirst\b", claim, re.I)
    adverbs = [m for m in _FIRST_ADVERB.finditer(claim)  # not "the first confirmed case"
               if not re.search(r"\b(?:the|a|an|its|their|his|her|our|this|that|whose|[\w-]+'s)\s+$", claim[: m.start()], re.I)]
    return bool(firsts) and len(firsts) == len(adverbs) and not re.search(r"\b1st\b|第一|首", claim)


def _own_count(claim: str, value: float, evidence_numbers: set[float]) -> bool:
    """A count the claim makes of its own list ("four strands: a, b, c and d", 三个方面：A、B和C),
    where the source lists them and gives no count of its own (2-10) that could be contradicted.
    The listed items are checked as the rest of the claim is."""
    if any(2 <= e <= 10 and e == int(e) for e in evidence_numbers):
        return False
    for m in _LIST_HEAD.finditer(claim):
        head, items = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if value not in C.numbers_ordinals(head)[0] and not (head == "两" and value == 2):
            continue
        items = re.split(r"[.。]\s", items)[0]
        commas = [t for t in re.split(r"[,;、，；]", items) if t.strip()]
        ands = [t for c in commas for t in re.split(r"\s+(?:and|or)\s+|[和及与]", c) if t.strip()]
        if len(commas) - 1 <= value <= len(ands):
            return True
    # The count after its list: "《人象石柱》和《钟乳石》两部诗集", "甲、乙、丙三个城市".
    for m in _COUNT_AFTER_ZH.finditer(claim):
        n = 2 if m.group(1) == "两" else C.zh_numeral(m.group(1))
        if n != value:
            continue
        before = re.split(r"[，,；;：:。（(]|^", _BRACKETED_ZH.sub("", claim[: m.start()]))[-1]
        items = [t for t in re.split(r"[、和及与]", before) if len(t.strip()) >= 2]
        if len(items) == value:
            return True
    return False


_COUNT_AFTER_ZH = re.compile(r"([两二三四五六七八九十])(?:个|部|项|种|本|首|位|名|座|条|家|所|次|大)")
_BRACKETED_ZH = re.compile(r"[（(][^（）()]{0,20}[)）]")


def _figure_slots(text: str) -> list[tuple[str, str]]:
    """(figure, the words just before it back to the previous figure or clause break) for each
    figure of `text`: "fever (98%), cough (76%)" -> [("98", "including fever ("), ("76", "), cough (")]."""
    out, prev_end = [], 0
    for m in _FIGURE.finditer(text):
        left = text[max(prev_end, m.start() - 40) : m.start()]
        left = _FIGURE_BREAK.split(left)[-1]
        out.append((m.group(1).replace(",", ""), left))
        prev_end = m.end()
    return out


def _figures_swapped(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """The claim's figures are all in the evidence, but attached to one another's words: "fever
    (76%) and cough (98%)" where the evidence says "fever (98%), cough (76%)". Both ways round:
    a claim that only reorders its clauses moves one figure's words, not two."""
    claim_slots = _figure_slots(a.text)
    if len({f for f, _ in claim_slots}) < 2:
        return False
    ev_slots = [(f, SourceSentence(e.passage, e.rank, e.start, e.end, left, set(tokenize(left))))
                for e in evidence for f, left in _figure_slots(e.text)]
    figures = {f for f, _ in claim_slots}
    moved: dict[str, set[str]] = {}  # claim figure -> the evidence figures its words stand beside instead
    for f, left in claim_slots:
        words = [t for t in tokenize(left) if not t.isdigit()][-2:]
        if not words:
            continue
        here = [src for g, src in ev_slots if g == f]
        if not here or any(_token_covered(a, w, src) for w in words for src in here):
            continue
        moved[f] = {g for g, src in ev_slots if g != f and g in figures
                    and any(_token_covered(a, w, src) for w in words)}
    return any(g in moved and f in moved[g] for f, gs in moved.items() for g in gs)


_FIGURE_OF = re.compile(r"(\d[\d,.]*)\s*(?:%|percent\b|per cent\b)?\s*(?:in|for|among|at)\s+(?:the\s+)?"
                        r"([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")


def _figure_place_swapped(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """A figure given to the wrong member of a list: "37% in South Africa" where the evidence
    says "37% in the Gambia, 25% in South Africa"."""
    def pairs(text: str) -> list[tuple[str, str]]:
        return [(m.group(1).replace(",", "").rstrip("."), m.group(2).lower()) for m in _FIGURE_OF.finditer(text)]

    ev = [p for e in evidence for p in pairs(e.text)]
    for f, name in pairs(a.text):
        own = {n for g, n in ev if g == f}
        if own and name not in own and any(n == name for g, n in ev if g != f):
            return True
    return False


_COUNT_EN = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\s+"
                       r"(?:[A-Za-z-]+\s+){0,2}?([A-Za-z-]{3,}s)\b", re.I)
_COUNT_ZH = re.compile(r"([一二两三四五六七八九十百\d]+)(?:项|个|大|条|种|类|名|位|届)(?:重点|主要|重大|关键)?([\u4e00-\u9fff]{2})")


def _counts(text: str) -> set[tuple[float, str]]:
    """(how many, of what) for each count of a text: "the first of nine key tasks" -> (9, task);
    十大任务 -> (10, 任务)."""
    out = set()
    for m in _COUNT_EN.finditer(text):
        head = tokenize(m.group(2))
        for v in C.numbers_ordinals(m.group(1))[0]:
            out.add((v, head[0] if head else m.group(2).lower()))
    for m in _COUNT_ZH.finditer(text):
        v = float(m.group(1)) if m.group(1).isdigit() else C.zh_numeral(m.group(1))
        if v is not None:
            out.add((float(v), m.group(2)))
    return out


def _count_of_another(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """The claim counts a thing one way ("first among ten key tasks") where the sentence that
    states it counts it another ("the first of nine key tasks"), the claim's count coming only
    from a second cited sentence about another list ("the top ten government tasks")."""
    if len(evidence) < 2 or not a.info.numbers:
        return False
    first, mine = _counts(evidence[0].text), _counts(a.text)
    if mine & first:  # the claim also gives the first sentence's count (it joins both lists)
        return False
    # Counts of things are whole numbers; "31.5 ± 7.2 years" is a measure.
    return any(what == w and n != v and n.is_integer() and v.is_integer() for n, what in mine for v, w in first)


# ---------------------------------------------------------------------------- why, in words
# What a user reads beside a sentence that is not supported (`Verdict.reasons`).
_SAID = {"only": "“only”", "all": "“all”", "always": "“always”", "certain": "that it is certain",
         "proof": "that it proves it", "cause": "that it is the main cause", "soon": "“immediately”",
         "done": "that it is already so"}


def _figure(v: float) -> str:
    if not float(v).is_integer():
        return f"{v:g}"
    return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))  # 80,000,000; a year stays 2019


def _figures(values) -> str:
    return ", ".join(_figure(v) for v in sorted(values))


def _ordinals(values) -> str:
    return ", ".join(nth(int(v)) if float(v).is_integer() else _figure(v) for v in sorted(values))


def _said(classes) -> str:
    return " or ".join(_SAID.get(c, c) for c in sorted(classes))


def _names(names) -> str:
    return ", ".join(f"“{n}”" for n in names)


def _shown(names: list[str], text: str, evidence: list[SourceSentence]) -> list[str]:
    """The names worth telling the reader: none of whose words the claim uses ("General Secretary
    Xi Jinping" is not another name than the claim's "Xi Jinping"), and not merely words of the
    document's title ("Necessity", "Scientificity"); all of them when that leaves none."""
    low = text.lower()
    titles = " ".join(e.passage.title or "" for e in evidence)
    apart = [n for n in names if n not in titles
             and not any(w in low for w in re.findall(r"[a-z]{3,}|[\u4e00-\u9fff]+", n.lower()))]
    return apart or names


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _is_author(name: str, author: str) -> bool:
    """Whether a name in a claim is this author: whole, in either order and either script
    ("Tang Yunyi", "Yunyi Tang", 邱平 ~ Qiu Ping), or by surname alone ("Tang argues")."""
    def spelled(x: str) -> str:
        return C.pinyin(x) if has_cjk(x) else C.letters(x)

    mine = spelled(name)
    words = author.split()
    forms = {spelled(author), spelled(" ".join(reversed(words)))}
    if len(words) >= 2:  # the family name: first written the Chinese way, last otherwise
        forms |= {spelled(words[0]), spelled(words[-1])}
    return bool(mine) and mine in forms


def _an_author(name: str, evidence: list[SourceSentence]) -> bool:
    """Whether the name is an author of a cited document ("Tang argues …", "在张夏恒、马妍看来")."""
    return any(_is_author(name, n) for n in dict.fromkeys(n for e in evidence for n in e.passage.authors))


_FIRST_ZH = re.compile(r"首先|最先|率先|最早|首度|首次")


def _check(a: _Analysed, evidence: list[SourceSentence], context: list[SourceSentence]) -> list[str]:
    """Why the evidence does not state the claim (empty: nothing contradicts it)."""
    reasons = []
    info = a.info
    etext = " ".join(e.text for e in evidence)
    nums, ords = C.numbers_ordinals(etext)
    missing = info.numbers - nums
    if missing:
        # A number in the title of the document names its subject (Flight 189), it is no figure.
        # (A long "title" is a document's first sentence, whose figures are figures.)
        titles = " ".join(dict.fromkeys(t for e in evidence if (t := e.passage.title or "") and len(t) <= TITLE_CHARS))
        missing -= C.numbers_ordinals(titles)[0] if titles else set()
    if missing and a.lang != evidence[0].lang:
        # 第四场 is "Game 4", 第三级 "Level 3": a number that labels, read as the other language's
        # ordinal (not a count: 三个完善 is no "Third Plenary Session").
        missing -= {float(m.group(1)) for m in _LABEL_NUMBER.finditer(a.text)} & ords
        # 2019新型冠状病毒 is "2019-nCoV": Chinese spells out the name the source writes as a code.
        codes = " ".join(m.group(0) for m in C._CODE.finditer(etext))
        missing = {v for v in missing if not (v == int(v) and re.search(rf"(?<!\d){int(v)}(?!\d)", codes))}
    if missing:
        missing = {v for v in missing if not _approximately_stated(a.text, v, nums) and not _own_count(a.text, v, nums)}
    fraction = _fraction_clash(a.text, etext) if not missing else None
    if fraction is not None:
        missing = {round(fraction * 100, 1)}
        reasons.append(f"the source does not state {_figures(missing)}%")
    elif missing:
        reasons.append(f"the source does not state {_figures(missing)}")
    elif ((len(info.numbers) >= 2 and _figures_swapped(a, evidence)) or _figure_place_swapped(a, evidence)
          or _count_of_another(a, evidence)):
        reasons.append("the source gives these figures to different things")
    if _FIRST_ZH.search(etext):  # 首先由莫瓦桑制得: made first, as 首次 (for the first time) says
        ords = ords | {1.0}
    unstated = {o for o in info.ordinals if o not in ords and o not in nums}
    if unstated == {1.0} and _first_as_adverb(a.text):
        unstated = set()  # "first opened in 2000" where the source says it opened in 2000: no rank
    if unstated:
        reasons.append(f"the source gives no such ordinal ({_ordinals(info.ordinals - ords)})")
    elif _ordinal_of_another(a, evidence) or _figure_of_another_ordinal(a, evidence):
        reasons.append("the source gives this one another ordinal")
    elif (rank := _rank_dropped(a.text, etext)) is not None:
        reasons.append(f"the source says {_names([rank])}")
    if _polarity_clash(a, evidence) or _denied_what_source_says(a, evidence):
        reasons.append("the source says the opposite (a negation)")
    degree = _degree_clash(a, evidence)
    if degree:
        reasons.append(f"the source says {_names([degree[0]])}, not {_names([degree[1]])}")
    missing_class = _classes(a.text) - _classes(etext, source=True)
    if "done" in missing_class and _DONE_SAID.search(etext):
        missing_class.discard("done")
    if missing_class:
        reasons.append(f"the source does not say {_said(missing_class)}")
    if _added_purpose(a, evidence):
        reasons.append("the source gives no such purpose")
    elif a.lang == evidence[0].lang and _added_consequence(a, evidence):  # across languages too few words match
        reasons.append("the source gives no such consequence")
    if _one_of_dropped(a.text, etext):
        reasons.append("the source says it is one of several, not the first")
    elif _superlative_added(a.text, etext) or (a.lang == evidence[0].lang and _superlative_unstated(a.text, etext)):
        reasons.append("the source gives no such superlative")
    if _animal_to_human(a.text, etext):
        reasons.append("the source reports this in animals or cells, not in people")
    if _causal_overclaim(a.text, etext):
        reasons.append("the source reports an association, not a cause")
    elif _cause_unlinked(a.text, etext):
        reasons.append("the source does not say that one caused the other")
    elif _certainty_added(a.text, evidence):
        reasons.append("the source says only that it may be so")
    cross = a.lang != evidence[0].lang
    ents = info.entities
    if cross:
        # Across languages only names a dictionary or pinyin can carry are compared: people and
        # places in Chinese, and English names with a dictionary translation.
        ents = [x for x in ents if (_ZH_NAME(x) if CJK_CHAR.match(x)
                                    else all(C.en_zh_words(w.lower()) for w in x.split()))]
    if ents:
        eletters = C.letters(etext)
        epinyin = C.pinyin(etext) if has_cjk(etext) else ""
        etokens = set().union(*(e.tokens for e in evidence))
        unmatched = [x for x in ents if not C.entity_found(x, etext, eletters, epinyin, etokens)]
        if unmatched:
            # "该银行于……挂牌" / "The bank listed ...": the name is the one the passage gave before.
            before = " ".join(e.passage.text[: max(0, e.start - e.passage.start)] + " " + (e.passage.title or "")
                              for e in evidence if _REFERS_BACK.match(e.text))
            if before.strip():
                unmatched = _not_named_in(unmatched, before)
        if unmatched and not _names_another(a, evidence, cross):
            # "她游得23秒58", "牠们的数量", "In this study, 424 samples ...": a sentence that refers
            # back, anywhere in it, and names no one the claim leaves out, may speak of what its
            # document is about: the name its title or its opening sentence gives ("费尔德海斯",
            # "Ireland"). (A sentence that names others is the swap checks' to read.)
            subject = " ".join((e.passage.title or "") + " " + _opening(e) for e in evidence if _REFERS_INSIDE.search(e.text))
            if subject.strip():
                unmatched = _not_named_in(unmatched, subject)
        if unmatched:
            # "Tang argues …", "在张夏恒、马妍看来": the cited document's authors, speaking in it.
            unmatched = [x for x in unmatched if not _an_author(x, evidence)]
        near = _neighbours(evidence, context)
        if unmatched and not cross and (_copied_but_names(a, unmatched, evidence)
                                        or _name_in_slot(a, unmatched, evidence)) and _names_another(a, evidence, cross):
            near = []  # the evidence names someone else: a neighbour that names the claim's does not make it so
        elif unmatched and cross and any(map(_proper_name, unmatched)) \
                and any(map(_proper_name, _names_another(a, evidence, cross))):
            near = []  # across languages, likewise a name for the one the evidence gives (Taiwan / 香港)
        if unmatched and near:
            # The sentence next to the evidence may name the subject (a byline, the sentence before).
            unmatched = _not_named_in(unmatched, " ".join(n.text for n in near), set().union(*(n.tokens for n in near)))
            if unmatched:
                evidence = evidence + near
        if unmatched:
            # A name the evidence lacks, where the evidence names someone (something) the claim
            # leaves out: a swap. (A name the evidence lacks alone may come from elsewhere in
            # the document: "Tang calls for ..." cites a sentence that does not repeat the byline.)
            others = _names_another(a, evidence, cross)
            if others:
                reasons.append(f"the source names {_names(_shown(others, a.text, evidence)[:3])}, not {_names(unmatched)}")
            elif absent := _places_named_nowhere(unmatched, context):
                # A place no retrieved passage gives at all: the documents found do not speak of it.
                reasons.append(f"the documents found do not name {_names(absent)}")
        elif not cross:
            # A name found by its characters only (佩内塔) is no jieba name: it is not placed by clause,
            # where Chinese leaves a sentence's subject unsaid in the clauses after the first.
            placed = [x for x in ents if x not in C.sound_names(a.text)]
            moved = (_name_from_second_sentence(a, placed, evidence) or _name_in_other_clause(a, placed, evidence)
                     or _said_of_another(a, placed, evidence + [n for n in near if n not in evidence])
                     or (a.lang == "zh" and _zh_name_in_other_clause(a, placed, evidence))
                     or (a.lang == "en" and _subject_of_other_clause(a, placed, evidence)))
            if moved:
                reasons.append(f"in the source it is {_names(moved[1])}, not {_names(moved[0])}")
    if not cross and not any(r.startswith("in the source it is") for r in reasons):
        moved = (_zh_words_from_another(a, evidence, context) or _zh_noun_in_slot(a, evidence)
                 or _zh_coordinate_swapped(a, evidence) or _zh_copula_swapped(a, evidence)) if a.lang == "zh" \
            else (_en_word_in_slot(a, evidence) or _one_noun_swapped(a, evidence))
        if moved:
            reasons.append(f"in the source it is {_names([moved[1]])}, not {_names([moved[0]])}")
    ant = _antonym_clash(a, evidence) if not cross else _cross_antonym_clash(a.text, evidence[0].text)
    if ant:
        reasons.append(f"the source says {_names([ant.split('/')[1]])}, not {_names([ant.split('/')[0]])}")
    if not cross:
        if _reversed(a, evidence) or (a.lang == "zh" and (any(_zh_roles_swapped(a.text, e.text)
                                                              or _zh_comparison_turned(a.text, e.text)
                                                              or _zh_bi_turned(a.text, e.text)
                                                              or _zh_verb_sides_turned(a.text, e.text)
                                                              or _zh_sides_turned(a.text, e.text)
                                                              or _zh_passive_turned(a.text, e.text)
                                                              or _zh_passive_turned(e.text, a.text)
                                                              or _zh_names_reversed(ents, a.text, e.text) for e in evidence)
                                                          or _zh_opponent_swapped(a.text, [e.text for e in evidence]))) \
                or any(_renamed_turned(a.text, e.text) or _role_turned(a.text, e.text)
                       or (e.lang == a.lang and _pairing_swapped(a.text, e.text)) for e in evidence):
            reasons.append("the source states the relation the other way round")
        if a.lang == "zh" and _zh_agent_swapped(a.text, evidence[0].text):
            reasons.append("in the source another name did it")
    elif a.lang == "zh" and any(_zh_en_comparison_turned(a.text, e.text) or _zh_en_relation_turned(a.text, e.text)
                                for e in evidence if not has_cjk(e.text)):
        reasons.append("the source states the relation the other way round")
    return reasons


# Words of opposite meaning: a claim that says one where the evidence says the other.
_ANTONYMS_EN = [("male", "female"), ("east", "west"), ("north", "south"),
                ("increase", "decrease"), ("increase", "declin"), ("rise", "fall"), ("higher", "lower"),
                ("highest", "lowest"), ("more", "less"), ("most", "least"), ("include", "exclude"),
                ("larger", "smaller"), ("largest", "smallest"), ("before", "after"), ("earlier", "later"),
                ("positive", "negative"), ("accept", "reject"), ("allow", "forbid"), ("allow", "prohibit"),
                ("gain", "loss"), ("strengthen", "weaken"), ("maximum", "minimum"), ("success", "failur"),
                ("benefit", "harm"), ("upward", "downward"), ("easier", "harder"), ("win", "lose"),
                ("expand", "shrink"), ("support", "oppos"), ("major", "minor"), ("above", "below"),
                ("promot", "inhibit"), ("activat", "inhibit"), ("upregulat", "downregulat"), ("agonist", "antagonist"),
                # what persists against what has stopped: "remained relevant" / "no longer relevant",
                # "have shed their dependence" / "remain highly dependent"
                ("still", "no longer"), ("remain", "no longer"), ("retain", "lost"), ("still", "lost"),
                ("shed", "remain"), ("shaken off", "remain"), ("overcom", "remain")]
_ANTONYMS_ZH = [("男性", "女性"), ("男子", "女子"), ("以东", "以西"), ("以南", "以北"), ("东部", "西部"), ("南部", "北部"),
                ("增加", "减少"), ("上升", "下降"), ("增长", "下降"), ("增长", "减少"), ("提高", "降低"),
                ("高于", "低于"), ("最高", "最低"), ("最多", "最少"), ("最大", "最小"), ("之前", "之后"),
                ("扩大", "缩小"), ("加强", "削弱"), ("支持", "反对"), ("成功", "失败"), ("接受", "拒绝"),
                ("包括", "排除"), ("允许", "禁止"), ("有利", "不利"), ("增强", "减弱"), ("升高", "降低"),
                ("多于", "少于"), ("早于", "晚于"), ("正相关", "负相关"), ("阳性", "阴性"), ("促进", "抑制"),
                ("激活", "抑制"), ("上调", "下调")]


# Opposite senses across languages: (Chinese words, English pattern) for each side of a pair.
_CROSS_SENSES = {
    "pos_corr": (("正相关",), r"positively (?:correlated|associated)|positive(?:ly)? (?:correlation|association)"),
    "neg_corr": (("负相关",), r"negatively (?:correlated|associated)|negative (?:correlation|association)|"
                             r"inversely (?:correlated|associated|related)"),
    "up": (("增加", "上升", "增长", "升高", "提高"), r"\b(?:increas\w*|rise[sn]?|rising|rose|grow\w*|grew|elevat\w*)\b"),
    "down": (("减少", "下降", "降低", "减低", "下跌"), r"\b(?:decreas\w*|declin\w*|fell|fall\w*|reduc\w*|drop\w*)\b"),
    "promote": (("促进",), r"\b(?:promot\w*|enhanc\w*)\b"),
    "inhibit": (("抑制",), r"\b(?:inhibit\w*|suppress\w*)\b"),
    "male": (("男性", "男子", "男人", "男孩", "男生"), r"\b(?:men|males?|man|boys?)\b"),
    "female": (("女性", "女子", "女人", "女孩", "女生", "妇女"), r"\b(?:women|females?|woman|girls?)\b"),
}
_CROSS_OPPOSITE = (("pos_corr", "neg_corr"), ("up", "down"), ("promote", "inhibit"), ("male", "female"))


def _cross_antonym_clash(claim: str, source: str) -> str:
    """Across languages, a word of the claim whose opposite the aligned source sentence uses,
    without any word of the claim's sense: 正相关 against "negatively correlated". "x/y" or ""."""
    def says(sense: str, text: str) -> str:
        zh, en = _CROSS_SENSES[sense]
        if has_cjk(text):
            return next((w for w in zh if w in text), "")
        m = re.search(en, text, re.I)
        return m.group(0) if m else ""

    for x, y in (*_CROSS_OPPOSITE, *((b, a) for a, b in _CROSS_OPPOSITE)):
        mine, theirs = says(x, claim), says(y, source)
        if mine and theirs and not says(x, source) and not says(y, claim):
            return f"{mine}/{theirs}"
    return ""


def _has_word(word: str, text: str, low: str) -> bool:
    if CJK_CHAR.match(word):
        return word in text
    return re.search(rf"\b{word}\w*", low) is not None


# Names of parts and bodies in which "lower", "upper", "higher" rank nothing: the lower
# respiratory tract, the upper house, higher education.
_TERM_WITH_RANK = re.compile(r"\b(?:lower|upper|higher)(?=[\s-]+(?:respiratory|airways?|urinary|gastrointestinal|GI\b|"
                             r"limbs?|extremit|back|abdom|jaw|lip|eyelid|body|house|chamber|court|education|"
                             r"secondary|middle|primary|reaches|class))", re.I)


def _antonym_clash(a: _Analysed, evidence: list[SourceSentence]) -> str:
    """A word of the claim whose opposite the evidence clause stating that part of the claim
    uses, without the word itself ("were included" / "were excluded")."""
    # Each clause, its words (with the long forms of the abbreviations it uses) and its sentence.
    split = [(cl, tokens_with_terms(cl, e.passage.terms), e.text) for e in evidence for cl in _clauses(e.text)]
    if not split:
        return ""
    ev_clauses, ev_tokens, ev_sentence = (list(x) for x in zip(*split))
    pairs = _ANTONYMS_ZH if a.lang == "zh" else _ANTONYMS_EN
    pairs = pairs + [(y, x) for x, y in pairs]
    ev_clauses = [_TERM_WITH_RANK.sub(" ", c) for c in ev_clauses]
    ev_sentence = [_TERM_WITH_RANK.sub(" ", t) for t in ev_sentence]
    ev_low = [c.lower() for c in ev_clauses]
    for cl in _clauses(_TERM_WITH_RANK.sub(" ", a.text)):
        low = cl.lower()
        found = [(x, y) for x, y in pairs if _has_word(x, cl, low)]
        if not found:
            continue
        toks = set(tokenize(cl))
        best = max(range(len(ev_clauses)), key=lambda j: len(toks & ev_tokens[j]))
        if len(toks & ev_tokens[best]) < 2:
            continue
        whole, wlow = " ".join(ev_clauses), " ".join(ev_low)
        # The sentence that states this part of the claim decides: "larger" in another cited
        # sentence, about something else, does not undo its "smaller".
        own = ev_sentence[best]
        for x, y in found:
            if (_has_word(y, whole, wlow) and not _has_word(x, whole, wlow)) \
                    or (_has_word(y, own, own.lower()) and not _has_word(x, own, own.lower())):
                return f"{x}/{y}"
    return ""


_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en)\s+by\b|被|由|遭", re.I)
_OF = re.compile(r"^(?:of|the|a|an|its|their|\s)+$", re.I)
_PASSIVE_EN = re.compile(r"^(?P<a>.+?)\s+(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(?P<v>\w+(?:ed|en))\s+by\s+"
                         r"(?P<b>.+)$", re.I | re.S)


_BY_IDIOM = re.compile(r"\s*(?:nature|design|default|far|hand|chance|accident|law|definition|mistake|itself|"
                       r"themselves|himself|herself|way of|means of|virtue of|no means|all means)\b", re.I)


def _active(text: str) -> str:
    """An English clause in the active voice: "A is attenuated by B, identified as C" -> "B,
    identified as C attenuated A"; an active clause as it is; "" for Chinese."""
    if has_cjk(text):
        return ""
    m = _PASSIVE_EN.search(text.strip())
    if not m:
        return text
    agent = re.split(r"[,;:]|\bthat\b", m.group("b"), maxsplit=1)[0]
    if _BY_IDIOM.match(agent):  # "advanced by nature", "by far": no one acts
        return ""
    return f"{agent} {m.group('v')} {m.group('a')}"


def _of_pairs(text: str) -> list[tuple[str, str]]:
    """(head, dependent) of "the feature of green development" and 绿色发展的特征 -> (feature, green)."""
    out = []
    words = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[A-Za-z][A-Za-z-]*", text)]
    stem = C.stemmer()
    for i, (w, s, e) in enumerate(words):
        if w.lower() != "of" or i == 0:
            continue
        head = words[i - 1][0].lower()
        # "three of which were calcium inhibitors" is a relative clause, not "the three of calcium".
        if head in C.EN_STOP or (i + 1 < len(words) and words[i + 1][0].lower() in ("which", "whom", "whose")):
            continue
        dep = None
        for w2, _, _ in words[i + 1 : i + 4]:
            if w2.lower() not in C.EN_STOP:
                dep = w2.lower()
                break
        if dep:
            st = (lambda x: stem.stemWord(x)) if stem else (lambda x: x)
            out.append((st(head), st(dep.split("-")[0])))
    return out


# Verbs whose two sides are not interchangeable: "A promotes B" is not "B promotes A".
_RELATION_VERBS = ("promote drive cause lead induce inhibit activate suppress precede infect bind regulate "
                   "exceed surpass outperform trigger enable determine replace produce transmit prevent block "
                   "encode recruit stimulate enhance impair control influence predict require protect attack "
                   "follow depend affect shape support create generate outnumber dominate adapt conform "
                   "rely")


@lru_cache(maxsize=1)
def _relations() -> frozenset[str]:
    """The stems of _RELATION_VERBS (tokenized once, on first use)."""
    return frozenset(tokenize(_RELATION_VERBS))


def _as_verb(stem: str, text: str) -> bool:
    """Whether the word of `text` with this stem is written as a verb, not a noun (-ion, -ment)."""
    st = C.stemmer()
    for w in re.findall(r"[A-Za-z]+", text):
        if (st.stemWord(w.lower()) if st else w.lower()) == stem:
            return not re.search(r"(?:ion|ment|ance|ence|ers?|ors?)$", w.lower())
    return False


_MODALS = frozenset("must may can shall should will would could need might".split())


def _arguments_swapped(claim: str, source: str) -> bool:
    """"A promotes B" against "B promotes A": around a relation verb both share, the nearest shared
    word before it in the claim comes after it in the source, and the nearest after it, before it."""
    ct, st = tokenize(claim), tokenize(source)
    adverbs = set(tokenize(" ".join(re.findall(r"\b[A-Za-z]+ly\b", claim + " " + source))))  # placed freely
    shared = {t for t in ct if ct.count(t) == 1 and st.count(t) == 1 and t not in _MODALS and t not in adverbs}
    for r in shared & _relations():
        if not (_as_verb(r, claim) and _as_verb(r, source)):
            continue  # "infection in children" names a thing, it does not say who does what
        ci, si = ct.index(r), st.index(r)
        before = [t for t in ct[:ci] if t in shared][-1:]
        after = [t for t in ct[ci + 1 :] if t in shared]
        if before and after and st.index(before[0]) > si and any(st.index(t) < si for t in after[:2]):
            return True
    return False


_EN_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:which|who|whereas|while|but|and thus|thereby)\b", re.I)


def _verb_sides_turned(claim: str, source: str) -> bool:
    """"A takes the lead in supporting B" against "B plays a leading role in supporting A": in the
    clause around a relation verb both use once, the words before it in the claim are after it in
    the source and the words after it before it (words used twice, developed / underdeveloped
    regions, count too)."""
    def sides(text: str, r: str) -> tuple[set[str], set[str]] | None:
        for clause in _EN_CLAUSE_BREAK.split(text):
            toks = tokenize(clause or "")
            if toks.count(r) == 1:
                i = toks.index(r)
                return set(toks[:i]) - {r}, set(toks[i + 1:]) - {r}
        return None

    ct, st = set(tokenize(claim)), set(tokenize(source))
    for r in ct & st & _relations():
        if not (_as_verb(r, claim) and _as_verb(r, source)):
            continue
        c, e = sides(claim, r), sides(source, r)
        if c and e:
            ca, cb = c
            ea, eb = e
            both = (ca & cb) | (ea & eb)
            x, y = len((ca & eb) - both), len((cb & ea) - both)
            if x and y and x + y >= 3 and _sides_crossed(ca - both, cb - both, ea - both, eb - both):
                return True
    return False


_FROM_TO = re.compile(r"\bfrom\s+(.{2,50}?)\s+(?:to|into|towards?)\s+(.{2,50}?)(?=[,;.]|\s+(?:and|after|before|then)\b|$)", re.I)


_CATAPHORA = re.compile(r"^\s*(?:Because|Since|As|While|Although|Though|When)\s+(?:it|they)\s+(.+),\s+([^,]+?)\s+"
                        r"(?:is|are|was|were|has|have|had|remains?|becomes?)\b", re.I)


def _cataphora_resolved(text: str) -> str:
    """"Because it drives X, innovation is ..." read as "innovation drives X" (the pronoun stands
    for the subject of the main clause), or "" when the sentence is not so built."""
    m = _CATAPHORA.match(text)
    return f"{m.group(2)} {m.group(1)}" if m else ""


def _direction_swapped(claim: str, source: str) -> bool:
    """"from A to B" where the source says "from B to A"."""
    cm, sm = _FROM_TO.search(claim), _FROM_TO.search(source)
    if not cm or not sm:
        return False
    cf, ct_ = set(tokenize(cm.group(1))), set(tokenize(cm.group(2)))
    sf, st_ = set(tokenize(sm.group(1))), set(tokenize(sm.group(2)))
    return bool(cf & st_ and ct_ & sf and not cf & sf and not ct_ & st_)


_MORE = r"more|higher|greater|wider|larger|bigger|better|stronger|faster|longer|broader|heavier|older"
_LESS = r"less|lower|fewer|smaller|weaker|slower|shorter|narrower|worse|lighter|younger"
_COMP = rf"(?P<c>{_MORE}|{_LESS})"
_THAN = r"(?:than|compared (?:with|to)|relative to|versus|vs\.?)"
_COMPARED = [re.compile(rf"^(?P<w>[^;]*?)\b{_COMP}\b[^;]*?\b{_THAN}\s+(?P<l>[^,;.]+)", re.I),
             re.compile(rf"\b(?:compared (?:with|to)|relative to|unlike)\s+(?P<l>[^,;]+),\s*(?P<w>[^;]*?)\b{_COMP}\b", re.I)]


def _compared(text: str) -> tuple[set[str], set[str], int] | None:
    """(words of the side that has more, words of the side that has less, +1 or -1 for a "more"
    or a "less" comparative) of an English comparison, or None."""
    for pattern in _COMPARED:
        m = pattern.search(text)
        if m:
            sign = 1 if re.fullmatch(_MORE, m.group("c"), re.I) else -1
            w, l = set(tokenize(m.group("w"))), set(tokenize(m.group("l")))
            return w - l, l - w, sign
    return None


def _sides_crossed(ca: set[str], cb: set[str], ea: set[str], eb: set[str]) -> bool:
    """Whether the claim's two sides (ca, cb) stand each on the evidence's other side (eb, ea):
    both cross, and more words cross than stay."""
    crossed, kept = len(ca & eb) + len(cb & ea), len(ca & ea) + len(cb & eb)
    return bool(ca & eb) and bool(cb & ea) and crossed > kept


def _comparison_turned(claim: str, evidence: str) -> bool:
    """"Conventional ELISAs were more sensitive than the ELISA-array" against "the ELISA-array had
    higher sensitivity compared with the conventional ELISAs": each side where the other was."""
    c, e = _compared(claim), _compared(evidence)
    if not c or not e or c[2] != e[2]:
        return False
    (cw, cl, _), (ew, el, _) = c, e
    if _PRONOUN_SIDE.match(evidence.strip()) and not ew & (cw | cl) and cw & el and not cl & el:
        # "They have higher susceptibility … than other rodents" (they: the cotton rats): the
        # claim's winning side ("other rodents are susceptible to more") is the evidence's loser.
        return True
    return _sides_crossed(cw, cl, ew, el)


_PRONOUN_SIDE = re.compile(r"(?:they|it|these|this|those|he|she)\b", re.I)


# A clause's subject, its verb of being and a comparative: "that X are less effective".
_SUBJECT_COMPARED = (rf"(?:^|\b(?:that|whether|as|because|while|and|but)\s+|[,;:]\s*)(?P<w>[^,;:]{{3,80}}?)\s+(?:is|are|was|"
                     rf"were|be|been|seem|seems|seemed|appear|appears|appeared|prove|proved|remain|remained)\s+(?:\w+ly\s+)?"
                     rf"{_COMP}\s+\w+")
_ONE_SIDED = re.compile(rf"{_SUBJECT_COMPARED}(?!\s+\w*\s*{_THAN})", re.I)  # without "than": the other side unsaid
_LOCAL_COMPARED = re.compile(rf"{_SUBJECT_COMPARED}\s+{_THAN}\s+(?P<l>[^,;.\[(]+)", re.I)


def _last_clause(text: str) -> str:
    """The subject of a comparison, after the last word that opens a clause ("data indicating that X")."""
    return re.split(r"\b(?:that|whether|because|while|and|but)\s+", text)[-1]


def _one_sided_comparison_turned(claim: str, evidence: str) -> bool:
    """"data that whole cell vaccines are less effective" where the evidence says "acellular
    vaccines are less effective than whole cell vaccines": the claim's compared side is the
    evidence's other side, with the same comparative."""
    if _compared(claim):
        return False
    e = _LOCAL_COMPARED.search(evidence)
    if not e:
        return False
    ew, el = set(tokenize(_last_clause(e.group("w")))), set(tokenize(e.group("l")))
    ew, el, esign = ew - el, el - ew, 1 if re.fullmatch(_MORE, e.group("c"), re.I) else -1
    for m in _ONE_SIDED.finditer(claim):
        sign = 1 if re.fullmatch(_MORE, m.group("c"), re.I) else -1
        side = set(tokenize(_last_clause(m.group("w"))))
        if sign == esign and side & el and not side & ew:
            return True
    return False


_IN_GROUP = r"(?:in|for|among|with)\s+(?:the\s+)?"
_GROUPS_COMPARED = re.compile(rf"\b{_COMP}\s+[^,;.]{{0,80}}?\b{_IN_GROUP}(?P<x>[^,;.]{{1,40}}?)\s+than\s+{_IN_GROUP}"
                              rf"(?P<y>[^,;.]{{1,40}})", re.I)
_GROUP_FAVOURED = re.compile(rf"\b{_COMP}\s+[^,;.]{{0,60}}?\b{_IN_GROUP}(?P<x>[^,;.]{{1,40}}?)(?=\s+(?:than|and|but|or|while|whereas)\b|[,;.]|$)", re.I)


def _group_comparison_turned(claim: str, evidence: str) -> bool:
    """"a stronger link in men than in women" where the evidence says "a stronger association for
    women" (or "... in women than in men"): the group the claim favours is the other one, with the
    same comparative."""
    m = _GROUPS_COMPARED.search(claim)
    if not m:
        return False
    sign = 1 if re.fullmatch(_MORE, m.group("c"), re.I) else -1
    cx, cy = set(tokenize(m.group("x"))), set(tokenize(m.group("y")))
    cx, cy = cx - cy, cy - cx
    for e in _GROUP_FAVOURED.finditer(evidence):
        esign = 1 if re.fullmatch(_MORE, e.group("c"), re.I) else -1
        ex = set(tokenize(e.group("x")))
        if esign == sign and ex & cy and not ex & cx:
            return True
    return False


_RANKED = re.compile(r"^(?:[^,;]*?\b(?:in|among|of)\b[^,;]*?,\s*)?(?:the\s+)?(?P<x>[^,;]+?)\s+(?:was|were|is|are)\s+(?:by far\s+)?"
                     r"the\s+(?:most\s+(?:common|frequent|prevalent|frequently\s+\w+|commonly\s+\w+)|highest|largest|"
                     r"leading|top)\b.*?\b(?:followed by|ahead of|then|before)\s+(?:the\s+)?(?P<y>[^,;.()]+)", re.I)
_NAMED_SHARE = re.compile(r"(?P<name>[A-Za-z][\w‐\-' ]{0,40}?)\s*\((?:[^()]*?[;,]\s*)?(?P<v>\d+(?:[.·]\d+)?)\s*%")


def _ranking_turned(claim: str, evidence: str) -> bool:
    """"X was the most common, followed by Y" where the evidence gives X a smaller share than Y:
    "HCoV-OC43 (34%), HCoV-229E (28%)"."""
    m = _RANKED.search(claim)
    if not m:
        return False
    shares = [(C.letters(n.group("name")), float(n.group("v").replace("·", "."))) for n in _NAMED_SHARE.finditer(evidence)]

    def share(name: str) -> float | None:
        key = C.letters(name)
        found = [v for n, v in shares if key and n and (n.endswith(key) or key.endswith(n))]
        return found[0] if len(found) == 1 else None

    # "followed by HCoV-229E at 28%": the name, not its share.
    x, y = share(m.group("x")), share(re.sub(r"\s+(?:at|with|on)\s+\d.*$", "", m.group("y")))
    return x is not None and y is not None and x < y


_FRONTED = re.compile(r"^\s*(?:According to|Under|In|For|As|Based on|Compared (?:with|to)|Among|Despite|After|Before|"
                      r"During|With|Within|Across|Throughout|On|At|By|From|Since|Following|Of)\b(?:[^,;]|(?<=\d),(?=\d{3})){2,100},\s*",
                      re.I)  # (23,646 is one number)
_HEADING = re.compile(r"^\s*(?:[A-Z][A-Za-z ]{2,30}:\s*)+(?=[A-Z])")  # "Abstract: BACKGROUND: ", "RESULTS: "


_PAIRING_BREAK = re.compile(r"[,;:，；：、]|\b(?:and|while|whereas|but)\b|而|但", re.I)


def _pairing_swapped(claim: str, source: str) -> bool:
    """Two things and two roles paired the other way round: "the H120 vaccine strain as the major
    parent and the SC021202 strain as the minor parent" against "the SC021202 strain as a major
    parent and the H120 vaccine strain as a minor parent"; "VP60 is encoded by ORF2, while VP10
    is encoded by ORF1" against "VP60 (encoding by ORF1) and VP10 (encoding by ORF2)". Words used
    once in each text, placed by the clause they are in: where the claim puts x with r1 and y with
    r2 in other clauses, the source puts x with r2 and y with r1."""
    ct = tokenize(claim)
    # The source's clauses about the claim: a word the source uses again in a clause that shares
    # nothing else with the claim (玉郎 of 玉郎机构 later on) still places the claim's; so does one
    # that shares only two ("the mean temperature in the preceding month ..." after "positively
    # correlated with mean temperature and negatively correlated with mean relative humidity").
    cs = set(ct)
    parts = [(i, tokenize(part or "")) for i, part in enumerate(_PAIRING_BREAK.split(source))]
    parts = [(i, toks) for i, toks in parts if len(cs & set(toks)) >= 3]
    st = [t for _, toks in parts for t in toks]
    shared = {t for t in ct if ct.count(t) == 1 and st.count(t) == 1 and t not in EN_STOP and len(t) >= 2}
    if len(shared) < 4 or 2 * len(cs & set(st)) < len(cs - EN_STOP):
        return False  # (a claim the source says little of is no rearranged copy of it)

    def where(pieces) -> dict[str, int]:
        return {t: i for i, toks in pieces for t in toks if t in shared}

    cw = where(enumerate(tokenize(part or "") for part in _PAIRING_BREAK.split(claim)))
    sw = where(parts)
    toks = sorted(t for t in shared if t in cw and t in sw)
    pairs = [(x, r) for i, x in enumerate(toks) for r in toks[i + 1:] if cw[x] == cw[r] and sw[x] != sw[r]]
    for i, (x, r1) in enumerate(pairs):
        for y, r2 in pairs[i + 1:]:
            if {x, r1} & {y, r2} or cw[y] == cw[x]:
                continue
            # Each pair is split in the source, its words joined with the other pair's.
            if (sw[x] == sw[r2] and sw[y] == sw[r1]) or (sw[x] == sw[y] and sw[r1] == sw[r2]):
                return True
    return False


def _unfronted(text: str) -> str:
    """The text without a phrase put before its subject ("According to the index released by the
    academy, China is still in the third echelon"): where such a phrase stands is style, not who
    does what; nor is the frame of reported speech ("Tang notes that")."""
    text = C.without_attribution(_HEADING.sub("", text))
    m = _FRONTED.match(text)
    return text[m.end():] if m and len(tokenize(text[m.end():])) >= 3 else text


def _flipped(claim: str, best: str) -> bool:
    """The two sides of a relation the evidence clause `best` states, swapped (voice considered)."""
    claim, best = _unfronted(claim), _unfronted(best)
    if _PASSIVE.search(claim) is None and _PASSIVE.search(best) is None:
        return _relation_flip(claim, best) >= RELATION_FLIP
    if (_PASSIVE.search(claim) is None) != (_PASSIVE.search(best) is None):
        # One side passive: the order of the two sides is expected to turn round. Turned back to
        # the active ("A is attenuated by B" -> "B attenuated A"), it must keep them.
        claim_active, source_active = _active(claim), _active(best)
        return bool(claim_active and source_active) and _relation_flip(claim_active, source_active) >= RELATION_FLIP
    return _relation_flip(claim, best) >= RELATION_FLIP


def _reversed(a: _Analysed, evidence: list[SourceSentence]) -> bool:
    """Who does what to whom, swapped: against the evidence clause that states most of the claim,
    shared words on the other side of a shared relation word (voice considered), or
    "the B of A" where the evidence says "the A of B"."""
    ev_clauses, first = [], set()
    for k, e in enumerate(evidence):
        mine = [c for c in re.split(r"[;；。!?！？]", e.text) if c.strip()]
        mine += [c for c in re.split(r"[,;，；。!?！？]", e.text) if c.strip()]
        ev_clauses.extend(mine)
        if k == 0:
            first = set(mine)
    if not ev_clauses:
        return False
    ct = set(a.tokens)
    # The first cited sentence states the claim best: its clause counts a shared word more.
    best = max(ev_clauses, key=lambda c: (len(ct & set(tokenize(c))) + (c in first), -len(c)))
    # A claim that joins statements is compared part by part, each with the evidence clause that
    # states most of it: the order of words across a summary's parts is no relation.
    # A part is compared only where an evidence clause states more than half of its words.
    parts = claim_parts(a.text)
    if not parts and _flipped(a.text, best):
        return True
    for part in parts:
        pt = set(tokenize(part))
        pbest = max(ev_clauses, key=lambda c: (len(pt & set(tokenize(c))), -len(c)))
        if len(pt & set(tokenize(pbest))) * 2 > len(pt) and _flipped(part, pbest):
            return True
    if a.lang == "en":
        if any(_comparison_turned(a.text, e.text) or _ranking_turned(a.text, e.text)
               or _one_sided_comparison_turned(a.text, e.text) or _group_comparison_turned(a.text, e.text)
               for e in evidence if not has_cjk(e.text)):
            return True
        said = [_cataphora_resolved(e.text) for e in evidence]
        if (_PASSIVE.search(a.text) is None) == (_PASSIVE.search(best) is None):
            said.append(best)
        if _direction_swapped(a.text, best) or any(_arguments_swapped(a.text, x) for x in said if x):
            return True
        if any(_verb_sides_turned(a.text, x) for x in said if x):
            return True
        cp, ep = _of_pairs(a.text), _of_pairs(best)
        ep_set = set(ep)
        for h, d in cp:
            if (h, d) in ep_set:
                continue
            # The evidence attaches the claim's dependent as head, or the claim's head to another
            # dependent the claim uses elsewhere.
            if (d, h) in ep_set:
                return True
            for h2, d2 in ep:
                if h2 == h and d2 != d and d2 in ct and d in set(tokenize(best)):
                    return True
    return False


_ZH_MARKERS = ("为", "对", "向", "给", "把", "由", "比", "是")  # prepositions and the copula that set who is who
_ZH_CONTENT = ("n", "nr", "ns", "nt", "nz", "vn", "i", "l", "j", "an", "eng", "nrt", "nrfg")
_ZH_BREAK = re.compile(r"[,，;；。!?！？、:：]")


@lru_cache(maxsize=4096)  # each Chinese check reads the claim and its evidence this way (jieba's tagger each time)
def _zh_clause_words(text: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """A Chinese sentence as clauses of (word, part of speech)."""
    import jieba.posseg as pseg

    clauses, cur = [], []
    for w, f in pseg.lcut(text):
        if _ZH_BREAK.fullmatch(w):
            if cur:
                clauses.append(tuple(cur))
            cur = []
        elif w.strip():
            cur.append((w, f))
    if cur:
        clauses.append(tuple(cur))
    return tuple(clauses)


def _zh_roles(clause: list[tuple[str, str]], marker: str, verb: str | None, sentence_subject: set[str],
              to_end: bool = False) -> tuple[set[str], set[str]] | None:
    """(words before the marker, words after it up to `verb`, or the head noun after 是, or with
    `to_end` all of them) of one clause, content words only; a pronoun (其) or no subject stands
    for the sentence's first clause."""
    idx = [i for i, (w, _) in enumerate(clause) if w == marker]
    if not idx:
        return None
    i = idx[0]
    left = {w for w, f in clause[:i] if f in _ZH_CONTENT}
    if not left:  # "其为……" or no subject at all: the sentence's first clause says who
        left = set(sentence_subject)
    if to_end:
        right = {w for w, f in clause[i + 1 :] if f in _ZH_CONTENT}
    elif marker == "是":
        heads = [w for w, f in clause[i + 1 :] if f in _ZH_CONTENT]
        right = {heads[-1]} if heads else set()
    else:
        after = clause[i + 1 :]
        if verb is None:
            return None
        stop = next((j for j, (w, _) in enumerate(after) if w == verb), None)
        if stop is None:
            return None
        right = {w for w, f in after[:stop] if f in _ZH_CONTENT}
    return left, right


def _zh_roles_swapped(claim: str, evidence: str) -> bool:
    """A Chinese claim that puts the two sides of a 为/对/把/是 relation the other way round from
    the evidence: "高质量发展为因地制宜发展新质生产力提供推动力" against "因地制宜发展新质生产力……其为实现
    高质量发展提供强劲推动力"."""
    claim_clauses = _zh_clause_words(claim)
    ev_clauses = _zh_clause_words(evidence)
    if not claim_clauses or not ev_clauses:
        return False
    subject = {w for w, f in ev_clauses[0] if f in _ZH_CONTENT}
    for cl in claim_clauses:
        words = [w for w, _ in cl]
        for marker in _ZH_MARKERS:
            if marker not in words:
                continue
            if marker == "是" and any(w.startswith("最") or w in ("唯一", "第一") for w in words):
                continue  # "旅游业是当地最主要的经济": one thing named twice, either way round
            i = words.index(marker)
            verb = next((w for w, f in cl[i + 1 :] if f.startswith("v") and f != "vn"), None)
            mine = _zh_roles(cl, marker, verb, set())
            if mine is None:
                continue
            for ev in ev_clauses:
                theirs = _zh_roles(ev, marker, verb, subject)
                if theirs is None:
                    continue
                (lc, rc), (le, re_) = mine, theirs
                both = (lc & rc) | (le & re_)
                lc, rc, le, re_ = lc - both, rc - both, le - both, re_ - both
                if lc & re_ and rc & le and not lc & le and not rc & re_:
                    return True
    return False


def _zh_people(text: str) -> tuple[str, ...]:
    """The words jieba tags as people's names (nr, nrt, nrfg) in a text, read from its cached
    tagging (`_zh_clause_words`), which the other Chinese relation checks read too."""
    return tuple(w for clause in _zh_clause_words(text) for w, f in clause if f.startswith("nr"))


_ZH_NOT_ROLES = re.compile(r"[被由让给把与和及、同跟或；;。]|以及|并且")  # voice, coordination, a sentence break


def _zh_names_reversed(names: list[str], claim: str, evidence: str) -> bool:
    """Two people of a Chinese claim in the order the evidence has the other way round, the same
    verb between them and no word that turns the voice (被, 由, 把) or joins them (和, 、):
    "蒙泰罗追平了尼克·海费尔德创下的纪录" against "尼克·海费尔德……平了蒙泰罗的纪录"."""
    import jieba.posseg as pseg

    def span(name: str, text: str) -> tuple[int, int] | None:
        return (text.index(name), text.index(name) + len(name)) if text.count(name) == 1 else None

    # People, as jieba tags them: the order of a person and a place is often only the order of
    # a description ("图拉真在位时期修建的罗马石桥" / "罗马时代的石桥，该桥修建于图拉真统治时期").
    people = _zh_people(claim)
    found = [(x, span(x, claim), span(x, evidence)) for x in dict.fromkeys(names)
             if CJK_CHAR.match(x) and any(w in x or x in w for w in people)]
    found = [f for f in found if f[1] and f[2]]
    for i, (x, cx, ex) in enumerate(found):
        for y, cy, ey in found[i + 1:]:
            if cx[1] > cy[0] and cy[1] > cx[0] or ex[1] > ey[0] and ey[1] > ex[0]:
                continue  # one name inside the other
            if (cx[0] < cy[0]) == (ex[0] < ey[0]):
                continue
            c_between = claim[min(cx[1], cy[1]): max(cx[0], cy[0])]
            e_between = evidence[min(ex[1], ey[1]): max(ex[0], ey[0])]
            if not c_between or len(c_between) > 10 or len(e_between) > 30 \
                    or _ZH_NOT_ROLES.search(c_between) or re.search("[，,]", c_between) or _ZH_NOT_ROLES.search(e_between):
                continue
            verbs = [w for w, f in pseg.lcut(c_between) if f.startswith("v") and f != "vn"]
            if any(v[-1] in e_between for v in verbs):
                return True
    return False


# Chinese verbs whose two sides are not interchangeable: "A导致B" is not "B导致A".
_ZH_RELATION_VERBS = frozenset("导致 造成 引起 引发 促进 推动 带动 抑制 阻止 阻碍 影响 决定 取代 替代 依赖 依靠 支撑 驱动 "
                               "催生 制约 感染 传染 适应 服从 服务 塑造 激活 调控 诱导 保护 预测 吸引 支配".split())


_ZH_SIDE_STOP = frozenset("可以 可能 能够 应该 应当 需要 已经 进一步 认为 指出 表示 提出 研究 文章 作者 发现 显示 表明".split())


def _zh_verb_sides_turned(claim: str, evidence: str) -> bool:
    """"A导致B" where the evidence says "B导致A": around a relation verb both use once, the
    content words before it in the claim stand after it in the evidence and the reverse."""
    def sides(text: str) -> dict[str, tuple[set[str], set[str]]]:
        out = {}
        for cl in _zh_clause_words(text):
            words = [w for w, _ in cl]
            for v in _ZH_RELATION_VERBS.intersection(words):
                if words.count(v) != 1:
                    continue
                i = words.index(v)
                out[v] = (side(cl[:i]), side(cl[i + 1 :]))
        return out

    def side(words: list[tuple[str, str]]) -> set[str]:
        return {w for w, f in words if f[:1] in "nvalij" and len(w) >= 2 and w not in _ZH_SIDE_STOP}

    mine, theirs = sides(claim), sides(evidence)
    for v in mine.keys() & theirs.keys():
        (lc, rc), (le, re_) = mine[v], theirs[v]
        both = (lc & rc) | (le & re_)
        if _sides_crossed(lc - both, rc - both, le - both, re_ - both):
            return True
    return False


_ZH_COMPARE = ("仅次于", "次于", "高于", "低于", "多于", "少于", "大于", "小于", "超过", "早于", "晚于", "优于", "领先于", "落后于")


_ZH_OPPOSITE = dict(p for a, b in ("高低", "大小", "多少", "强弱", "长短", "快慢", "早晚", "重轻", "好差", "深浅", "宽窄",
                                      "远近", "贵贱", "厚薄") for p in ((a, b), (b, a)))
_ZH_THAN = re.compile(r"(?:比|较|相比于?|相较于?)(?P<o>[^，。；,;、]{1,12}?)(?:更|还|都|要|略|稍|明显|显著|更加)*"
                      rf"(?P<a>[{''.join(_ZH_OPPOSITE)}])")


def _zh_comparative_opposite(claim: str, evidence: str) -> bool:
    """"甜度和酸度都比一般百香果高" against "甜度、酸度较一般百香果低": the same thing compared
    with the opposite adjective."""
    theirs = [(m.group("o"), m.group("a")) for m in _ZH_THAN.finditer(evidence)]
    for m in _ZH_THAN.finditer(claim):
        o, adj = m.group("o"), m.group("a")
        for eo, eadj in theirs:
            same = o in eo or eo in o or len(set(o) & set(eo)) >= 2
            if same and eadj == _ZH_OPPOSITE[adj] and not any(x == adj for y, x in theirs if y == eo):
                return True
    return False


def _zh_comparison_turned(claim: str, evidence: str) -> bool:
    """"吉达港……仅次于达曼港" against "它（达曼港）……仅次于……吉达港": a side of the claim's
    comparison stands on the other side of the same comparison in the evidence, and the claim's
    other side is not where the evidence puts it; or the same thing compared with the opposite
    adjective (`_zh_comparative_opposite`)."""
    if _zh_comparative_opposite(claim, evidence):
        return True
    for marker in _ZH_COMPARE:
        if marker not in claim or marker not in evidence:
            continue
        mine = [r for cl in _zh_clause_words(claim) if (r := _zh_roles(cl, marker, None, set(), to_end=True))]
        theirs = [r for cl in _zh_clause_words(evidence) if (r := _zh_roles(cl, marker, None, set(), to_end=True))]
        for lc, rc in mine:
            for le, re_ in theirs:
                if (lc - rc) & (re_ - le) and not (rc - lc) & (re_ - le):
                    return True
    return False


_ZH_VS = re.compile(r"^(?P<a>[^，。；,;]+?)(?P<c>高于|多于|大于|超过|优于|强于|快于|低于|少于|小于|弱于|慢于|逊于)(?P<b>[^，。；,;]+)")


def _zh_side_words(side: str) -> set[str]:
    """English stems of one side of a Chinese comparison: its words' glosses and pinyin."""
    out: set[str] = set()
    for w in jieba_segmenter().lcut(side):
        if len(w) < 2 or not CJK_CHAR.match(w):
            continue
        out |= C.zh_glosses(w)
        out.add(C.pinyin(re.sub(r"[省市县]$", "", w)))
    return out


def _zh_en_comparison_turned(claim: str, evidence: str) -> bool:
    """A Chinese comparison whose sides stand the other way round in the English evidence:
    "全国……平均患病率低于山东省的水平" against "The prevalence rate of TB in Shandong was lower compared
    with the average rate of China"."""
    e = _compared(evidence)
    if not e:
        return False
    ew, el, esign = e
    for clause in re.split(r"[。；;]", claim):
        # The comparison opens the clause, or its last part ("2000年，全国……低于……").
        pieces = clause.split("，")
        m = _ZH_VS.search(pieces[0]) or _ZH_VS.search(pieces[-1])
        if not m:
            continue
        sign = -1 if m.group("c")[0] in "低少小弱慢逊" else 1
        if sign != esign:
            continue
        ca, cb = _zh_side_words(m.group("a")), _zh_side_words(m.group("b"))
        common = ca & cb
        if _sides_crossed(ca - common, cb - common, ew - el, el - ew):
            return True
    return False


# "A是B的内在要求": A stands to B as the head says (a requirement, basis, carrier of B), not the reverse.
_ZH_OF_RELATION = re.compile(r"([^，。；：、“”\"]{2,30}?)是([^，。；：是“”\"]{2,30}?)的(?:[^，。；的]{0,6}?)"
                             r"(?:要求|基础|前提|关键|核心|动力|保障|途径|手段|目标|结果|原因|条件|载体|源泉|根本|重点|着力点|"
                             r"方向|支撑|引擎|来源|本质|特征|标志|体现|产物|一部分|组成部分)")
_EN_COPULA = re.compile(r"^(.*?)\b(?:is|are|was|were)\b(.*)$", re.I | re.S)


def _zh_en_relation_turned(claim: str, evidence: str) -> bool:
    """A Chinese "A是B的要求" whose two sides stand the other way round in the English evidence:
    "推动高质量发展是发展新质生产力的内在要求" against "Developing new quality productive forces is an
    inherent requirement ... for promoting high-quality development"."""
    m_e = _EN_COPULA.search(evidence.strip(" \"“”'"))
    if not m_e:
        return False
    # The side after the copula, to the end of its clause (what follows is said of both).
    ea, eb = set(tokenize(m_e.group(1))), set(tokenize(re.split(r"[,;:\"”]", m_e.group(2))[0]))
    for clause in re.split(r"[，。；;：:]", claim):
        m = _ZH_OF_RELATION.search(clause)
        if not m:
            continue
        ca, cb = _zh_side_words(m.group(1)), _zh_side_words(m.group(2))
        common = ca & cb
        if _sides_crossed(ca - common, cb - common, ea - eb, eb - ea):
            return True
    return False


_ZH_LESS = re.compile(r"[少低小短弱慢差轻晚窄浅]")


def _zh_bi_sides(text: str) -> list[tuple[set[str], str, int]]:
    """(content words before 比, the first after it, +1 or -1 for 更多 / 更少) of each clause
    that compares with 比: 白葡萄酒比红葡萄酒含有更多的亚硫酸盐 -> ({白葡萄酒}, 红葡萄酒, +1)."""
    out = []
    for cl in _zh_clause_words(text):
        idx = [i for i, (w, _) in enumerate(cl) if w == "比"]
        if not idx:
            continue
        i = idx[0]
        left = {w for w, f in cl[:i] if f in _ZH_CONTENT}
        after = [w for w, f in cl[i + 1 :] if f in _ZH_CONTENT]
        if not left or not after:
            continue
        rest = "".join(w for w, _ in cl[i + 2 :])
        out.append((left, after[0], -1 if _ZH_LESS.search(rest) else 1))
    return out


def _zh_bi_turned(claim: str, evidence: str) -> bool:
    """"红葡萄酒所含的亚硫酸盐比白葡萄酒更多" against "白葡萄酒比红葡萄酒含有更多的亚硫酸盐": the
    claim's compared side is the evidence's standard of comparison, with the same 更多 / 更少."""
    if "比" not in claim or "比" not in evidence:
        return False
    for cl, cr, cs in _zh_bi_sides(claim):
        for el, er, es in _zh_bi_sides(evidence):
            if cs == es and er in cl and cr in el and er != cr:
                return True
    return False


# Verbs (and the agent preposition 由) whose two sides are not interchangeable, and the pairs that
# say the same thing the other way round (A 击败 B = B 负于 A).
_ZH_WIN = ("击败", "战胜", "打败", "打赢", "击溃", "胜过", "力克", "淘汰")
_ZH_LOSE = ("负于", "败给", "输给", "不敌", "败于")
_ZH_SIDED = _ZH_WIN + _ZH_LOSE + ("接替", "接任", "继任", "取代", "替代", "由", "嫁给", "收购", "领先")
_ZH_NAME_POS = ("nr", "ns", "nt", "nz", "nrt", "nrfg", "eng", "j")
_ZH_ORG_END = re.compile(r"[队国省市县州]$|公司$|大学$|集团$|银行$|协会$|俱乐部$")


@lru_cache(maxsize=512)
def _zh_sided(text: str) -> tuple[tuple[tuple[str, str, str], ...], frozenset[str]]:
    """(verb, text before it, text after it) for each sided verb of each clause, and the names of
    the sentence (people, places, organisations, teams; any Latin word). Cached: a claim is read
    against each evidence sentence, by more than one check."""
    sides, names = [], set()
    for clause in _zh_clause_words(text):
        words = [w for w, _ in clause]
        for i, w in enumerate(words):
            if w in _ZH_SIDED:
                sides.append((w, "".join(words[:i]), "".join(words[i + 1 :])))
        names.update(w for w, f in clause if (f in _ZH_NAME_POS and len(w) >= 2)
                     or (f == "n" and len(w) >= 3 and _ZH_ORG_END.search(w)))
    return tuple(sides), frozenset(names)


def _zh_sides_turned(claim: str, evidence: str) -> bool:
    """A Chinese claim that puts a name on the other side of a sided verb than the evidence does:
    "李兆焯接替马飚" against "（马飚）……接替李兆焯", "比利时队……击败义大利队" against "带领义大利队……击败比利时队",
    or "佩内塔击败了李娜" against "佩内塔……负于……李娜" (the converse verb keeps the sides, not the order)."""
    mine, cnames = _zh_sided(claim)
    if not mine:
        return False
    theirs, enames = _zh_sided(evidence)
    names = {n for n in cnames | enames if n in claim}
    for verb, cl, cr in mine:
        left_c = {n for n in names if n in cl}
        right_c = {n for n in names if n in cr}
        if not left_c or not right_c:
            continue
        turned = kept = False
        for v, el, er in theirs:
            converse = (verb in _ZH_WIN and v in _ZH_LOSE) or (verb in _ZH_LOSE and v in _ZH_WIN)
            if v != verb and not converse:
                continue
            if converse:
                el, er = er, el
            right_e = {n for n in names if n in er}
            if right_c & right_e:
                kept = True
            elif left_c & right_e:
                turned = True
        if turned and not kept:
            return True
    return False


_ZH_AGENT_VERB = ("研发", "研制", "开发", "设计", "制造", "生产", "发明", "创立", "创办", "建立", "提出", "编写", "撰写",
                  "执导", "导演", "出版", "发行")


def _zh_passive_agents(text: str) -> list[tuple[str, str]]:
    """(agent, verb) of each passive clause: "15世纪时被印加帝国所毁灭" -> (印加帝国, 毁灭); also 为……所灭."""
    words = _zh_clause_words(text)
    out = []
    for clause in words:
        for i, (w, _) in enumerate(clause):
            if w not in ("被", "遭", "为") or (w == "为" and not any(x.startswith("所") for x, _ in clause[i + 1 : i + 5])):
                continue
            agent, named = [], False
            for x, f in clause[i + 1 : i + 6]:
                if f.startswith("v") or f == "zg":  # jieba tags 选 in 被……选为 "zg"
                    verb = x[1:] if x.startswith("所") and len(x) > 1 else x
                    if agent:
                        out.append(("".join(agent), verb))
                    break
                if named and f not in _ZH_NAME_POS:
                    continue  # "被高英秘密杀害": the agent is the name, 秘密 says how
                if x != "所":
                    agent.append(x)
                    named = f in _ZH_NAME_POS
    return out


def _zh_passive_turned(claim: str, evidence: str) -> bool:
    """The claim says A did to B what the evidence says B did to A: "奇穆王国……攻灭了印加帝国"
    where the evidence says it "被印加帝国所毁灭". The claim's object is the evidence's agent, after
    a verb that shares a character with the evidence's (灭), and the claim is not passive there."""
    for agent, verb in _zh_passive_agents(evidence):
        if len(agent) < 2:
            continue
        for clause in _zh_clause_words(claim):
            text = "".join(w for w, _ in clause)
            if agent not in text or any(w in ("被", "遭") for w, _ in clause):
                continue
            ws = [w for w, _ in clause]
            for i, (w, f) in enumerate(clause):
                if not f.startswith("v") or not set(w) & set(verb):
                    continue
                rest = "".join(ws[i + 1 : i + 5]).lstrip("了过")
                # "推选一位法国诗人为……": a count before the name ("a French poet") is still the name.
                rest = re.sub(r"^[一两几多这那每各][位名个些批群]", "", rest)
                if rest.startswith(agent):
                    return True
    return False


def _zh_agent_swapped(claim: str, evidence: str) -> bool:
    """"由X研发" where the evidence sentence that states the claim gives the same act to another
    name, and X not at all: "雷达是由军备局202厂研发的" against "配合中科院研发的低空防御射控雷达"."""
    import jieba.posseg as pseg

    m = re.search(r"由(.{2,14}?)(" + "|".join(_ZH_AGENT_VERB) + ")", claim)
    if not m or m.group(1) in evidence:
        return False
    agent, verb = m.group(1), m.group(2)
    words = pseg.lcut(evidence)
    for i, (w, _) in enumerate(words):
        if w != verb or i == 0:
            continue
        before, pos = words[i - 1]
        if before == "的" and i >= 2:
            before, pos = words[i - 2]
        named = (pos in _ZH_NAME_POS and len(before) >= 2) or _ZH_ORG_END.search(before) or re.search(r"[院所厂局部]$", before)
        if named and before not in claim and before not in agent and agent not in before:
            return True
    return False


def _zh_opponent_swapped(claim: str, evidence: list[str]) -> bool:
    """A Chinese claim whose win or loss is against another name than the evidence gives for the
    same event: "佩内塔……输给了罗贝塔·文奇" where the evidence says "在半决赛中遗憾负于维多利亚·阿扎伦卡"
    (and 文奇 is the one she beat in another year)."""
    mine, cnames = _zh_sided(claim)
    mine = [(v, cl, cr) for v, cl, cr in mine if v in _ZH_WIN + _ZH_LOSE]
    if not mine:
        return False
    for verb, _, cr in mine:
        right_c = {n for n in cnames if n in cr}
        if not right_c:
            continue
        group = _ZH_WIN if verb in _ZH_WIN else _ZH_LOSE
        swapped = kept = False
        for e in evidence:
            theirs, enames = _zh_sided(e)
            for v, _, er in theirs:
                if v not in group:
                    continue
                right_e = {n for n in enames if n in er}
                if any(c in x or x in c for c in right_c for x in right_e):
                    kept = True
                elif right_e and not any(x in claim for x in right_e):
                    swapped = True
        if swapped and not kept:
            return True
    return False


_RENAMED = re.compile(r"(?:更名|改名|易名|改称|renamed(?:\s+(?:as|to))?|changed\s+(?:its|their|his|her)\s+name\s+to)\s*"
                      r"(?:为|成)?\s*[「“\"《]?(?P<new>[^，。；,;.」”\"》()（）]{2,40})", re.I)


def _renamed_turned(claim: str, evidence: str) -> bool:
    """"A更名为B" / "A was renamed B" where the evidence renames B to A: the claim's new name is
    the evidence's old one, and the evidence's new name is what the claim renames."""
    c, e = _RENAMED.search(claim), _RENAMED.search(evidence)
    if not c or not e:
        return False

    def norm(x: str) -> str:
        return re.sub(r"\s+", "", x) if has_cjk(x) else C.letters(x)

    cnew, enew = norm(c.group("new")), norm(e.group("new"))
    if not cnew or not enew or cnew.startswith(enew) or enew.startswith(cnew):
        return False
    return enew in norm(claim[: c.start()]) and cnew in norm(evidence[: e.start()])


# Nouns that set one side to serve the other: "A is a requirement for B" is not "B is a requirement for A".
_ROLE_NOUN = (r"requirements?|prerequisites?|preconditions?|basis|foundations?|causes?|sources?|drivers?|engines?|"
              r"results?|consequences?|outcomes?|products?|cornerstones?|keys?|guarantees?|means|paths?|motors?|"
              r"catalysts?|predictors?|determinants?|precursors?|triggers?|channels?|carriers?|vehicles?")
_ROLE_EN = re.compile(rf"^(?P<a>.+?)\s+(?:is|are|was|were|as|becomes?|became|remains?|serves? as)\s+(?:an?|the)\s+"
                      rf"(?:[\w-]+\s+){{0,3}}?(?:{_ROLE_NOUN})\b(?:\s+(?:and|or)\s+(?:an?|the)?\s*(?:[\w-]+\s+){{0,3}}?[\w-]+)?"
                      rf"\s+(?:for|of|to|through which|by which)\s+(?P<b>[^;:,\"”]+)", re.I)
_ROLE_ZH = re.compile(r"^(?P<a>[^，。；]+?)(?:是|为|成为|作为)(?P<b>[^，。；]+?)的[^，。；]{0,6}?"
                      r"(?:要求|前提|基础|关键|源泉|动力|结果|原因|保障|核心|根本|引擎|条件|途径|基石)")


def _role_turned(claim: str, evidence: str) -> bool:
    """"High-quality development is an inherent requirement for developing new productive forces"
    where the evidence says the reverse (A是B的内在要求 / B是A的内在要求): each side where the other was."""
    pattern = _ROLE_ZH if has_cjk(claim) else _ROLE_EN
    cm, em = pattern.search(claim.strip()), pattern.search(evidence.strip().strip("\"“"))
    if not cm or not em:
        return False
    ca, cb = set(tokenize(cm.group("a"))), set(tokenize(cm.group("b")))
    ea, eb = set(tokenize(em.group("a"))), set(tokenize(em.group("b")))
    return _sides_crossed(ca - cb, cb - ca, ea - eb, eb - ea)


RELATION_FLIP = 0.6  # `_relation_flip` from which a claim reads as the source with the two sides swapped


def _neighbours(evidence: list[SourceSentence], context: list[SourceSentence]) -> list[SourceSentence]:
    """The sentences just before and after the evidence in its passage."""
    out = []
    for i, s in enumerate(context):
        if any(s is e for e in evidence):
            for j in (i - 1, i + 1):
                if 0 <= j < len(context) and context[j].passage.id == s.passage.id and \
                        not any(context[j] is e for e in evidence) and context[j] not in out:
                    out.append(context[j])
    return out


def _zh_tag(word: str) -> str | None:
    """jieba's part-of-speech tag for a word it reads as one word, else None."""
    import jieba.posseg as pseg

    tags = [f for _, f in pseg.lcut(word)]
    return tags[0] if len(tags) == 1 else None


def _ZH_NAME(word: str) -> bool:
    """A Chinese person or place name (jieba's nr/ns tags)."""
    return _zh_tag(word) in ("nr", "ns", "nrfg", "nrt")


_ORDINAL_TOKEN = re.compile(r"^第|^[零一二三四五六七八九十两\d]+[届次期]$|^\d+(?:st|nd|rd|th)$|^(?:first|second|third|"
                            r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)$")


# A claim about a paper itself (who wrote it, where and when it appeared, its title) may rest on
# its reference or DOI line; no other claim may.
_ABOUT_A_PUBLICATION = re.compile(r"\b(?:published|publish|journal|doi|volume|issue|pages?|cit(?:e|ed|ation)|"
                                  r"authors?|wrote|written|editor|received|accepted|paper|article|titled?)\b|发表|期刊|"
                                  r"学报|刊登|卷|页|作者|引用|收稿|编辑|出版|论文|文章|题为|题目", re.I)


def _judge_sentence(a: _Analysed, sources: Evidence, embedder) -> tuple[float, list[SourceSentence]]:
    """(alignment score, evidence sentences best first) for one claim."""
    singles, idf = sources.sentences, sources.idf
    covs = [_coverage(a, s, idf) for s in singles]
    nums = a.info.numbers
    if nums:
        # A sentence stating the claim's figures is a candidate even when its words are few (a
        # Chinese claim of an English sentence).
        def num_share(s: SourceSentence) -> float:
            theirs = C.numbers_ordinals(s.text)[0]
            return sum(1 for v in nums if v in theirs or _approximately_stated(a.text, v, theirs)) / len(nums)
        key = [covs[j] + 0.3 * num_share(s) for j, s in enumerate(singles)]
    else:
        key = covs
    order = sorted(range(len(singles)), key=lambda j: (-key[j], singles[j].rank))
    if not _ABOUT_A_PUBLICATION.search(a.text):
        # A DOI or reference line ("Published Online: February 11, 2020. doi:10.1001/…") says
        # where a paper appeared: it is evidence for that, not for a finding whose figures it
        # happens to contain.
        content = [j for j in order if not is_bibliographic(singles[j].text)]
        order = content or order
    cand = order[:EMBED_CANDIDATES]
    cos = {}
    top = order[0] if order else None
    # Lexical alignment decisive: one sentence of the claim's language states nearly all of it,
    # clearly more than any other; the embedding would not change the choice (saves ~50 ms).
    decisive = (top is not None and singles[top].lang == a.lang and covs[top] >= DECISIVE_COV
                and (len(order) < 2 or covs[top] - covs[order[1]] >= DECISIVE_GAP))
    if decisive:
        cos[top] = COS_HIGH  # stands for a cosine that agrees with the words
    elif embedder is not None and cand:
        vecs = encode_cached(embedder, [a.text], query=True)  # in `rag check`, the query it was searched with
        svecs = sources.vectors([singles[j].text for j in cand])
        for j, c in zip(cand, (svecs @ vecs[0]).tolist()):
            cos[j] = c
    def w(j: int) -> float:
        return COV_WEIGHT if singles[j].lang == a.lang else COV_WEIGHT_CROSS

    def x(j: int) -> bool:
        return singles[j].lang != a.lang

    scores = {j: w(j) * covs[j] + (1 - w(j)) * _scaled(cos.get(j, 0.0), x(j)) for j in order[: max(8, len(cand))]}
    best = max(scores, key=lambda j: (round(scores[j], 3), -singles[j].rank, -j))
    evidence = [singles[best]]
    score = scores[best]
    # A second sentence that states what the first does not.
    base = covs[best]
    gain_best, second = 0.0, None
    # What a second sentence adds, in either language, is counted without ordinals: one that only
    # holds the claim's ordinal ("第二届比赛于……举行" beside "第一届……得奖者", or "two steps" for
    # 第二届) speaks of another occasion, and would lend the claim an ordinal its evidence does
    # not state.
    words = copy.copy(a)
    words.tokens = [t for t in a.tokens if not _ORDINAL_TOKEN.search(t)]
    word_base = _coverage(words, singles[best], idf)
    for j in order[:12]:
        if j == best or _overlaps(singles[j], singles[best]) or singles[j].lang not in (a.lang, singles[best].lang):
            continue
        g = _coverage(words, [singles[best], singles[j]], idf) - word_base
        if g > gain_best:
            gain_best, second = g, j
    joined = _clause_source(a, singles, idf, best) if len(singles) > 1 else None
    if joined is not None:
        # A claim that joins two statements ("X, and Y"; "Because X, Y") cites the sentence
        # that states each part, when another sentence states a part the first does not.
        g = _coverage(a, [singles[best], singles[joined]], idf) - base
        if g > 0 and (second is None or gain_best < SECOND_GAIN or g >= gain_best * 0.5):
            # A stated part counts as at least SECOND_GAIN of the claim, in the citation and the score.
            gain_best, second = max(g, SECOND_GAIN), joined
    if second is not None and gain_best >= SECOND_GAIN:
        evidence.append(singles[second])
        score = w(best) * (base + gain_best) + (1 - w(best)) * max(_scaled(cos.get(best, 0.0), x(best)),
                                                                 _scaled(cos.get(second, 0.0), x(second)))
    figure = _figure_source(words, singles, idf, evidence) if nums else None
    if figure is not None:
        evidence.append(singles[figure])
    rank = _rank_source(a, singles, idf, evidence)
    if rank is not None:
        evidence.append(singles[rank])
    if DEBUG:
        print(f"[align] cov={covs[best]:.2f} cos={cos.get(best, 0.0):.3f} lang={a.lang}/{singles[best].lang}"
              + (f" figure+={singles[figure].text[:60]!r}" if figure is not None else ""))
    return score, evidence


FIGURE_GAIN = 0.05  # claim words (figures aside) a sentence must add to be cited for a figure the evidence lacks


def _figure_source(a: _Analysed, singles: list[SourceSentence], idf: dict[str, float],
                   evidence: list[SourceSentence]) -> int | None:
    """For a claim whose figures are not all in its evidence: a sentence of the same document
    that states a missing figure and some of the claim's other words too ("1,018 drugs were
    screened ... three of which were calcium inhibitors" cites "three of the five hit drugs were
    calcium inhibitors" beside the screening sentence). A sentence that only holds the figure
    speaks of something else."""
    etext = " ".join(e.text for e in evidence)
    stated = C.numbers_ordinals(etext)[0]
    missing = {v for v in a.info.numbers if v not in stated and not _approximately_stated(a.text, v, stated)}
    if not missing:
        return None
    # The evidence gives a figure of the same sort that the claim does not ("nine key tasks" for
    # the claim's ten): the claim changed it, and another sentence's ten is about something else.
    def sort(v: float) -> str:
        return "year" if v.is_integer() and 1000 <= v <= 2100 else "figure"

    if {sort(v) for v in stated - a.info.numbers} & {sort(v) for v in missing}:
        return None
    docs = {e.passage.source for e in evidence}
    about_a_paper = _ABOUT_A_PUBLICATION.search(a.text)
    words = copy.copy(a)
    words.tokens = [t for t in a.tokens if not re.search(r"\d", t) and C.zh_numeral(t) is None]
    base = _coverage(words, evidence, idf)
    best, best_key = None, None
    for j, s in enumerate(singles):
        if s.passage.source not in docs or any(s is e or _overlaps(s, e) for e in evidence) \
                or (not about_a_paper and is_bibliographic(s.text)):
            continue
        got = len(missing & C.numbers_ordinals(s.text)[0])
        if not got:
            continue
        gain = _coverage(words, evidence + [s], idf) - base
        if any(_adjacent(s, e) for e in evidence):
            gain = max(gain, FIGURE_GAIN)
        if gain >= FIGURE_GAIN and (best_key is None or (got, gain) > best_key):
            best, best_key = j, (got, gain)
    return best


def _rank_source(a: _Analysed, singles: list[SourceSentence], idf: dict[str, float],
                 evidence: list[SourceSentence]) -> int | None:
    """For a claim that ranks something ("the largest", 最主要的经济) where no cited sentence ranks
    anything: a sentence of the same document that says the claim's own superlative and some of
    its other words too (a summary's last clause: "如今旅游业是当地最主要的经济" beside the sentences on
    the town's earlier industries cites "目前瓦士本市最主要的经济是旅游业")."""
    etext = " ".join(e.text for e in evidence)
    words = {m.group(0).lower() for m in _RANKS_EN.finditer(a.text)} | {m.group(0) for m in _RANKS_ZH.finditer(a.text)}
    if not words or not _superlative_unstated(a.text, etext):
        return None
    docs = {e.passage.source for e in evidence}
    base = _coverage(a, evidence, idf)
    best, best_gain = None, 0.0
    for j, s in enumerate(singles):
        if s.passage.source not in docs or any(s is e or _overlaps(s, e) for e in evidence):
            continue
        low = s.text.lower()
        if not any(w in low for w in words):
            continue
        gain = _coverage(a, evidence + [s], idf) - base
        if gain >= FIGURE_GAIN and gain > best_gain:
            best, best_gain = j, gain
    return best


# Where a claim joins two statements: a clause break, or "because"/"since"/"so that" opening a part.
_JOIN = re.compile(r"[;；。]|[,，]\s*(?:and|but|while|whereas|so|since|because|as)\b|[,，]\s*(?:并且|而且|但|而|因此|所以|同时)"
                   r"|\b(?:whereas|while)\b|(?<=\w)\s+(?:because|since)\s+", re.I)
_LEADING_CAUSE = re.compile(r"^\s*(?:because|since|as|with|after|while)\b(.+?)[,，](.+)$|^\s*(?:因为|由于)(.+?)[,，](.+)$", re.I)
JOIN_PART_COV = 0.5  # a part counts as stated by a sentence that covers this share of its content


def claim_parts(text: str) -> list[str]:
    """The statements a claim joins, when it joins several (each of three content words or more)."""
    m = _LEADING_CAUSE.match(text)
    parts = [g for g in m.groups() if g] if m else _JOIN.split(text)
    parts = [p.strip() for p in parts if p and len(tokenize(p)) >= 3]
    return parts if len(parts) >= 2 else []


def _clause_source(a: _Analysed, singles: list[SourceSentence], idf: dict[str, float], best: int) -> int | None:
    """For a claim that joins statements: the sentence (not `best`) that states a part `best`
    leaves unstated, or None."""
    parts = claim_parts(a.text)
    if not parts:
        return None
    for part in parts:
        pa = _Analysed(part)
        if _coverage(pa, singles[best], idf) >= JOIN_PART_COV:
            continue
        covs = [(_coverage(pa, s, idf), -s.rank, -j) for j, s in enumerate(singles)
                if j != best and not _overlaps(s, singles[best])]
        if covs:
            cov, _, neg_j = max(covs)
            if cov >= JOIN_PART_COV:
                return -neg_j
    return None


def _neighbour_denies(a: _Analysed, evidence: list[SourceSentence], singles: list[SourceSentence]) -> SourceSentence | None:
    """A sentence right beside the evidence that says a clause of the claim with the opposite
    polarity ("traditional systems ... remain well suited" / "Traditional systems and mechanisms
    are no longer suitable"): the evidence was chosen for the claim's other words."""
    beside = [s for s in singles if s not in evidence and s.lang == a.lang and any(_adjacent(s, e) for e in evidence)]
    if not beside:
        return None
    # The claim's positive clauses (a negated one is not contradicted by a sentence that merely
    # omits the negation).
    parts = [sub for cl in _clauses(_NOT_ONLY.sub(" ", a.text))
             if not _polarity(cl) and len((sub := _Analysed(cl)).tokens) >= 4]
    for s in beside:
        for src in _clause_sentences(s):
            if not _polarity(_NOT_ONLY.sub(" ", src.text)):
                continue
            for sub in parts:
                hits = sum(1 for t in sub.tokens if _token_covered(sub, t, src))
                if hits >= 3 and hits >= 0.35 * len(sub.tokens):
                    return s
    return None


def _as_quotes(evidence: list[SourceSentence]) -> list[SourceSentence]:
    """Adjacent sentences of one passage are cited as one verbatim slice."""
    if len(evidence) == 2:
        a, b = sorted(evidence, key=lambda s: (s.passage.id, s.start))
        if _adjacent(a, b) and not _PARAGRAPH_BREAK.search(span_text(a, b)):
            return [SourceSentence(a.passage, a.rank, a.start, b.end, span_text(a, b), a.tokens | b.tokens)]
    return evidence


def _squashed(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _verbatim_in(sentence: str, singles: list[SourceSentence]) -> SourceSentence | None:
    """The source sentence that holds `sentence` word for word (spacing, case and punctuation
    aside), if any: an extractive answer, or a model that copied."""
    key = _squashed(sentence)
    if len(key) < 12:
        return None
    for s in singles:
        whole = _squashed(s.text)
        if key == whole:
            return s
        if key in whole:
            # Part of a sentence: only when the rest does not turn it round ("It is not true that ...").
            rest = s.text.lower()
            for w in re.findall(r"\w+", sentence.lower()):
                rest = rest.replace(w, " ", 1)
            if not C.negated(rest) and not _NOT_ONLY.search(rest):
                return s
    return None


def verify(draft: str, sources: Evidence | list[SearchResult], embedder, threshold: float,
           keep_fragments: bool = False, judge: Callable[[str, list[str]], bool] | None = None) -> list[Verdict]:
    """A verdict per answer sentence; identical sentences (repetition loops) are kept once, and
    fragments ("Zhang, Ma.") are left out unless `keep_fragments` (a text being checked).
    `sources`: a question's evidence (its sentences, word rarity and vectors are used as they
    are), or search results, whose sentences are then gathered here. `embedder`: the one the
    evidence was gathered with, or None to judge by words alone.
    `judge(claim, evidence_texts) -> bool`, when given, decides instead of the built-in checks."""
    parts = []
    seen: set[str] = set()
    for sent, cited in split_answer(draft):
        key = re.sub(r"\W+", "", sent.lower())
        if key in seen or (len(tokenize(sent)) < 3 and not keep_fragments):
            continue
        seen.add(key)
        parts.append((sent, cited))
    if not isinstance(sources, Evidence):
        sources = from_results(sources, embedder)
    singles = sources.sentences
    verdicts = []
    for sent, cited in parts:
        if not singles:
            verdicts.append(Verdict(sent, cited, 0.0, [], [NOTHING_FOUND]))
            continue
        a = _Analysed(sent)
        verbatim = _verbatim_in(sent, singles)
        if verbatim is not None:  # a quote is its own evidence: no check can find it wrong
            verdicts.append(Verdict(sent, cited, 1.0, [verbatim]))
            continue
        score, evidence = _judge_sentence(a, sources, embedder)
        reasons = []
        if judge is not None:
            ok = bool(judge(sent, [e.text for e in evidence]))
            if not ok:
                reasons.append(JUDGE_SAYS_NO)
        else:
            readable = {id(x): _readable(x) for x in singles if "-{" in x.text}
            checked = [readable.get(id(e), e) for e in evidence]
            # A document that says it in both languages (an abstract and its translation) is read
            # in the claim's: the checks that compare words in one language then run.
            first = checked[0].passage.source if checked else None
            checked = sorted(checked, key=lambda e: not (e.lang == a.lang and e.passage.source == first))
            reasons = _check(a, checked, [readable.get(id(x), x) for x in singles])
            if not reasons and score >= threshold:
                denied = _neighbour_denies(a, evidence, singles)
                if denied is not None:
                    reasons.append(f"the sentence beside it in the source denies it: {_names([_short(denied.text)])}")
            if DEBUG:
                flip = _relation_flip(sent, " ".join(e.text for e in evidence))
                print(f"[verify] {score:.3f} flip={flip:.2f} {reasons} | {sent[:80]} || {' ## '.join(e.text[:80] for e in evidence)}")
            low = score < threshold
            ok = not low and not reasons
            if reasons:
                score = min(score, threshold * 0.5)
            if low:  # what it says is not there at all: that comes first, the checks' findings after
                reasons.insert(0, NOT_STATED)
        if ok:
            verdicts.append(Verdict(sent, cited, float(score), _as_quotes(evidence)))
        else:
            verdicts.append(Verdict(sent, cited, float(score), [], reasons, _as_quotes(evidence)))
    return verdicts


DEBUG = bool(__import__("os").environ.get("RAG_VERIFY_DEBUG"))
NOTHING_FOUND = "nothing in the documents was found about it"
NOT_STATED = "no source sentence states it (the closest is shown)"
JUDGE_SAYS_NO = "the judging model found that the closest source sentences do not state it"


# ---------------------------------------------------------------------------- LLM judge
def llm_verdict(claim: str, evidence_texts: list[str], backend, max_tokens: int = 8) -> bool:
    """Ask a chat backend whether the evidence states the claim (prompts/verify_claim.txt)."""
    from .prompts import load_prompt

    template = load_prompt("verify_claim")
    evidence = "\n".join(f"- {t.strip()}" for t in evidence_texts) or "- (none)"
    prompt = template.format(claim=claim.strip(), evidence=evidence)
    system, _, user = prompt.partition("\n---\n")
    messages = [("system", system.strip()), ("user", user.strip())] if user else [("user", prompt.strip())]
    reply = backend.complete(messages, max_tokens=max_tokens)
    return _yes(reply)


def _yes(reply: str) -> bool:
    word = re.search(rf"[A-Za-z{CJK}]+", reply or "")
    return bool(word) and word.group(0).lower() in ("yes", "supported", "true", "是", "支持")


def _readable(s: SourceSentence) -> SourceSentence:
    """The sentence as the checks read it: Wikipedia's script-variant markup ("运动员-{zh-cn:尤塞恩·
    博尔特;zh-hk:保特;zh-tw:尤塞恩·柏特}-以……") as its simplified-Chinese variant; quotes keep the text as it is."""
    text = C.readable(s.text)
    return dataclasses.replace(s, text=text, tokens=tokens_with_terms(text, s.passage.terms))


def as_citation(src: SourceSentence, n: int, support: float) -> Citation:
    """The source sentence as citation [n] of a sentence judged with this support."""
    return Citation(n=n, source=src.passage.source, title=src.passage.title, quote=src.text, start=src.start,
                    end=src.end, passage_id=src.passage.id, score=round(support, 4))


def assemble(verdicts: list[Verdict], strict: bool, max_sentences: int = 0
             ) -> tuple[str, list[Citation], list[str]]:
    """(answer text with [n] markers, citations, unsupported sentences)."""
    citations: list[Citation] = []
    index: dict[tuple[str, int, int], int] = {}
    pieces: list[str] = []
    unsupported: list[str] = []
    for v in verdicts:
        if not v.supported:
            unsupported.append(v.sentence)
            if strict:
                continue
            pieces.append(v.sentence)
            continue
        if max_sentences and len(pieces) >= max_sentences:
            break
        marks = []
        for src in v.sources:
            key = (src.passage.source, src.start, src.end)
            if key not in index:
                index[key] = len(citations) + 1
                citations.append(as_citation(src, index[key], v.support))
            marks.append(f"[{index[key]}]")
        pieces.append(with_marks(v.sentence, "".join(marks)))
    return join_sentences(pieces), citations, unsupported
