"""What a sentence claims, in pieces a verifier can compare with a source sentence.

English and Chinese alike: content words (stemmed English, jieba Chinese), numbers (digits,
Chinese numerals with 万/亿, English number words, months, dates, percentages), ordinals
(first/second/14th/第一/首/二十届/三中全会), polarity (negation words, not 非常/无论/不断),
named entities (capitalised words and codes in English, jieba's person/place/organisation
tags in Chinese), absolutist or causal overstatement markers ("only", "proves", 一定, 根本原因),
and for cross-lingual comparison, CC-CEDICT glosses and pinyin of Chinese text.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .lexical import EN_STOP, ZH_STOP, jieba_segmenter, stemmer, tokenize
from .text import CJK, CJK_CHAR, detect_lang, has_cjk

_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
_ZH_NUM = "零〇一二两三四五六七八九十百千万亿"
_EN_NUM = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
           "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
           "hundred": 100, "thousand": 1000, "zero": 0, "twice": 2, "double": 2, "triple": 3, "half": 0.5}
_EN_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
           "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
           "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
           "twentieth": 20, "last": -1, "final": -1}
_MONTHS = {m: i for i, m in enumerate("january february march april may june july august september october "
                                      "november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS.pop("may", None)  # "may" is mostly the verb; "May 5" is caught below
_MONTHS.pop("mar", None)

# Negation. Chinese words are matched as whole jieba words, so 非常 (very), 无论 (whatever),
# 不断 (continuously), 不仅 (not only), 必不可少 (essential) are not negations.
_NEG_EN = re.compile(r"\bno\b(?!\.?\s*\d|\.\s*[A-Za-z0-9])|\b(?:not|never|none|neither|nor|cannot|without|nothing|nobody|nowhere|lack|lacks|lacked|"
                     r"fail|fails|failed|absent)\b|n't\b|\bnon-(?=[a-z]{3})", re.I)  # non-enveloped: without envelope
_NEG_ZH_WORDS = frozenset("不 没 没有 无 未 非 别 勿 并非 不是 并不 不能 不会 无法 未能 从未 绝不 尚未 不再 毫无 "
                          "不得 不要 不必 无须 未曾 没能 不可 并未 决不 不应 不该 不宜 从没 从不 从没有 从来不 从来没 绝非 永不 并没有 未尝 "
                          # jieba keeps these whole: 仍未有电视机 is 仍/未有/电视机
                          "未有 从未有过 尚无 绝无 决无 毫不 不曾 无从 未经 没法 不足以 "
                          # 还谈不上迫切 is 还/谈不上/迫切: "cannot be called", a denial
                          "谈不上 谈不到 算不上 称不上 说不上 不见得 并非如此".split())
# Overstatement: absolute, exclusive or proof-like wording a source must share to be cited for it.
_OVER_EN = re.compile(r"\b(?:only|alone|solely|sole|entirely|exclusively|always|every|everyone|everything|"
                      r"inevitabl[ey]|inevitability|necessarily|guarantee[sd]?|guaranteeing|certainly|definitely|"
                      r"proves?|proved|proven|proof|decisive|root cause|main cause|sole cause|as soon as|"
                      r"all by itself|enough|sufficient|solved?|eliminat\w+|completely|any(?:one|thing)|"
                      r"whatsoever|must|will inevitably|uniform)\b", re.I)
_OVER_ZH = ("只", "仅", "唯一", "一定", "必然", "必定", "证明", "根本原因", "所有", "一切", "完全", "全部", "总是",
            "永远", "决定性", "保证", "确保", "彻底", "统一", "只要", "只需", "就能", "足以", "注定", "任何", "都将",
            "主要原因", "导致", "迅速")
_ENTITY_STOP = frozenset("""the a an this that these those it its in on at of for to by from with and or but as
    according because although while when after before during over under if since thus therefore however also
    however moreover additionally furthermore among between both each every all some many most more such
    he she they we our their his her i you one two three""".split())
_HEADINGS = frozenset("""abstract background introduction method methods methodology result results conclusion
conclusions discussion objective objectives aim aims purpose findings interpretation design setting settings
participants measurements funding keywords references summary context importance significance""".split())
_MONTH_WORDS = frozenset(list(_MONTHS) + ["may", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_ERAS = frozenset(("AD", "BC", "BCE", "CE", "A.D", "B.C", "A.D.", "B.C."))
_ZH_NE_TAGS = ("nr", "ns", "nt", "nrt", "nrfg")
# jieba tags unknown words as person names (nr) freely (尤为重要, 鲜明特征); a person name is
# kept only when it starts with a common surname and is two or three characters long.
_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
                "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
                "孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
                "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车"
                "项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛"
                "仲虞敖巩明佘池查麻苑迟邝习")
_ZH_LEADING = frozenset("和与及或于在从向把被的")  # characters jieba may take into a name from the word before
_ZH_TRAILING = frozenset("为乃是在于和与及对向把被将")  # characters jieba may take into a name from the word after
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "司徒", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文")


def zh_person_name(word: str) -> bool:
    if word[:2] in _COMPOUND_SURNAMES:
        return 3 <= len(word) <= 4
    return 2 <= len(word) <= 3 and word[0] in _SURNAMES


def _zh_entity(word: str, flag: str) -> bool:
    if flag in ("nr", "nrfg"):
        # A surname's name, or one the dictionary glosses only as a name (利雅得 "Riyadh", 吉达 "Jeddah").
        return (zh_person_name(word) and not _common_word(word)) or _dictionary_name(word)
    # jieba's dictionary tags some common words as places (新鲜 "fresh" is ns): those CC-CEDICT
    # has only as common words are no names either.
    return flag in _ZH_NE_TAGS and not common_only(word)


def _common_word(word: str) -> bool:
    """A word jieba took for a person's name that the dictionary glosses in lower case only
    (鲁莽 "rash", 马上 "at once"): a common word that starts with a surname. Names are glossed
    with a capital, or not at all."""
    from .bilingual import dictionaries

    glosses = dictionaries()[0].get(word)
    return bool(glosses) and not any(g[:1].isupper() for g in glosses)


def _dictionary_name(word: str) -> bool:
    """A word the dictionary glosses with capitals only (a proper noun: 爱尔兰 "Ireland")."""
    from .bilingual import dictionaries

    glosses = dictionaries()[0].get(word)
    return bool(glosses) and all(g[:1].isupper() for g in glosses)


@dataclass
class Claim:
    text: str
    lang: str  # "zh" when Chinese characters carry the text
    tokens: list[str]  # content tokens (lexical.tokenize)
    numbers: set[float] = field(default_factory=set)
    ordinals: set[float] = field(default_factory=set)
    negated: bool = False
    entities: list[str] = field(default_factory=list)
    over: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------- numbers
def zh_numeral(s: str) -> float | None:
    """一百二十三 -> 123, 十九 -> 19, 十余万 -> 100000, 五万 -> 50000, 两 -> 2."""
    s = s.replace("余", "").replace("多", "")
    if not s:
        return None
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _ZH_DIGIT:
            digit = _ZH_DIGIT[ch]
        elif ch in _ZH_UNIT:
            section += (digit if digit is not None else 1) * _ZH_UNIT[ch]
            digit = None
        elif ch in _ZH_BIG:
            section += digit or 0
            total += (section or 1) * _ZH_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


_DIGITS = re.compile(r"(?<![A-Za-z])(\d+(?:,\d{3})*(?:\.\d+)?)\s*(%|percent|per cent|万|亿|thousand|million|billion|"
                     r"trillion)?(?!\d)", re.I)
_SCALE = {"万": 10_000, "亿": 100_000_000, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
_EN_UNITS = {"one": 1, **{k: v for k, v in _EN_NUM.items() if isinstance(v, int) and 2 <= v <= 19}}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_SMALL = r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|" \
            r"eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|" \
            r"sixteen|seventeen|eighteen|nineteen)"
_EN_COMPOUND = re.compile(rf"\b{_EN_SMALL}[\s-]+hundred(?:[\s-]+(?:and[\s-]+)?{_EN_SMALL})?\b|"
                          r"\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|"
                          r"seven|eight|nine)\b")


def _en_compound(words: str) -> int | None:
    """"two hundred forty-eight" -> 248, "twenty-five" -> 25."""
    total = current = 0
    for w in re.split(r"[\s-]+", words):
        if w == "and":
            continue
        if w in _EN_UNITS:
            current += _EN_UNITS[w]
        elif w in _EN_TENS:
            current += _EN_TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        else:
            return None
    return total + current


_SHARED_SCALE = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)\s*(?:至|到|-|–|~|～|—|to)\s*\d+(?:\.\d+)?\s*(万|亿|thousand|million|"
                           r"billion|trillion)", re.I)
_ZH_NUM_RUN = re.compile(rf"[{_ZH_NUM}余多]+")
_FIVE_YEAR = re.compile(r"十[一二三四五六七八九]五")  # 十一五 … 十九五: a five-year plan's name
_ZH_COUNTED = frozenset("个次年人名家项条倍种位岁天周批部所座届")  # what 两 counts when it is a figure
_ZH_ORD = re.compile(rf"第([{_ZH_NUM}\d]+)|([{_ZH_NUM}\d]+)(?=届|中全会|次会议|次全会|次全体会议)|首(?=[批位次个届任家座部艘例所只度间])")
_EN_ORD_RE = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b|\b(" + "|".join(_EN_ORD) + r")\b", re.I)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
# H120, PIV3, SC021202, 5-HT, 2019-nCoV: no number. A lower-case word after a hyphen is the figure's
# unit, and the figure counts: a 6-year-old, a 3-day course, a 1.5-fold rise.
_CODE = re.compile(r"(?<![A-Za-z0-9.])(?:[A-Za-z]*\d+[A-Za-z][A-Za-z0-9_/-]*|[A-Za-z]+-?\d[A-Za-z0-9_/-]*(?:\.\d+)*|\d+-(?=[a-z]*[A-Z0-9])[A-Za-z][A-Za-z0-9_-]*)")


# Proportions in words ("more than half", "two-thirds", 三分之二) restate a figure in round terms;
# they are not figures a source must repeat. (Multiples, "twice as likely", stay figures.)
_ROUND_EN = re.compile(r"\b(?:(?:a|one|two|three|four|five)[- ](?:halves|thirds?|quarters?|fifths?|tenths?)|half)\b", re.I)
_ROUND_ZH = re.compile(r"[一二两三四五六七八九十]+分之[一二三四五六七八九十]+|一半|半数")
_DECIMAL_DOT = re.compile(r"(?<=\d)[·・](?=\d)")  # 48·0% (The Lancet's decimal point)


# A paper's reference marks ("ranged from 11 to 15% [1, 9] .", "[13]", "[4-6]") are no figures.
_REFERENCE_MARK = re.compile(r"\[\s*\d{1,3}(?:\s*[,，、–-]\s*\d{1,3})*\s*\]")


def numbers_ordinals(text: str) -> tuple[set[float], set[float]]:
    nums: set[float] = set()
    ords: set[float] = set()
    text = _ROUND_ZH.sub(" ", _ROUND_EN.sub(" ", _DECIMAL_DOT.sub(".", _REFERENCE_MARK.sub(" ", text))))
    for m in re.finditer(r"\b(\d+)(?:st|nd|rd|th)\b", text):
        ords.add(float(m.group(1)))
    t = re.sub(r"\b\d+(?:st|nd|rd|th)\b", " ", text)
    t = _CODE.sub(" ", t)
    for m in _ISO_DATE.finditer(t):
        nums.update({float(m.group(1)), float(m.group(2)), float(m.group(3))})
    t = _ISO_DATE.sub(" ", t)
    for m in _EN_ORD_RE.finditer(t):
        ords.add(float(m.group(1)) if m.group(1) else float(_EN_ORD[m.group(2).lower()]))
    t_no_ord = _EN_ORD_RE.sub(" ", t)
    for m in re.finditer(r"\b(?:at first|first of all|first\s*(?=[,.;:]|$|and\b|then\b))", t, re.I):
        if not re.search(r"\bfirst\b", t[: m.start()] + t[m.end():], re.I):
            ords.discard(1.0)
    for m in _DIGITS.finditer(t_no_ord):
        v = float(m.group(1).replace(",", ""))
        v *= _SCALE.get((m.group(2) or "").lower(), 1)  # 400万 = 4 million = 4,000,000
        nums.add(round(v, 6))
    for m in _SHARED_SCALE.finditer(t_no_ord):  # 15至20万吨, 2 to 3 million: the first figure is 15万 too
        nums.add(round(float(m.group(1).replace(",", "")) * _SCALE[m.group(2).lower()], 6))
    low = t_no_ord.lower()
    for m in _EN_COMPOUND.finditer(low):  # "two hundred forty-eight", "twenty-five": one figure
        v = _en_compound(m.group(0))
        if v is not None:
            nums.add(float(v))
    low = _EN_COMPOUND.sub(" ", low)
    for w in re.findall(r"[a-z]+", low):
        if w in _EN_NUM:
            nums.add(float(_EN_NUM[w]))
        elif w in _MONTHS:
            nums.add(float(_MONTHS[w]))
    for m in re.finditer(r"\bmay\s+\d{1,2}\b|\b\d{1,2}\s+may\b", low):
        nums.add(5.0)
    # Chinese ordinals, then cardinals in what is left.
    zt = t
    for m in _ZH_ORD.finditer(zt):
        raw = m.group(1) or m.group(2)
        if raw is None:
            ords.add(1.0)  # 首批, 首位
            continue
        v = float(raw) if raw.isdigit() else zh_numeral(raw)
        if v is not None:
            ords.add(float(v))
    zt = _ZH_ORD.sub(" ", zt)
    for m in _ZH_NUM_RUN.finditer(zt):
        run = m.group(0)
        start, end = m.start(), m.end()
        nxt = zt[end : end + 1]
        prev = zt[start - 1 : start]
        if _FIVE_YEAR.fullmatch(run):  # “十四五”: the 14th Five-Year Plan, not 145 or 15
            ords.add(float(10 + _ZH_DIGIT[run[1]]))
            nums.add(5.0)
            continue
        if run == "两" and nxt and nxt in _ZH_COUNTED:
            nums.add(2.0)  # 两次, 两个: two; 两岸, 两会 are names
            continue
        if run in ("一", "两", "余", "多", "零", "〇") or (len(run) == 1 and run in "一万亿千百十余多"):
            continue  # 一项, 一种: the article, not a count; 零部件, 零售: no zero
        if run.startswith("一") and len(run) == 1:
            continue
        # Idioms and words that merely contain numerals (统一, 一定, 三农, 万物) are not counts.
        if re.search(r"(.)\1", run):
            continue  # 千千万万, 三三两两: idioms, no count
        counted = len(run) >= 2 and any(u in run for u in "百千万亿") and len(set(run)) == len(run)  # 一百万册
        if not counted and nxt and CJK_CHAR.match(nxt) and nxt not in "个年月日号人名家项次届条倍岁种节批位部所座天周万亿千百十点分成死伤" \
                and prev and CJK_CHAR.match(prev) and prev not in "的了有约近共达至和与及、，到为是第超逾":
            continue
        v = zh_numeral(run)
        if v is not None and v != 1:
            nums.add(float(v))
    return nums, ords


# ---------------------------------------------------------------------------- polarity, overstatement
def negated(text: str) -> bool:
    if _NEG_EN.search(text):
        return True
    if has_cjk(text):
        return any(w in _NEG_ZH_WORDS for w in jieba_segmenter().lcut(text))
    return False


def negation_count(text: str) -> int:
    n = len(_NEG_EN.findall(text))
    if has_cjk(text):
        n += sum(1 for w in jieba_segmenter().lcut(text) if w in _NEG_ZH_WORDS)
    return n


def overstatements(text: str) -> set[str]:
    out = {m.group(0).lower() for m in _OVER_EN.finditer(text)}
    out.update(w for w in _OVER_ZH if w in text)
    return out


# ---------------------------------------------------------------------------- attribution
_SAYS_EN = (r"(?:argue[sd]?|hold[s]?|held|say[s]?|said|write[s]?|wrote|note[sd]?|believe[sd]?|contend[s]?|maintain[s]?|"
            r"stress(?:es|ed)?|emphasi[sz](?:es|ed)|point(?:s|ed)? out|observe[sd]?|conclude[sd]?|suggest(?:s|ed)?|"
            r"recommend(?:s|ed)?|warn(?:s|ed)?|explain(?:s|ed)?|state[sd]?|claim(?:s|ed)?|assert(?:s|ed)?|report(?:s|ed)?|"
            r"find[s]?|found|calls? for|called for|see[s]?|view(?:s|ed)?)")
_FRAME_EN = re.compile(rf"^\s*(?:(?:According to|In the view of)\s+[^,]{{2,60}},\s*|As\s+[^,]{{2,60}}?\s+{_SAYS_EN},\s*|In\s+[^,]{{2,40}}(?:'s|’s)\s+"
                       rf"(?:view|opinion|words|account|analysis),\s*|(?:[A-Z][\w.'’\-]*(?:\s+(?:and\s+)?[A-Z][\w.'’\-]*){{0,4}}|"
                       rf"The (?:article|paper|study|authors?|report|editorial|review|writer|text)(?:'s authors?)?)\s+"
                       rf"{_SAYS_EN}\s+(?:that\s+)?)")
_FRAME_ZH = re.compile(r"^\s*(?:在[^，。,]{1,24}?看来|据[^，。,]{1,24}|[^，。,]{1,24}?(?:认为|指出|表示|主张|写道|提到|强调|称|断言|"
                       r"建议|坚持认为|提出|发现))[，,：:]\s*")


def without_attribution(text: str) -> str:
    """The sentence without the frame that says whose words it gives ("Qiu Ping argues that",
    "According to the authors,", "在张夏恒、马妍看来，", "文章认为，"): what it claims, to search
    for. The text as it is when it has no such frame, or nothing much is left."""
    m = _FRAME_EN.match(text) or (_FRAME_ZH.match(text) if has_cjk(text) else None)
    if not m:
        return text
    rest = text[m.end():].strip()
    return rest if len(tokenize(rest)) >= 3 else text


# ---------------------------------------------------------------------------- entities
def entities(text: str) -> list[str]:
    """Proper nouns and codes: runs of capitalised English words not opening the sentence,
    letter-digit codes, and jieba's person/place/organisation words in Chinese."""
    return list(_entities(readable(text)))


# Wikipedia's script-variant markup, left in some encyclopedia texts: "-{zh-cn:尤塞恩·博尔特;zh-hk:保特;
# zh-tw:尤塞恩·柏特}-" names one person, as its simplified-Chinese variant; "-{T|Gtk#}-" is "Gtk#".
_WIKI_VARIANTS = re.compile(r"-\{([^{}]*)\}-")


def readable(text: str) -> str:
    """The text with Wikipedia's script-variant markup read as its simplified-Chinese variant."""
    return _WIKI_VARIANTS.sub(_variant, text) if "-{" in text else text


def _variant(m: re.Match) -> str:
    body = m.group(1).split("|", 1)[-1]
    pairs = [p.split(":", 1) for p in body.split(";") if p.strip()]
    if not pairs or len(pairs[0]) < 2:
        return body
    variants = {k.strip(): v.strip() for k, v in (p for p in pairs if len(p) == 2)}
    return variants.get("zh-cn") or variants.get("zh-hans") or next(iter(variants.values()), "")


_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # with the accented letters of Latin-script names


# A possessive inside a name: "National People's Congress", "Children's Hospital".
_OWNER_IN_NAME = frozenset("people peoples children women men workers farmers veterans citizens nations st".split())


@lru_cache(maxsize=8192)  # evidence sentences are read again for each claim about them (jieba's tagger: ~1 ms a clause)
def _entities(text: str) -> tuple[str, ...]:
    out: list[str] = []
    run: list[str] = []

    owned_from: list[int] = []  # where an owner ends a run: "China's"

    def flush():
        if run:
            # "China's Five Industrial Bases": the owner and a name of its own; "Singapore's
            # Chinatown", "National People's Congress": one name.
            k = owned_from[0] if owned_from else 0
            if k and len(run) - k >= 2:
                out.extend((" ".join(run[:k]), " ".join(run[k:])))
            else:
                out.append(" ".join(run))
            run.clear()
        owned_from.clear()

    for m in re.finditer(rf"[{_LATIN}][{_LATIN}0-9'’\-/.]*[{_LATIN}0-9]|[A-Z]|\S", text):  # Pará, São Paulo
        w = re.sub(r"['’]s$", "", m.group(0))
        owner = w != m.group(0) and w.lower() not in _OWNER_IN_NAME
        w = re.sub(r"(-[a-z]+)+$", "", w)  # HIV-1-infected -> HIV-1
        if not re.match(rf"[{_LATIN}]", w) or not (w[0].isupper() or re.search(r"\d", w)):
            flush()
            continue
        caps = bool(re.fullmatch(r"[A-Z0-9\-/.]+", w)) and len(w) > 1
        if not caps and (w.lower() in _ENTITY_STOP or w.lower() in EN_STOP or w.lower() in _MONTH_WORDS):
            flush()
            continue
        if w in _ERAS:
            flush()  # 997 AD: an era, no name
            continue
        if caps and w.lower() in _HEADINGS:
            flush()  # a structured abstract's heading (RESULTS, CONCLUSIONS) is no name
            continue
        if not run and not caps and re.match(r"\s+\d", text[m.end():]) and known_word(w.lower()):
            continue  # "Game 4", "Level 3", "Table 2": a label for a number, no name
        # Opening the text, a sentence, a quotation or a label ("Source: Updated ...").
        first = not re.search(rf"[A-Za-z0-9{CJK}]", text[: m.start()]) or \
            re.search(r"[.!?:;：；。“\"‘(（—]\s*$|\(\d{1,2}\)\s*$", text[max(0, m.start() - 5) : m.start()]) is not None
        if first and not re.search(r"\d|[A-Z].*[A-Z]", w):
            nxt = re.match(r"\s+([A-Z][a-z]+)", text[m.end():])
            if (not nxt or nxt.group(1).lower() in EN_STOP) and (len(w) < 4 or known_word(w.lower())):
                continue  # a capital that only opens the sentence (a name no dictionary knows stays)
        run.append(w)
        if owner and not owned_from:
            owned_from.append(len(run))
    flush()
    if has_cjk(text):
        import jieba.posseg as pseg

        for w, flag in pseg.lcut(text):
            if len(w) >= 2 and CJK_CHAR.match(w) and _zh_entity(w, flag):
                out.append(w)
        out.extend(w for w in sound_names(text) if not any(w in x or x in w for x in out))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def sound_names(text: str) -> tuple[str, ...]:
    """Foreign names written in sound (贝尼尼, 维克托里亚), which jieba seldom tags: runs of three
    characters or more that Chinese uses to spell sounds, no dictionary word."""
    return tuple(w for w in dict.fromkeys(m.group(0) for m in _TRANSLITERATED.finditer(text)) if not zh_glosses(w))


# Characters Chinese uses to spell foreign names by sound; three or more in a row make a name.
_TRANSLITERATED = re.compile("[阿埃艾安奥巴拜班贝比彼毕宾波伯博布查达戴丹迪蒂杜多厄恩法菲费芬弗福盖冈戈格贡圭哈赫亨胡霍"
                             "基吉贾杰卡凯坎柯科克肯库奎拉莱兰朗劳勒雷里利莉丽琳卢鲁伦罗洛玛迈麦曼梅蒙米缪莫默姆穆纳娜奈"
                             "内尼涅纽努诺欧帕佩彭皮珀普齐奇乔切钦萨塞桑瑟森沙莎舍什斯苏索塔泰坦特图托瓦威韦维沃乌伍西希"
                             "锡谢辛雅亚扬耶伊尤约泽扎詹兹佐]{3,}")


# Abbreviations the dictionary does not gloss (its "UK" is the slang 腐国), as written in English,
# and the Chinese names they stand for.
ABBREVIATIONS = {
    "UK": ("英国",), "U.K.": ("英国",), "US": ("美国",), "U.S.": ("美国",), "USA": ("美国",), "UN": ("联合国",),
    "EU": ("欧盟",), "WHO": ("世界卫生组织", "世卫组织", "世卫"), "UAE": ("阿联酋",), "PRC": ("中华人民共和国",),
    "NATO": ("北约",), "UNESCO": ("联合国教科文组织", "教科文组织"), "UNICEF": ("联合国儿童基金会",),
    "CDC": ("疾控中心", "疾病预防控制中心"), "FIFA": ("国际足联",), "IOC": ("国际奥委会",), "F1": ("一级方程式",),
}
_ABBREVIATED = {zh: tuple(ab for ab, names in ABBREVIATIONS.items() if zh in names)
                for names in ABBREVIATIONS.values() for zh in names}


def _initials_found(acronym: str, text: str) -> bool:
    """Whether `text` spells out `acronym` in capitalised words, one per letter (small words such
    as of, and, the and a possessive between them): NPC ~ "National People's Congress"."""
    small = r"(?:['’]s)?(?:\s+(?:of|and|for|the|on|in|&))*\s+"
    pattern = small.join(rf"{c}[a-z]+" for c in acronym)
    return re.search(rf"\b{pattern}\b", text) is not None


_ACRONYM = re.compile(r"[A-Z]{2,6}|(?=(?:[a-z]*[A-Z]){2})[A-Z][A-Za-z]{1,6}")  # NPC, BCoV, HCoV


def entity_found(ent: str, text: str, text_letters: str, text_pinyin: str, tokens: set[str]) -> bool:
    """Whether `text` mentions the name `ent`: as written, in pinyin (习近平 ~ Xi Jinping), or
    through the dictionary (华西医院 ~ West China Hospital). `text_letters`, `text_pinyin` and `tokens` are
    those of `text`, worked out once by the caller."""
    if CJK_CHAR.match(ent):
        if ent in text:
            return True
        core = re.sub(r"[省市县区州港镇乡村]$", "", ent)
        if len(core) >= 2 and core in text:
            return True
        # jieba may take a preposition or a conjunction into the name (发源于念青唐古拉山 ->
        # 于念青, 草地和林缘 -> 和林缘): the name without it, when the text has that.
        if len(ent) >= 3 and ent[0] in _ZH_LEADING and ent[1:] in text:
            return True
        # ... or the word after it (杜太为公司举办 -> 杜太为, 杜太乃……主席 -> 杜太乃).
        if len(ent) >= 3 and ent[-1] in _ZH_TRAILING and ent[:-1] in text:
            return True
        if re.search(r"[A-Za-z]", text):
            py = pinyin(core)
            # Chinese writes a foreign r as l (帕拉 ~ Pará, 罗马 ~ Roma): l and r are one letter here.
            if len(py) >= 4 and (py in text_letters or py.replace("r", "l") in text_letters.replace("r", "l")):
                return True
            gl = zh_glosses(ent) or zh_glosses(core)
            if gl and (gl <= tokens or len(gl & tokens) >= 2):
                return True
            if any(re.search(rf"(?<![\w.]){re.escape(ab)}(?!\w)", text) for ab in _ABBREVIATED.get(ent, ())):
                return True
            if not gl and len(ent) >= 4:
                # A compound the dictionary lacks, through its words: 土地利用 ~ "land-use".
                parts = [p for p in jieba_segmenter().lcut_for_search(ent) if len(p) >= 2 and p != ent]
                if len(parts) >= 2 and all(zh_glosses(p) & tokens for p in parts):
                    return True
            # One sense of the dictionary, whole: 德国 ~ "Germany" (its other sense is "German").
            return any(g and g <= tokens for g in zh_gloss_senses(ent) or zh_gloss_senses(core))
        return False
    low = letters(ent)
    if low and low in text_letters:
        return True
    if re.fullmatch(r"[A-Z]{2,6}", ent.strip()) and _initials_found(ent.strip(), text):
        return True  # NPC ~ National People's Congress, CAE ~ Chinese Academy of Engineering
    words = ent.split()
    if len(words) >= 2 and all(re.search(r"\d|^[A-Z]{2,}$", w) for w in words) and \
            all(letters(w) in text_letters for w in words):
        return True  # codes and acronyms in another order or with words between: "HAdV-55 ARDS"
    named = [w for w in words if w.lower() not in ("of", "the", "and", "for", "on", "in", "&")]
    if 2 <= len(named) <= 5 and any(_ACRONYM.fullmatch(w) for w in named) and all(
            re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
            or (re.fullmatch(r"[A-Z]{2,6}", w) and _initials_found(w, text)) for w in named):
        return True  # an acronym spelled out, the other words as written: "CPC National Congress" ~
        # "National Congress of the Communist Party of China"
    if " " not in ent.strip() and _demonym_roots(low) & _text_roots(text):
        return True  # Chinese ~ China, Japanese ~ Japan, German ~ Germany, American ~ America
    if has_cjk(text):
        if len(low) >= 4 and low in text_pinyin:
            return True
        # A name of several words that the dictionary glosses whole: New York ~ 纽约, Wall Street ~ 华尔街.
        if " " in ent.strip() and any(z in text for z in en_zh_phrase(ent)):
            return True
        # ... or by its first two characters where they are no word of their own: 西澳 for
        # 西澳大利亚 (Western Australia), not 联合 for 联合王国.
        if " " in ent.strip() and any(len(z) >= 4 and z[:2] in text and not zh_glosses(z[:2])
                                      for z in en_zh_phrase(ent)):
            return True
        # A people's word names its country across languages too: Chinese ~ 中国, Brazilian ~ 巴西.
        if " " not in ent.strip() and any(z in text for r in _demonym_roots(low) if r != low
                                          for c in (r, r + "a", r + "y") for z in en_zh_words(c)):
            return True
        if any(z in text for z in ABBREVIATIONS.get(ent.strip(), ())):
            return True
        # Indian ~ 印度人 ~ 印度: a people's word names its country too.
        if any(z in text or (len(z) >= 3 and z.endswith("人") and z[:-1] in text) for z in en_zh_words(ent.lower())):
            return True
        # A name of several words (West China Hospital): most of the words the dictionary or
        # pinyin can carry are there.
        words = [w for w in re.findall(r"[A-Za-z]+", ent) if w.lower() not in EN_STOP]
        if len(words) >= 2:
            known = hit = 0
            for w in words:
                zh = en_zh_words(w.lower())
                lw = letters(w)
                if zh or len(lw) >= 4:
                    known += 1
                    hit += any(z in text for z in zh) or (len(lw) >= 4 and lw in text_pinyin)
            return hit > 0 and hit * 3 >= known
    return False


_DEMONYM = re.compile(r"(?:ese|ian|an|ish|y|a)$")


@lru_cache(maxsize=8192)
def _demonym_roots(word: str) -> frozenset[str]:
    """A country's name and its people's word share a root of four letters or more: china, chinese
    -> chin; germany, german -> german; america, american -> americ."""
    roots = {word}
    stripped = _DEMONYM.sub("", word)
    if stripped != word:
        roots.add(stripped)
    if word.endswith("y"):
        roots.add(word[:-1])
    return frozenset(r for r in roots if len(r) >= 4)


@lru_cache(maxsize=4096)
def _text_roots(text: str) -> frozenset[str]:
    return frozenset(r for w in set(re.findall(r"[a-z]{4,}", text.lower())) for r in _demonym_roots(w))


def unmentioned(names: list[str], text: str, partly: bool = False) -> list[str]:
    """The names of `names` that `text` does not mention in any form. `partly`: a name of several
    words counts as mentioned when most of its words are ("Canadian Public Health System" in a
    text on the Public Health Agency of Canada): what a topic check wants, not a swap check."""
    if not names:
        return []
    lt, py, toks = letters(text), pinyin(text) if has_cjk(text) else "", set(tokenize(text))
    out = []
    text_words = None
    for n in names:
        if entity_found(n, text, lt, py, toks):
            continue
        if partly and len(n) >= 6 and re.fullmatch(r"[A-Za-z]+", n):
            # A misspelt name ("Influenze") is still the subject the text names ("influenza").
            if text_words is None:
                text_words = list({w.lower() for w in re.findall(r"[A-Za-z]{5,}", text)})
            if difflib.get_close_matches(n.lower(), text_words, n=1, cutoff=0.85):
                continue
        words = [w for w in re.findall(r"[A-Za-z]+", n) if w.lower() not in EN_STOP]
        if partly and len(words) >= 2:
            found = sum(1 for w in words if entity_found(w, text, lt, py, toks)
                        or entity_found(re.sub(r"(?:ian|an|ese|ish)$", "", w), text, lt, py, toks))
            if found * 2 > len(words):
                continue
        out.append(n)
    return out


@lru_cache(maxsize=1)
def _known_stems() -> frozenset[str]:
    """Stems of the English words of the dictionary glosses: ordinary words, not names."""
    from .bilingual import dictionaries

    _, en_zh = dictionaries()
    stem = stemmer()
    out = set(en_zh)
    if stem is not None:
        out.update(stem.stemWords([k for k in en_zh if k.isalpha()]))
    return frozenset(out)


_NOT_NAME_END = re.compile(r"(?:ic|al|als|ous|ive|ion|ions|ing|ed|ity|ism|ogy|ics|ly|es|ers|ment|ness|able|ary)$")


def known_word(low: str) -> bool:
    if _NOT_NAME_END.search(low) or low in EN_STOP or low in _ENTITY_STOP or low in _MONTH_WORDS:
        return True
    known = _known_stems()
    if not known:
        return True  # without a dictionary, a capital opening the sentence is no name
    stem = stemmer()
    return low in known or (stem is not None and stem.stemWord(low) in known)


def char_readings() -> dict[str, tuple[str, ...]]:
    """The CC-CEDICT readings of each Chinese character, tones removed, the one most words of
    the dictionary read it with first (广: guang, then yan; 行: xing, hang)."""
    from .bilingual import readings

    return readings()[0]


def common_only(word: str) -> bool:
    """Whether the dictionary has `word` only as a common word, never as a name."""
    from .bilingual import readings

    return word in readings()[1]


@lru_cache(maxsize=1)
def _char_pinyin() -> dict[str, str]:
    """First CC-CEDICT reading of each single Chinese character, tones removed."""
    return {ch: r[0] for ch, r in char_readings().items()}


def pinyin(text: str) -> str:
    """Letters only: 习近平 -> xijinping, 海南省 -> hainansheng; Latin letters kept, lowercased."""
    table = _char_pinyin()
    return "".join(table.get(ch, ch.lower() if ch.isascii() and ch.isalnum() else "") for ch in text)


_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’]s\b")


def letters(text: str) -> str:
    """Lowercase letters and digits only, a possessive's "'s" dropped (the entity "National
    People Congress" is found in "National People's Congress")."""
    if not text.isascii():  # Pará -> para
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", _POSSESSIVE.sub("", text).lower())


@lru_cache(maxsize=4096)
def zh_glosses(word: str) -> frozenset[str]:
    """Stemmed English content words of a Chinese word's dictionary glosses."""
    from .bilingual import dictionaries

    zh_en, _ = dictionaries()
    glosses = zh_en.get(word, [])[:6]
    out: set[str] = set()
    for g in glosses:
        out.update(tokenize(g))
    return frozenset(out)


@lru_cache(maxsize=4096)
def zh_gloss_senses(word: str) -> tuple[frozenset[str], ...]:
    """The stemmed English content words of each of a Chinese word's dictionary glosses, apart."""
    from .bilingual import dictionaries

    zh_en, _ = dictionaries()
    return tuple(frozenset(tokenize(g)) for g in zh_en.get(word, [])[:6])


_PHRASE_NAME = re.compile(r"[A-Z][a-z]+(?: (?:of |the |de )?[A-Z][a-z]+){1,3}")


@lru_cache(maxsize=1)
def _en_zh_phrases() -> dict[str, tuple[str, ...]]:
    """Names of several capitalised words (up to four) that gloss a Chinese word -> those words."""
    from .bilingual import dictionaries

    zh_en, _ = dictionaries()
    out: dict[str, list[str]] = {}
    for zh, glosses in zh_en.items():
        if len(zh) < 2:
            continue
        for g in glosses[:3]:
            if " " in g and g[0].isupper() and _PHRASE_NAME.fullmatch(g):
                out.setdefault(g.lower().replace(" ", ""), []).append(zh)
    return {k: tuple(v[:4]) for k, v in out.items()}


def en_zh_phrase(name: str) -> tuple[str, ...]:
    """Chinese words glossed by this English name as a whole: "New York" -> 纽约."""
    return _en_zh_phrases().get(letters(name), ())


@lru_cache(maxsize=4096)
def en_zh_words(token: str) -> tuple[str, ...]:
    """Chinese words whose gloss is this English word (given as typed, lowercase)."""
    from .bilingual import dictionaries

    _, en_zh = dictionaries()
    out = []
    for cand in (token, token[:-1] if token.endswith("s") else token, token[:-2] if token.endswith("es") else token):
        out.extend(en_zh.get(cand, []))
    return tuple(dict.fromkeys(out))


def en_words(text: str) -> list[tuple[str, str]]:
    """(surface lowercase, stem) of English content words."""
    stem = stemmer()
    out = []
    for w in re.findall(r"[A-Za-z][A-Za-z'’]*", text):
        low = w.lower()
        if low in EN_STOP or len(low) < 2:
            continue
        out.append((low, stem.stemWord(low) if stem else low))
    return out


def zh_words(text: str) -> list[str]:
    return [w for w in jieba_segmenter().lcut(text) if CJK_CHAR.match(w) and w not in ZH_STOP]


def analyse(text: str) -> Claim:
    nums, ords = numbers_ordinals(text)
    return Claim(text, detect_lang(text), tokenize(text), nums, ords, negated(text), entities(text), overstatements(text))
