"""Text primitives shared by every stage: the CJK character class, language detection, sentence
splitting, normalisation and one-line text.

Kept free of the project's other modules (and of jieba, models and files), so loading,
splitting, retrieval, verification and evaluation can all import it without cycles.
"""
from __future__ import annotations

import re
import unicodedata

# CJK ideographs: Extension A, the unified block, and the compatibility ideographs. A class
# body, to be put inside brackets: re.compile(f"[{CJK}]+").
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Latin letters, with the accented ones of Latin-1 and Latin Extended-A/B (é, ü, ł).
LATIN = "A-Za-z\u00c0-\u024f"
CJK_CHAR = re.compile(f"[{CJK}]")
_LATIN_LETTER = re.compile(f"[{LATIN}]")


def has_cjk(text: str) -> bool:
    """True when the text holds at least one CJK ideograph."""
    return CJK_CHAR.search(text) is not None


def cjk_count(text: str) -> int:
    """The number of CJK ideographs in the text."""
    return CJK_CHAR.subn("", text)[1]  # as fast as findall, without a list the size of the text


# ---------------------------------------------------------------------------- language
# A CJK character carries about as much as four Latin letters (a short English word), so
# counting raw characters would call a Chinese abstract beside its English twin "en".
LETTERS_PER_CJK = 4


def cjk_share(text: str) -> float:
    """CJK characters / (CJK characters + Latin letters / 4): 0.0 for English, 1.0 for
    Chinese, about 0.5 for a text that says the same thing in both; 0.0 with neither script."""
    cjk = cjk_count(text)
    weight = cjk + _LATIN_LETTER.subn("", text)[1] / LETTERS_PER_CJK
    return cjk / weight if weight else 0.0


def detect_lang(text: str, mixed: float | None = None) -> str:
    """"zh" when CJK characters are at least half of the text (`cjk_share` >= 0.5, that is CJK
    characters at least a fifth of CJK characters plus Latin letters), else "en"; digits,
    punctuation and other scripts do not count, and a text with neither script is "en".

    With `mixed` (documents use 0.2), a text whose CJK share lies within [mixed, 1 - mixed]
    is "mixed": each script carries at least that part of it (a bilingual paper).
    """
    share = cjk_share(text)
    if mixed is not None and mixed <= share <= 1 - mixed:
        return "mixed"
    return "zh" if share >= 0.5 else "en"


# ---------------------------------------------------------------------------- sentences
PARAGRAPH_BREAK = r"\n[^\S\n]*\n"  # a blank line (spaces allowed, not newlines)

# An English sentence ends at . ! ? (plus closing quotes/brackets) before whitespace and a
# capital, digit, quote or CJK character; lowercase after a period is an abbreviation ("e.g. the").
_EN_END = re.compile(rf"""[.!?…]+["'”’)\]]*(?=\s+(?:[•▪◦‣]\s*)?["'“‘(\[]?[A-Z0-9{CJK}])""")  # a bullet may open the next
# Chinese ends need no following space; semicolons end clauses long enough to stand alone.
# Half-width ! and ? end a sentence here only after a Chinese character: after Latin text
# `_EN_END` decides ("Xiaheng?, MA Yan" is one line of names, not two sentences).
_ZH_END = re.compile(rf"(?:[。！？；]|(?<=[{CJK}])[!?])[”’」』）)]*")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|et al|etc|vs|Dr|Mr|Mrs|Ms|Prof|Fig|No|Vol|pp|St|Jr|Sr|Inc|Ltd|Co)|\b[A-Z]"
                     r"|(?:^|\n|[(（;；])[ \t]*[(（]?\d{1,2})\.$")  # the last: a list number, "(1. School of ...; 2. ..."
_LINE_END = re.compile(rf"{PARAGRAPH_BREAK}|\n(?=[ \t\u3000]+\S)|\n(?=\s*[•·\-*]\s)")
# The author list that opens a reference line ("ZHANG Xiaheng, MA Yan. Title[J]. Journal",
# "张夏恒, 马妍. 标题[J]."), maybe after a label ("Citation:", "引用本文:"): its full stop ends
# the authors, not a sentence. Latin names are an all-caps surname and capitalised given
# names; bare CJK names need a second name or the label, or any short sentence would match.
_NAME_LATIN = r"[A-Z][A-Z'’-]+(?:\s+[A-Z][a-z]+(?:-[A-Za-z][a-z]*)?)+"
_NAME_CJK = rf"[{CJK}]{{2,4}}"
_NAME_SEP = r"\s*[,，、;；&]\s*|\s+and\s+"
_LABEL = rf"(?:[A-Za-z][A-Za-z ]{{0,30}}|[{CJK}]{{1,8}})\s*[:：]\s*"
_AUTHORS = re.compile(rf"(?:{_LABEL})?{_NAME_LATIN}(?:(?:{_NAME_SEP}){_NAME_LATIN})*"
                      rf"|{_LABEL}{_NAME_CJK}(?:(?:{_NAME_SEP}){_NAME_CJK})*"
                      rf"|{_NAME_CJK}(?:(?:{_NAME_SEP}){_NAME_CJK})+")
_AUTHORS_REACH = 160  # an author list longer than this is no opening of a reference line


# A paper's author line ("ZHANG Xiaheng1*, MA Yan2"; "张夏恒, 马妍"): names only, with footnote marks.
_EN_AUTHOR = r"(?:[A-Z]{2,}|[A-Z][a-z]+)(?:[ -][A-Z][a-z]+){1,2}|[A-Z][a-z]+(?:\s[A-Z]\.)*\s(?:[A-Z]{2,}|[A-Z][a-z]+)"
_MARKS = r"[\d*†‡§'\"’”?,]*"
_AUTHOR_LINE = re.compile(rf"\s*(?:{_EN_AUTHOR}){_MARKS}(?:\s*(?:,|;|and|&)\s*(?:{_EN_AUTHOR}){_MARKS}){{0,7}}\s*$"
                          rf"|\s*[{CJK}]{{2,4}}[\d*]*(?:\s*[,，、]\s*[{CJK}]{{2,4}}[\d*]*){{1,7}}\s*$")
# An affiliation line: "(1. School of Management, Northwest University ..., Xi'an 710122, China;"
_AFFILIATION_LINE = re.compile(r"\s*[(（]?\s*\d\s*[.、)）]\s*\S.*(?:University|Institute|Academy|School|College|Hospital|"
                               r"Laboratory|Centre|Center|Department|大学|学院|研究院|研究所|医院|中心)")
_ORDINARY_ENDING = re.compile(r"(?:tion|sion|ment|ness|ity|ing|ive|ous|ics|ism|ence|ance|ful|less|able|ible|ed|ers|ies)$")
AUTHOR_LINE_CHARS = 200


def is_author_line(line: str) -> bool:
    """A line that only names a paper's authors: two names or more (or one with a footnote
    mark), in Chinese with surnames first, in English with no word that reads as an ordinary
    word (Development, Forces, Abstract)."""
    line = line.strip()
    if len(line) > AUTHOR_LINE_CHARS or _AUTHOR_LINE.match(line) is None:
        return False
    from .claims import zh_person_name
    from .lexical import EN_STOP

    if has_cjk(line):
        return all(zh_person_name(re.sub(r"[\d*]", "", n).strip()) for n in re.split(r"[,，、]", line) if n.strip())
    names = [n for n in re.split(r"\s*(?:,|;|\band\b|&)\s*", re.sub(r"[\d*†‡§'\"’”?]", "", line)) if n.strip()]
    marked = re.search(r"[A-Za-z][\d*†‡§]", line) is not None
    words = re.findall(r"[A-Za-z]+", " ".join(names))
    return (len(names) >= 2 or marked) and not any(
        w.lower() in EN_STOP or len(w) > 12 or _ORDINARY_ENDING.search(w.lower()) for w in words)


def is_affiliation_line(line: str) -> bool:
    line = line.strip()
    return len(line) <= AUTHOR_LINE_CHARS and _AFFILIATION_LINE.match(line) is not None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in text[start:end], trimmed of whitespace.

    Sentences end at English `.!?` (followed by whitespace and a likely sentence start: not
    after an abbreviation, an initial, a list number, or the author list opening a reference
    line), at Chinese `。！？；`, at a blank line, before an indented or bulleted line, and around
    a paper's author line.
    """
    end = len(text) if end is None else end
    cuts = set()
    segment = text[start:end]
    for m in _EN_END.finditer(segment):
        if not _ABBREV.search(segment[max(0, m.start() - 8) : m.end()]) and not _ends_authors(segment, m.start()):
            cuts.add(start + m.end())
    for m in _ZH_END.finditer(segment):
        cuts.add(start + m.end())
    # A blank line or an indented new line ends a sentence (headings, citation blocks, lists).
    for m in _LINE_END.finditer(segment):
        cuts.add(start + m.start())
    # A paper's author line is a sentence of its own, between its title and its affiliations.
    pos = start
    for line in segment.split("\n"):
        if is_author_line(line):
            cuts.update((pos, pos + len(line)))
        pos += len(line) + 1
    bounds = sorted(c for c in cuts if start < c < end) + [end]
    out = []
    prev = start
    for b in bounds:
        s, e = trim(text, prev, b)
        if e > s:
            out.append((s, e))
        prev = b
    return out


def _ends_authors(segment: str, stop: int) -> bool:
    """True when the full stop at `stop` closes the author list that opens its line."""
    line = segment.rfind("\n", max(0, stop - _AUTHORS_REACH), stop) + 1
    if line == 0 and stop > _AUTHORS_REACH:
        return False
    return _AUTHORS.fullmatch(segment[line:stop].strip()) is not None


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """(s, e) moved inwards past whitespace at both ends of text[s:e]."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


# ---------------------------------------------------------------------------- bibliographic lines
# A reference or a paper's metadata line: "DOI: 10.12120/...", "Citation: ZHANG Xiaheng, MA Yan.",
# "JOURNAL OF ..., 2024, 24(4): 118-130.", "...Local Conditions[J].", "引用本文: ...".
_BIBLIOGRAPHIC = re.compile(
    r"\bdoi\s*[:：]|\b10\.\d{4,9}/\S|\[[A-Z]{1,2}\]|\b\d+\s*\(\d+\)\s*[:：]\s*\d+\s*[-–]\s*\d+"
    r"|^\W*(?:citation|cite this(?: article)?|how to cite|references?|issn|引用本文|引用格式|参考文献|收稿日期|基金项目)\s*[:：]",
    re.I)


def is_bibliographic(text: str) -> bool:
    """True for a reference entry or a paper's metadata line (DOI, citation, journal and pages):
    it says where a paper appeared and who wrote it, and answers nothing else."""
    return _BIBLIOGRAPHIC.search(text) is not None


# ---------------------------------------------------------------------------- normalising
def normalise(text: str) -> str:
    """NFKC, collapsed whitespace, lower case: what "whitespace/case normalised" means here."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().lower()


# Characters written without a space beside Chinese text: ideographs, CJK punctuation (。，、「」)
# and full-width forms (：（）).
_WIDE = re.compile(f"[{CJK}\u3000-\u303f\uff00-\uffef]")
_CLOSERS = " \t\n\"'”’)]）】"
_OPENERS = " \t\n\"'“‘([（【"
_TRAILING_MARKS = re.compile(r"(?:\s*\[\d+\])+\s*$")


def _wide_end(text: str) -> bool:
    text = _TRAILING_MARKS.sub("", text).rstrip(_CLOSERS)
    return bool(text) and _WIDE.match(text[-1]) is not None


def _wide_start(text: str) -> bool:
    text = text.lstrip(_OPENERS)
    return bool(text) and _WIDE.match(text[0]) is not None


def with_marks(sentence: str, marks: str) -> str:
    """A sentence and its citation markers: "…一致。[1]" after Chinese, "… agree. [1]" after Latin text."""
    if not marks:
        return sentence
    return f"{sentence}{marks}" if _wide_end(sentence) else f"{sentence} {marks}"


def join_sentences(pieces: list[str]) -> str:
    """Sentences (markers attached) as one text: no space between two Chinese sentences, one
    space wherever Latin text meets the join, so an English quote in a Chinese answer is not
    glued to the next ("personnel. [1] 摘要", not "personnel.[1]摘要")."""
    out = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if out and not (_wide_end(out) and _wide_start(piece)):
            out += " "
        out += piece
    return out


def one_line(text: str) -> str:
    """The text on one line: Chinese text joined without spaces at its line breaks, other text
    (Latin words of four letters or more present) with single spaces."""
    if has_cjk(text) and not re.search(r"[A-Za-z]{4}", text):
        return re.sub(r"\s*\n\s*", "", text)
    return " ".join(text.split())


def nth(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
