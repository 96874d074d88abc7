"""What a question asks for, and whether a text holds something of that kind.

"What is the population of Jiangsu?" asks for a figure; quotes about Jiangsu that hold no figure
do not answer it, however relevant they are. A question about a share (a percentage, a
proportion) needs a share, not any number; a day of the month is no figure. The kinds are the ones a near-miss question most
often asks for: a figure, a date, a person, a place, a publication, an organisation. Each is recognised in the
question by its wording (English and Chinese) and in a text by its form: digits or Chinese
numerals, years and months, capitalised names (or jieba's name/place tags), journal titles.
Things the question itself already holds do not count: "How many cities in 2023…?" is not
answered by "2023".
"""
from __future__ import annotations

import re
from .lexical import tagged_words
from .text import has_cjk

FIGURE, DATE, PERSON, PLACE, PUBLICATION, ORGANISATION, NAME = ("figure", "date", "person", "place", "publication",
                                                                "organisation", "name")

_ASKS = [
    # "who", but not the World Health Organization's "WHO" ("When did the WHO declare …?" asks a date).
    (PERSON, re.compile(
        r"\b(?-i:(?!WHO\b))who\b|\bwhom\b|\bwhose\b|\b(?:which|what) (?:\w+ )?(?:person|people|author|scientist|leader|official|minister|expert|scholar|researcher|"
        r"professor|editor|president|chairman|director|founder|speaker|lecturer|head|winner)s?\b"
        r"|\bname of the (?:author|person|leader)\b|谁|哪位|哪个人|作者是|姓名", re.I)),
    (PUBLICATION, re.compile(
        r"\b(?:which|what) (?:journal|magazine|periodical|newspaper|publisher|publication)\b|\bpublished (?:in|by)\b"
        r"|期刊|杂志|刊物|学报|发表在|发表于|刊登在|哪家出版社|出版社是", re.I)),
    (ORGANISATION, re.compile(
        r"\baffiliat(?:ed|ion|ions)\b|\b(?:which|what) (?:\w+ )?(?:institution|university|universities|institute|"
        r"organi[sz]ation|agency|agencies|company|companies|hospital|laboratory|school|college)s?\b"
        r"|哪个单位|什么单位|工作单位|所在单位|所属机构|哪个机构|哪家机构|哪所大学|哪所学校|哪家公司|哪家医院", re.I)),
    (DATE, re.compile(
        r"\bwhen\b|\b(?:what|which) (?:year|date|month|day|decade|century)\b|\bin what year\b|\bhow long ago\b"
        r"|哪一年|哪年|何年|什么时候|何时|几月|几号|哪一天|日期是|年份", re.I)),
    (FIGURE, re.compile(
        r"\bhow (?:many|much|large|big|high|tall|long|old|fast)\b|\b(?:population|percentage|percent|proportion|"
        r"growth rate|response rate|number of|amount of|share of|rate of|size of|budget|revenue|gdp|score)\b"
        r"|多少|得分|分数|百分之|比例|比重|增长率|增速|份额|人口|几(?:个|位|家|项|次|倍|亿|万|种|名|所|座)|规模", re.I)),
    (PLACE, re.compile(
        r"\bwhere\b|\b(?:which|what) (?:city|cities|country|countries|province|provinces|region|regions|town|towns|county|"
        r"counties|state|states|place|places|location|locations)\b"
        r"|哪里|哪儿|何处|哪个(?:城市|国家|省|地区|地方|县|市)|在哪(?!些|个方面|方面)", re.I)),
    # "What is the name of the Mars mission?": a name of any kind, one the question does not hold.
    (NAME, re.compile(
        r"\bwhat (?:is|was|are|were) the (?:\w+ )?names? of\b|\bwhat (?:is|was) (?:it|this|that|the [\w -]{1,40}) called\b"
        r"|\bwhat (?:model|brand|title)\b|叫什么|名称是|名字是|什么名字|什么型号|哪个型号|何名", re.I)),
]

_NUMBER = re.compile(r"(?<![A-Za-z0-9.,-])\d+(?:[.,]\d+)*(?:\s*%)?(?![A-Za-z0-9])|[零一二三四五六七八九十两百千万亿]+(?=[个位家项次年倍亿万%％成人名种所座]|分之)"
                     r"|(?:百|千|万)分之[零一二三四五六七八九十百]+"
                     r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                     r"hundred|thousand|million|billion|dozen|half)\b(?!-)", re.I)
_DATE = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)|\d{1,2}\s*(?:月|日)|[零一二三四五六七八九十〇]+年"
                   r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
                   r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d|\d+(?:st|nd|rd|th) century\b"
                   r"|世纪|年代|朝|时期", re.I)
_YEAR_OR_DATE = re.compile(r"(?<![\d.,])(?:1[5-9]|20)\d\d(?:[-/年]\d{1,2}(?:[-/月]\d{1,2}日?)?)?(?![\d.,]?\d)")
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_WHEN_WORD = re.compile(rf"{_MONTH}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|spring|summer|autumn|winter",
                        re.I)
_DAY_OF_MONTH = re.compile(rf"\b{_MONTH}\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b|\d{{1,2}}\s*(?:月|日|号)")
# A question about a share is not answered by a count: "What percentage of ... ?" needs a % figure.
_ASKS_SHARE = re.compile(r"\b(?:percentage|percent|proportion|share)\b|百分之|比例|比重|占比|百分比", re.I)
_SHARE = re.compile(r"\d+(?:[.,·]\d+)?\s*(?:%|％|percent\b|per cent\b)|百分之|(?<![一二三四五六七八九十])[一二三四五六七八九]成|"
                    r"\b(?:half|a third|two thirds|two-thirds|a quarter|three quarters|three-quarters|majority|minority)\b|"
                    r"[一二三四五六七八九十]+分之[一二三四五六七八九十]+|一半|半数|多数|少数", re.I)
_ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w'’&-]*\s+(?:of\s+(?:the\s+)?)?){0,6}(?:University|Institute|Academy|School|College|Hospital|Laboratory|"
    r"Centre|Center|Department|Ministry|Agency|Company|Corporation|Foundation|Organi[sz]ation)\b(?:\s+(?:of|for)\s+"
    r"(?:the\s+)?(?:[A-Z][\w'’&-]*\s*){1,6})?"
    r"|[\u4e00-\u9fff]{2,12}(?:大学|学院|研究院|研究所|研究中心|医院|公司|集团|中心|协会|委员会|科学院|实验室)(?!学报|出版社)")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b|\b[A-Z]{2,}\b")
_PUBLICATION = re.compile(r"\bJournal\b|\bProceedings\b|\bReview\b|\bLancet\b|\bNature\b|\bScience\b|\bPLoS\b|"
                          r"\[J\]|学报|期刊|杂志|《[^》]+》|日报|出版社|Press\b|Publishing\b", re.I)
# The kind of body a question names, and the words that make an organisation one of that kind.
_ORG_TYPE = re.compile(r"\b(?:(?P<university>universit(?:y|ies))|(?P<hospital>hospital)|(?P<company>compan(?:y|ies))|"
                       r"(?P<school>school))\b|(?<=哪所|哪家|哪个)(?:(?P<university_zh>大学)|(?P<hospital_zh>医院)|"
                       r"(?P<company_zh>公司)|(?P<school_zh>学校))", re.I)
_ORG_TYPE_WORDS = {"university": ("university", "大学"), "hospital": ("hospital", "医院"),
                   "company": ("company", "corporation", "公司", "集团"),
                   "school": ("school", "college", "学校", "学院", "中学", "小学")}
_TITLE_OR_CODE = re.compile(r"[“\"《「]([^”\"》」]{2,40})[”\"》」]|(?<![A-Za-z0-9])([A-Z]+-?\d+[A-Za-z0-9-]*)(?![A-Za-z0-9])")
_NAMED_ZH = re.compile(r"(?:原名|名为|叫做|称为|名叫|简称|又称|俗称|别称|命名为|更名为|改名为|型号为)[“「《]?([\u4e00-\u9fffA-Za-z0-9·-]{2,8})")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Z][a-z]+)")


# "How did the size of the endolysosomes change?" asks which way, not how large.
_HOW_CHANGED = re.compile(r"\bhow (?:did|does|do|has|have|had|would|will|was|were|is|are)\b.*\b(?:chang|var(?:y|ied|ies)|"
                          r"differ|evolv|develop|affect|respond)|如何变化|怎样变化|有何变化|有什么变化", re.I)


def asked_kind(question: str) -> str | None:
    """The kind of thing the question asks for, or None when it asks for an explanation."""
    for kind, pattern in _ASKS:
        if pattern.search(question):
            if kind == FIGURE and _HOW_CHANGED.search(question):
                return None
            return kind
    return None


def _names(text: str, tags: tuple[str, ...]) -> set[str]:
    """Capitalised names (not just a sentence's first word) and, in Chinese, jieba's tagged words."""
    firsts = {m.group(1) for m in _SENTENCE_START.finditer(text)}
    out = {m.group(0).lower() for m in _CAPITALISED.finditer(text) if m.group(0) not in firsts}
    if has_cjk(text):
        out |= {word for word, flag in tagged_words(text) if flag in tags and len(word) >= 2}
    return out


# Words that make a capitalised run an organisation, a place, an event or a title, not a person.
_NOT_PERSON = frozenset("""academy university institute college school congress committee party bureau conference
index session sessions delegation ministry council association commission department government province city
county district region hospital center centre company corporation group bank organization organisation agency
society plan report program programme project state republic people's national central international
journal press review foundation office court army union league forum summit plenary assembly administration
exploration mission system systems industry industries development economic one two three four five six seven
eight nine ten first second third""".split())
_TITLE_BEFORE = re.compile(r"(?:\bby|\bauthor|\bauthors|\beditor|\bDr\.?|\bProf\.?|\bProfessor|\bMr\.?|\bMs\.?|\bMrs\.?|"
                           r"\bPresident|\bSecretary|\bDirector|\bMinister|\bPremier|\bChairman|\bsaid|\bwrote)\s*[:,]?\s*$")
_ACTS_AFTER = re.compile(r"\s*(?:said|says|wrote|writes|argued|argues|led|leads|found|et al\b|and colleagues|, who\b)")
_NAME_RUN = re.compile(r"\b(?:[A-Z]{2,}\s+)?[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*(?![A-Za-z])")  # "Aino1*": a footnote mark may follow


def _person_names(text: str) -> set[str]:
    """English runs of capitalised words that look like a person's name: no organisation, place
    or event word in them, and either a title or "by" before them, or a word no dictionary knows
    (Tang Yunyi, ZHANG Xiaheng; not "Manufacturing Development Power Index" or "Chinese Academy")."""
    from .claims import known_word

    firsts = {m.group(1) for m in _SENTENCE_START.finditer(text)}
    out = set()
    for m in _NAME_RUN.finditer(text):
        run = m.group(0)
        words = re.split(r"[ -]+", run)
        if len(words) == 1 and run in firsts:
            continue
        if any(w.lower() in _NOT_PERSON for w in words):
            continue
        titled = _TITLE_BEFORE.search(text[max(0, m.start() - 20) : m.start()]) is not None or \
            _ACTS_AFTER.match(text[m.end() : m.end() + 20]) is not None
        if titled or any(not known_word(w.lower()) for w in words):
            out.add(run.lower())
    return out


def instances(kind: str, text: str) -> set[str]:
    """The things of that kind a text holds."""
    if kind == FIGURE:
        # A year or a date ("Updated: 2024-05-30") says when, not how many.
        text = _DAY_OF_MONTH.sub(" ", _YEAR_OR_DATE.sub(" ", text))
        return {re.sub(r"[\s,]", "", m.group(0)).lower() for m in _NUMBER.finditer(text)}
    if kind == DATE:
        return {m.group(0).lower() for m in _DATE.finditer(text)}
    if kind == PERSON:
        zh = _names(text, ("nr", "nrfg", "nrt")) if has_cjk(text) else set()
        return {n for n in zh if not re.match(r"[a-z]", n)} | _person_names(text)
    if kind == PLACE:  # a month is capitalised too, and no place
        return {n for n in _names(text, ("ns", "nsf")) if not _WHEN_WORD.fullmatch(n)}
    if kind == ORGANISATION:
        return {re.sub(r"\s+", " ", m.group(0)).strip().lower() for m in _ORGANISATION.finditer(text)}
    if kind == PUBLICATION:
        return {m.group(0).lower() for m in _PUBLICATION.finditer(text)}
    if kind == NAME:  # a capitalised name, a quoted or 《》 title, a model code (C919), a Chinese name or term
        out = _names(text, ("nr", "ns", "nt", "nz", "nrt", "nrfg"))
        out |= {m.group(1) or m.group(2) for m in _TITLE_OR_CODE.finditer(text)}
        # What a naming word introduces is a name, tagged or not: 原名生保内, 又称……, 简称……
        out |= {m.group(1) for m in _NAMED_ZH.finditer(text)}
        return {n.lower() for n in out}
    return set()


# A question for the person in a role ("Who heads the delegation?", "Which expert lectured …?",
# 谁创办了……): a sentence naming someone in another role does not answer it. Each group is
# matched in the question and must then be matched in the answer.
_ROLE_GROUPS = [re.compile(p, re.I) for p in (
    r"\bhead(?:s|ed)?\b|\blead(?:s|er|ers|ership)?\b|\bled\b|\bchair(?:s|ed|man|woman|person)?\b|团长|率领|带领|领队|"
    r"负责人",
    r"\bpresidents?\b|院长|校长|会长|主席|总统",
    r"\bfound(?:ed|er|ers)\b|\bco-?found\w*|创办|创立|创建|创始人",
    r"\blectur\w*|\bspeakers?\b|\bgave (?:a|the) (?:talk|lecture|speech)\b|讲解|授课|讲座|主讲|讲课",
    r"\binvent\w*|发明",
    r"\bdiscover(?:ed|er|ers|y)\b|发现者",
    r"\bdirect(?:ed|s|or|ors)\b|导演|执导",
    r"\bcoach\w*|主教练|教练",
)]


def roles_asked(question: str) -> list[re.Pattern]:
    """The roles a question for a person asks about (as patterns an answer must match)."""
    return [g for g in _ROLE_GROUPS if g.search(question)]


def holds(kind: str | None, text: str, question: str) -> bool:
    """Whether `text` holds a thing of the asked kind that the question does not already hold
    (for a person asked for in a role, someone named with that role)."""
    if kind is None:
        return True
    if kind == PERSON and any(not g.search(text) for g in roles_asked(question)):
        return False
    if kind == ORGANISATION:
        # "Which university …?" is not answered by an institute: the kind of body asked for.
        asked = _ORG_TYPE.search(question)
        if asked:
            words = _ORG_TYPE_WORDS[asked.lastgroup.removesuffix("_zh")]
            return any(any(w in n for w in words) for n in instances(kind, text) - instances(kind, question))
    if kind == FIGURE and _ASKS_SHARE.search(question):
        return bool({m.group(0).lower() for m in _SHARE.finditer(text)} - {m.group(0).lower() for m in _SHARE.finditer(question)})
    return bool(instances(kind, text) - instances(kind, question))

