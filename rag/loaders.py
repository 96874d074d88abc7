"""Load source files into `Document`s: decode, extract text, mark content, read metadata.

Boilerplate is never cut out of `Document.text`, only left outside `Document.spans`, so every
offset into a span is a verbatim position in the text."""
from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import unicodedata
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from pathlib import Path

import charset_normalizer
import pypdf
from bs4 import BeautifulSoup

from .errors import InputError
from .text import CJK_CHAR, cjk_count, detect_lang
from .types import Document

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}
_HTML_SUFFIXES = {".html", ".htm"}
_SNIFF_BYTES = 64 * 1024
# UTF-32 LE's BOM begins with UTF-16 LE's, so it must be tried first.
_BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16")]
# Detectors name the narrow Chinese charset a small sample fits; the superset decodes the rest too.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030"}
# Bytes that never occur in text files except as tab, newline, form feed and carriage return.
_CONTROL = set(range(32)) - {9, 10, 12, 13} | {127}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_MAX_CONTROL_RATIO = 0.05
_ODD_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})

_DROP_TAGS = "script style nav header footer aside form noscript template head svg iframe".split()
_BLOCK_TAGS = ("address article blockquote body caption dd div dl dt figcaption figure h1 h2 h3 "
               "h4 h5 h6 hr li main ol p pre section table tr ul").split()
# Private-use characters do not occur in ordinary page text, so they can mark breaks in it.
_BLOCK_BREAK, _LINE_BREAK = "\ue000", "\ue001"

_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CLOSERS = "\"'”’)]"  # may follow the full stop that ends a sentence

# Short lines made only of site-UI words (login boxes, menus, share bars, widget captions, and
# the "undefined"/"null" a failed script leaves in scraped text). Only short lines qualify, so
# a sentence that merely mentions searching or printing is never touched.
_UI = re.compile(
    r"\b(?:sign[\s-]?(?:in|up|out)|log[\s-]?(?:in|on|out)|forgot(?:ten)?\s+(?:your\s+)?password"
    r"|register|subscribe|search|menu|nav(?:igation)?|home|share|print|cookies?|more"
    r"|related\s+(?:news|downloads?|articles?|stories|links|posts)|back\s+to\s+top"
    r"|skip\s+to\s+(?:main\s+)?content|undefined|null|nan|previous|next)\b"
    r"|登录|注册|首页|搜索|分享|打印|返回顶部|相关(?:新闻|下载|文章)|更多")
# Words that may sit beside UI words ("Free sign-up", "Sign in to view more") without making
# the line content; a heading such as "Home economics" keeps a real word and stays.
_UI_FILLER = {"free", "to", "or", "and", "your", "the", "with", "for", "us", "our", "here",
              "now", "a", "in", "on", "up", "all", "me", "my", "account", "page", "view", "read"}
_LEGAL = ("©", "copyright", "all rights reserved", "版权所有")
# Menus and breadcrumbs: short items joined by separators ("Home > News > Business"). A line
# that opens with "|" is a Markdown table row instead.
_SEPARATOR = re.compile(r"\s[>»›|]\s")
# Bibliographic reference lines (GB/T 7714 type codes such as [J], or a DOI) cite a work; they
# are not its title, even when a page starts with them.
_CITATION = re.compile(r"\[[A-Z]{1,2}\]|\bdoi\s*[:：]", re.I)

_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})(?!\d)")
_NAMED_DATE = re.compile(r"\b(" + "|".join(_MONTHS + [m[:3] for m in _MONTHS] + ["sept"]) +
                         r")\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.I)
_DATE_SUFFIX = re.compile(r"\s+[-–—|]\s+\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")
_BYLINE = [re.compile(p, re.M) for p in (
    r"^[ \t]*By[ \t]+([A-Z].{0,80})$", r"^[ \t]*(?i:authors?)[ \t]*[:：][ \t]*(.+)$",
    r"\bThe author is[ \t]+(.+)$", r"作者[ \t]*[:：][ \t]*(.+)$")]
_EDITOR = re.compile(r"^[ \t]*(?i:editors?)[ \t]*[:：][ \t]*(.+)$", re.M)
_METADATA_WINDOW = 4000  # bylines and datelines sit at the top or the bottom of a page
# The opening paragraphs tell the script as well as the whole text, and cost nothing on huge files.
_LANG_SPANS, _LANG_SPAN_CHARS = 50, 10_000
# A document is "mixed" when each script carries at least a fifth of it (a bilingual paper).
_MIXED_SHARE = 0.2

# Line kinds. A label is a short line that is not a sentence: heading, caption, menu item.
_BLANK, _PROSE, _LABEL, _CHROME = 0, 1, 2, 3


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield each supported file named or found once (recursively, sorted, hidden ones skipped)."""
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or directory; check the path")
        for found in _walk(path) if path.is_dir() else [_check_suffix(path)]:
            key = found.resolve()
            if key not in seen:
                seen.add(key)
                yield found


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                yield Path(root) / name


def load_document(path: str | Path, max_bytes: int | None = None) -> Document:
    """Read one file; raise InputError with a one-line reason when it cannot be ingested."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file; name the files or ingest the folder")
    _check_suffix(path)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{path}: is {size:,} bytes, over the {max_bytes:,}-byte limit; "
                             "split it or raise the limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from exc
    if not raw:
        raise InputError(f"{path}: is empty; add text to it or leave it out")

    title, author, encoding = None, None, "utf-8"
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        text, title, author = _read_pdf(raw, path)
    else:
        text, encoding = _decode(raw, path)
        if suffix in _HTML_SUFFIXES:
            text, title = _read_html(text)
    if not text or text.isspace():
        raise InputError(f"{path}: is empty (no visible text); add text to it or leave it out")

    kinds, starts, ends = _classify_lines(text)
    spans = _spans(kinds, starts, ends)
    if not spans:
        raise InputError(f"{path}: holds only navigation or boilerplate text; nothing to ingest")
    head, tail = text[:_METADATA_WINDOW], text[-_METADATA_WINDOW:]
    title = _clean_title(title or _first_title(text, kinds, starts, ends) or path.name)
    sample = "\n".join(text[s:min(e, s + _LANG_SPAN_CHARS)] for s, e in spans[:_LANG_SPANS])
    return Document(source=Path(os.path.abspath(path)).as_posix(), text=text, spans=spans,
                    title=title, lang=detect_lang(sample, mixed=_MIXED_SHARE),
                    content_hash=hashlib.sha256(raw).hexdigest(),
                    author=_find_author(head, tail) or author, date=_find_date(head),
                    encoding=encoding)


def _check_suffix(path: Path) -> Path:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise InputError(f"{path}: unsupported file type '{path.suffix or '(none)'}'; "
                         f"convert it to one of {supported}")
    return path


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    text, encoding = _decode_bytes(raw, path)
    if _garbled(text):
        raise InputError(f"{path}: looks like a binary file, not text (it decodes as {encoding} to "
                         "unassigned and private-use characters); convert it to text or give it its real extension")
    return text, encoding


def _garbled(text: str) -> bool:
    """Random bytes that some encoding accepts (a UTF-16 byte-order mark by chance, a
    single-byte code page) decode to characters no text is made of: unassigned, private-use,
    surrogate and control characters, which real text in any script has next to none of."""
    sample = text[:_SNIFF_BYTES]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in _ODD_CATEGORIES and ch not in "\t\n\r\f\v")
    return odd > _MAX_CONTROL_RATIO * max(len(sample), 1)


def _decode_bytes(raw: bytes, path: Path) -> tuple[str, str]:
    undecodable = InputError(f"{path}: cannot be decoded (unknown text encoding); save it as UTF-8")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError:
                raise undecodable from None
    head = raw[:_SNIFF_BYTES]
    if b"\0" in head or len(head.translate(None, _NOT_CONTROL)) > _MAX_CONTROL_RATIO * len(head):
        raise InputError(f"{path}: looks like a binary file, not text; convert it to text or "
                         "give it its real extension")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None:
        raise undecodable
    encoding = _SUPERSETS.get(best.encoding, best.encoding)
    # Equally plausible single-byte guesses are a coin toss; Windows-1252 is the commonest.
    if any(m.encoding == "cp1252" and (m.chaos, m.coherence) == (best.chaos, best.coherence)
           for m in matches):
        encoding = "cp1252"
    try:
        return raw.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise undecodable from None


def _read_html(markup: str) -> tuple[str, str | None]:
    soup = BeautifulSoup(markup, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_DROP_TAGS):
        tag.extract()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(_BLOCK_BREAK)
        tag.insert_after(_BLOCK_BREAK)
    for tag in soup.find_all(["td", "th"]):
        tag.append(" ")  # adjacent cells would otherwise run their words together
    for tag in soup.find_all("br"):
        tag.replace_with(_LINE_BREAK)
    blocks = []
    for block in soup.get_text().split(_BLOCK_BREAK):
        lines = [" ".join(line.split()) for line in block.split(_LINE_BREAK)]
        blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(block for block in blocks if block), title or None


def _read_pdf(raw: bytes, path: Path) -> tuple[str, str | None, str | None]:
    encrypted = InputError(f"{path}: is encrypted; decrypt it first (e.g. qpdf --decrypt)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        # Owner-only encryption has an empty user password: such files open without asking.
        if reader.is_encrypted and not reader.decrypt(""):
            raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except InputError:
        raise
    except pypdf.errors.DependencyError:  # AES needs an optional crypto library to even try
        raise encrypted from None
    except Exception as exc:  # pypdf signals malformed files with many unrelated exception types
        why = (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        raise InputError(f"{path}: is not a readable PDF ({why}); repair or re-export it") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(f"{path}: has no extractable text (scanned? OCR it first, e.g. ocrmypdf)")
    title, author = (meta.title, meta.author) if meta else (None, None)
    return text, (title or "").strip() or None, (author or "").strip() or None


def _size(line: str) -> int:
    """Words in a line, counting two Han characters as one (Chinese has no spaces)."""
    words = len(line.split())
    return words if line.isascii() else words + cjk_count(line) // 2


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "。", "！", "？")


def _is_chrome(line: str, size: int) -> bool:
    if size > 25:  # every rule below is about short lines; long ones are prose
        return False
    lowered = line.lower()
    if size <= 8 and _UI.search(lowered):
        if set(_LETTER_RUN.findall(_UI.sub(" ", lowered))) <= _UI_FILLER:
            return True
    if any(mark in lowered for mark in _LEGAL):
        return True
    # Teasers cut off by a widget ("Q: Is there a place where I can get..."), and menus.
    if size <= 12 and (line.rstrip("»›> ").endswith(("...", "…"))
                       or len(_SEPARATOR.findall(line)) >= 2 and line[0] != "|"):
        return True
    if size > 8 or _ends_sentence(line):
        return False
    # Status tables and ID lists ("04-16 21315227 Processing") are mostly numbers, no sentence.
    words = line.split()
    return sum(any(c.isdigit() for c in w) for w in words) * 2 > len(words)


def _classify_lines(text: str) -> tuple[bytearray, array, array]:
    """Give each line a kind and its bounds without surrounding whitespace.

    Compact arrays keep a file of millions of lines at a few bytes of bookkeeping per line.
    """
    kinds, starts, ends = bytearray(), array("q"), array("q")
    pos, length = 0, len(text)
    while pos <= length:
        newline = text.find("\n", pos)
        stop = length if newline < 0 else newline
        line = text[pos:stop]
        stripped = line.strip()
        start = pos + len(line) - len(line.lstrip())
        starts.append(start)
        ends.append(start + len(stripped))
        if not stripped:
            kinds.append(_BLANK)
        else:
            size = _size(stripped)
            kinds.append(_CHROME if _is_chrome(stripped, size) else
                         _LABEL if size <= 8 and not _ends_sentence(stripped) else _PROSE)
        pos = stop + 1

    # A widget caption ("Application Status") is a standalone label followed only by chrome up
    # to the next sentence; walking backwards settles a run of them in one pass. The title (first
    # content line) and lines wrapping it stay, whatever share bar follows them.
    title = min((i for i in (kinds.find(_PROSE), kinds.find(_LABEL)) if i >= 0), default=-1)
    only_chrome_after = False
    for i in reversed(range(len(kinds))):
        if kinds[i] == _CHROME:
            only_chrome_after = True
        elif (kinds[i] == _LABEL and only_chrome_after and i != title
              and kinds[i - 1] in (_BLANK, _CHROME)):
            kinds[i] = _CHROME
        elif kinds[i] != _BLANK:
            only_chrome_after = False

    # Page footers ("Editor: ...", "Source: ...", leftover widget items) are labels after the
    # last sentence; a page without sentences (a list, an outline) has no such footer. A line
    # that starts in lowercase continues the text above it, and one that starts with a mark or
    # digit is a list item or table row, so it and what precedes it stay.
    after_last_sentence = range(kinds.rfind(_PROSE) + 1 if _PROSE in kinds else len(kinds),
                                len(kinds))
    for i in reversed(after_last_sentence):
        if kinds[i] == _LABEL:
            if not text[starts[i]].isalpha() or text[starts[i]].islower():
                break
            kinds[i] = _CHROME
    return kinds, starts, ends


def _spans(kinds: bytearray, starts: array, ends: array) -> list[tuple[int, int]]:
    """Runs of consecutive content lines; a blank or chrome line ends a run."""
    spans = []
    for is_content, run in groupby(range(len(kinds)), lambda i: kinds[i] in (_PROSE, _LABEL)):
        if is_content:
            first = next(run)
            last = (deque(run, maxlen=1) or [first])[-1]
            spans.append((starts[first], ends[last]))
    return spans


def _first_title(text: str, kinds: bytearray, starts: array, ends: array) -> str | None:
    """The first content line that is not a citation, joined with the lines that wrap it."""
    for i in (i for i, kind in enumerate(kinds) if kind in (_PROSE, _LABEL)):
        title = text[starts[i]:ends[i]]
        if _CITATION.search(title):
            continue
        nxt = i + 1
        while nxt < len(kinds) and kinds[nxt] in (_PROSE, _LABEL) and not _ends_sentence(title):
            more = text[starts[nxt]:ends[nxt]]
            if len(title) + len(more) >= 200 or not (more[0].islower() or _is_title_case(more)):
                break
            title = f"{title} {more}"
            nxt += 1
        return title
    return None


def _is_title_case(line: str) -> bool:
    """Most longer words capitalised, as in a wrapped headline, and no sentence end."""
    words = [w for w in _LATIN_WORD.findall(line) if len(w) >= 4]
    capitals = sum(w[0].isupper() for w in words)
    return bool(words) and capitals >= 0.6 * len(words) and not _ends_sentence(line)


def _clean_title(title: str) -> str:
    title = _DATE_SUFFIX.sub("", " ".join(title.split()))  # the date goes to `date` instead
    return title if len(title) <= 200 else title[:200].rsplit(" ", 1)[0]


def _find_date(head: str) -> str | None:
    for match in _ISO_DATE.finditer(head):
        year, month, day = (int(g) for g in match.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    match = _NAMED_DATE.search(head)
    if match:
        month = [m[:3] for m in _MONTHS].index(match.group(1).lower()[:3]) + 1
        return f"{int(match.group(3)):04d}-{month:02d}-{int(match.group(2)):02d}"
    return None


def _find_author(head: str, tail: str) -> str | None:
    for pattern in (*_BYLINE, _EDITOR):  # an editor is named only when no author is
        for match in chain(pattern.finditer(head), pattern.finditer(tail)):
            if name := _clean_name(match.group(1)):
                return name
    return None


def _clean_name(raw: str) -> str | None:
    """The name at the start of a byline: capitalised words up to a comma or the next label."""
    words = []
    for word in re.split(r"[,;，；|(（]", raw, maxsplit=1)[0].split():
        if word.endswith((":", "：")) or not (word[0].isupper() or CJK_CHAR.match(word)):
            break
        words.append(word)
    return " ".join(words[:5]) or None
