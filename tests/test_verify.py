"""The verifier judges what a sentence claims: wrong names, numbers, negations and reversed
relations are rejected, paraphrases and translations accepted, joined sentences cite both."""
from __future__ import annotations

import json
import re

import pytest

from rag import claims as C
from rag.claims import analyse, numbers_ordinals, zh_numeral
from rag.verify import llm_verdict, verify
from conftest import rag_over, rag_over_files, run_cli

THRESHOLD = 0.35  # the recommended support_threshold


def judged(rag, sentence: str):
    results = rag.search(sentence, k=4)
    verdicts = verify(sentence, results, rag.store.embedder, THRESHOLD, keep_fragments=True)
    assert len(verdicts) == 1
    return verdicts[0]


def assert_rejected(rag, *sentences: str) -> None:
    for sentence in sentences:
        assert not judged(rag, sentence).supported, sentence


def assert_supported(rag, *sentences: str) -> None:
    for sentence in sentences:
        assert judged(rag, sentence).supported, sentence


def assert_rejected_for(rag, reason: str, *sentences: str) -> None:
    """Each sentence is rejected, `reason` among the reasons the reader is given."""
    for sentence in sentences:
        v = judged(rag, sentence)
        assert reason in v.reasons, (sentence, v.reasons)


def assert_verbatim(rag, verdict) -> None:
    for s in verdict.sources:
        assert rag.store.document_text(s.passage.source)[s.start : s.end] == s.text


@pytest.mark.parametrize("sentence", [
    "Xi Jinping told the Zhejiang delegation on March 5 that high-quality development is the primary task.",  # entity
    "The Third Plenary Session of the 20th Party Congress proposed five improvements and one optimization.",  # number
    "Traditional systems and mechanisms remain suitable for the development of these emerging fields.",  # polarity
    "Taking measures according to local conditions is the only way to avoid overcapacity.",  # overstatement
    "Jiangsu is the largest province in Africa.",
])
def test_wrong_claims_are_rejected(seeds_rag, sentence):
    v = judged(seeds_rag, sentence)
    assert not v.supported, (sentence, [s.text for s in v.sources])


@pytest.mark.parametrize("sentence, reversed_", [
    ("高质量发展为因地制宜发展新质生产力提供强劲推动力。", True),  # who gives impetus to whom, swapped
    ("方法论是习近平总书记始终强调并亲自践行的因地制宜。", True),  # X 是 ... 的 Y, the other way round
    ("因地制宜发展新质生产力为实现高质量发展提供强劲推动力。", False),
    ("因地制宜是习近平总书记始终强调并亲自践行的方法论。", False),
])
def test_chinese_relations_turned_round_are_rejected(seeds_rag, sentence, reversed_):
    assert judged(seeds_rag, sentence).supported is not reversed_, sentence


def test_wrong_ordinal_is_rejected(seeds_rag):
    v = judged(seeds_rag, "On March 5, Xi Jinping joined the Jiangsu delegation at the first session of the "
                          "14th National People's Congress.")
    assert not v.supported


@pytest.mark.parametrize("sentence", [
    "Adapting to local conditions is a key way to prevent overcapacity.",  # paraphrase
    "Traditional systems and mechanisms are no longer suited to developing these emerging fields.",  # light edit
    "因地制宜是避免产能过剩的关键举措。",  # Chinese
    "绿色发展是高质量发展的鲜明特征。",  # Chinese claim, English source (and the Chinese one)
])
def test_true_claims_are_supported_with_verbatim_quotes(seeds_rag, sentence):
    v = judged(seeds_rag, sentence)
    assert v.supported, (sentence, v.support)
    assert_verbatim(seeds_rag, v)


def test_a_source_sentence_copied_word_for_word_is_always_supported(seeds_rag):
    # It names "National People's Congress", which the name check once failed to find in itself.
    sentence = ("On the afternoon of March 5, General Secretary Xi Jinping emphasized during the review of the "
                "Jiangsu delegation at the second session of the 14th National People's Congress that the primary "
                "task is to firmly grasp high-quality development and develop new quality productive forces "
                "according to local conditions.")
    v = judged(seeds_rag, sentence)
    assert v.supported and v.sources[0].text == sentence
    assert_verbatim(seeds_rag, v)
    # Part of a sentence is a quote too, unless the rest of the sentence turns it round.
    from types import SimpleNamespace

    from rag.verify import _verbatim_in

    source = [SimpleNamespace(text="It is not true that masks stop the virus in hospitals.")]
    assert _verbatim_in("Masks stop the virus in hospitals.", source) is None
    source = [SimpleNamespace(text="The study found that masks stop the virus in hospitals.")]
    assert _verbatim_in("Masks stop the virus in hospitals.", source) is source[0]


def test_the_statements_a_sentence_joins_are_found():
    from rag.verify import claim_parts

    assert claim_parts("Because new quality productive forces are advanced by nature, Qiu Ping argues that we "
                       "must promote them.") == ["new quality productive forces are advanced by nature",
                                                 "Qiu Ping argues that we must promote them."]
    assert len(claim_parts("Transmission from mother to child is the main route of HIV-1 infection in children, "
                           "and in Zimbabwe HIV-1 causes one third of child deaths.")) == 2
    assert claim_parts("因为新质生产力具有先进性，所以要主动推动其发展。") == ["新质生产力具有先进性", "所以要主动推动其发展。"]
    assert claim_parts("Adapting to local conditions is a key way to prevent overcapacity.") == []


def test_a_sentence_joining_two_source_sentences_cites_both(seeds_rag):
    sentence = ("The author, Tang Yunyi, is deputy director of the Institute of Applied Economics of the Shanghai "
                "Academy of Social Sciences, and traditional systems no longer suit emerging fields.")
    v = judged(seeds_rag, sentence)
    assert v.supported
    quoted = " ".join(s.text for s in v.sources)
    assert "Tang Yunyi" in quoted and "no longer suitable" in quoted
    assert_verbatim(seeds_rag, v)


def test_claim_analysis_reads_numbers_ordinals_and_negation():
    assert zh_numeral("十余万") == 100000 and zh_numeral("十九") == 19 and zh_numeral("两") == 2
    nums, ords = numbers_ordinals("中共二十届三中全会于2024年7月提出“四个完善”")
    assert {2024.0, 7.0, 4.0} <= nums and {20.0, 3.0} <= ords
    nums, ords = numbers_ordinals("the second session of the 14th Congress on March 5")
    assert ords == {2.0, 14.0} and nums == {3.0, 5.0}
    # A Lancet decimal point, 首家 as "first", a proportion in words is no figure, a count in 万 is.
    assert numbers_ordinals("971 (48·0%) were positive")[0] == {971.0, 48.0}
    assert numbers_ordinals("是首家上市的越南商业银行")[1] == {1.0}
    assert numbers_ordinals("more than half of them, about two-thirds")[0] == set()
    assert numbers_ordinals("twice as likely")[0] == {2.0}
    assert numbers_ordinals("累计销量已突破一百万册")[0] == {1_000_000.0}
    assert numbers_ordinals("千千万万的人三三两两地走来")[0] == set()
    # A gene or strain's name is no figure, its decimal part included (p4.7 is not a 7).
    assert numbers_ordinals("the p4.7 gene and the H120 strain, 3.5 days")[0] == {3.5}
    assert analyse("因地制宜并不是关键举措。").negated
    assert not analyse("这非常重要，无论如何都要不断推进。").negated
    assert analyse("The study proves that it is the only cause.").over


class _Backend:
    def __init__(self, reply: str):
        self.reply, self.messages = reply, None

    def complete(self, messages, max_tokens=None):
        self.messages = messages
        return self.reply


def test_llm_judge_reads_yes_and_no_and_replaces_the_decision(seeds_rag):
    yes, no = _Backend("YES, the evidence says so."), _Backend("No.")
    assert llm_verdict("A claim.", ["Evidence."], yes) and not llm_verdict("A claim.", ["Evidence."], no)
    assert "A claim." in yes.messages[-1][1] and "Evidence." in yes.messages[-1][1]
    sentence = "Adapting to local conditions is a key way to prevent overcapacity."
    results = seeds_rag.search(sentence, k=4)
    v = verify(sentence, results, seeds_rag.store.embedder, THRESHOLD, keep_fragments=True,
               judge=lambda claim, evidence: False)
    assert not v[0].supported


def _results(*texts: str):
    from rag.types import Passage, SearchResult

    out, pos = [], 0
    for i, t in enumerate(texts):
        out.append(SearchResult(Passage(f"p{i}", f"doc{i}.txt", f"Doc {i}", t, pos, pos + len(t)), 1.0 - i / 10))
        pos += len(t) + 10
    return out


def test_opposite_words_and_abbreviation_cuts_without_embeddings():
    src = _results("Adults with chronic kidney disease, heart failure or severe anaemia were excluded from the trial. "
                   "The isolate clusters with strain KX-17 (accession no. AB123456) in the tree.")
    no = verify("Adults with chronic kidney disease or heart failure were included in the trial.", src, None, 0.3)
    assert not no[0].supported
    yes = verify("Adults with chronic kidney disease or heart failure were excluded from the trial.", src, None, 0.3)
    assert yes[0].supported
    # "no." of an accession number is no negation, and the sentence is not cut after it.
    v = verify("The isolate clusters with strain KX-17 in the tree.", src, None, 0.3)
    assert v[0].supported and "AB123456" in v[0].sources[0].text


def test_a_name_opening_the_claim_counts():
    assert "Halvorsen" in analyse("Halvorsen argued that the agency should be replaced.").entities
    assert not analyse("Avoiding delays is the aim.").entities
    src = _results("Ingrid Moberg argued that the agency should be replaced by a new body.")
    assert not verify("Halvorsen argued that the agency should be replaced by a new body.", src, None, 0.3)[0].supported


def test_a_structured_abstracts_headings_are_no_names():
    # "the source names “RESULTS”, not “PCR”" was a reason given for a rejected sentence.
    names = analyse("RESULTS: The PCR assay detected the WHO reference strains. CONCLUSIONS: UNESCO agrees.").entities
    assert {"PCR", "WHO", "UNESCO"} <= set(names) and not {"RESULTS", "CONCLUSIONS"} & set(names), names


def test_a_common_word_jieba_tags_as_a_place_is_no_name():
    # jieba's dictionary tags 新鲜 ("fresh") a place: a reason listed it among the names a source
    # gives ("the source names “习近平”, “新鲜”, not “英国”"). Places the dictionary capitalises stay.
    names = analyse("广西的水果很新鲜。").entities
    assert "广西" in names and "新鲜" not in names


def test_figures_and_names_must_stand_where_the_source_puts_them(tmp_path):
    # Every figure and name of the wrong claims is in the source sentence, attached to another
    # symptom or in another clause: a check by words present would pass them.
    rag = rag_over(tmp_path,
                   "Its clinical symptoms overlap with those of common respiratory illnesses, including fever (98%), "
                   "cough (76%), and diarrhea (3%).\n\nWuhan, the epicenter of the outbreak, is racing against time to build "
                   "two specialized hospitals for nCoV patients, namely Huoshenshan and Leishenshan hospital, whereas a "
                   "different strategy has been undertaken in Shenzhen city by reconstructing an existing hospital.\n")
    assert_rejected(rag, "Its symptoms include fever (76%) and cough (98%).",
                         "2019-nCoV的症状包括发热（76%）和咳嗽（98%）。",
                         "Shenzhen is racing to build two specialized hospitals for nCoV patients, Huoshenshan and Leishenshan.")
    assert_supported(rag, "Its symptoms include fever (98%) and cough (76%).",
                          "Wuhan is racing to build two specialized hospitals for nCoV patients, Huoshenshan and Leishenshan.")


def test_who_acts_on_whom_and_what_is_denied_must_match_the_source(tmp_path):
    # Fluent errors written apart from the tuning claims (eval/claims_dev2.jsonl): the sides of
    # a relation swapped, a direction reversed, a "rather than" that denies what the source
    # says, a name from the next sentence put in place of the one this sentence names.
    rag = rag_over(tmp_path,
                   "These results indicate that the S-palmitoylation on IFITM5 promotes the interaction with FKBP11.\n\n"
                   "The study found a staged mode of transmission involving biofilm growth from the lower pipe to the "
                   "sink strainer.\n\nAs the defining feature of high-quality development, green development is intrinsic "
                   "to the new quality productive forces.\n\nSARS-CoV caused 8098 reported cases and 774 deaths in 37 "
                   "countries before the epidemic was controlled. Since 2012, MERS-CoV has caused 2494 reported cases and "
                   "858 deaths in 27 countries.\n\n"
                   "达曼是东部省最大的城市，达曼港也是波斯湾最大的海港之一。它的货物进出口量仅次于沙特位于红海海岸的吉达港。\n\n"
                   "西贡商业信用银行成立于1991年12月21日。该银行于2006年7月12日在胡志明市证券交易所挂牌，是首家上市的越南商业银行。\n\n"
                   "Xi Jinping spoke to the Jiangsu delegation on March 5. During the review, the General Secretary pointed out "
                   "that developing new quality productive forces does not mean abandoning traditional industries.\n\n"
                   "Because it drives the creation of new industries and new business models, scientific and technological "
                   "innovation is a core element of new quality productive forces.\n\n"
                   "主题曲《鳄鱼泪》亦为第一届十大中文金曲得奖者。第二届比赛于2009年9月27日举行。\n\n"
                   "首届南京国际象棋超级大赛于2008年举行。结果托帕洛夫夺得冠军，阿罗尼扬获得亚军，卜祥志获得第三名。\n\n"
                   "洱海，古称“叶榆泽”，位于云南省大理市，是云南第二大淡水湖。\n\n"
                   "四喷泉教堂是一座位于罗马的天主教教堂，由建筑师博罗米尼设计，修建于1638年。\n")
    assert_rejected(rag, "The results indicate that binding to FKBP11 promotes the S-palmitoylation of IFITM5.",
                         "The study found that the biofilm grew from the sink strainer into the lower pipe.",
                         "The article treats green development as something separate from, rather than intrinsic to, "
                         "the new quality productive forces.",
                         "MERS-CoV caused 8098 reported cases and 774 deaths in 37 countries before the epidemic was "
                         "brought under control.",
                         "吉达港的货物进出口量仅次于达曼港。",
                         "New industries and new business models drive scientific and technological innovation.",
                         "《鳄鱼泪》的主题曲曾获得第二届十大中文金曲奖。",
                         "首届南京国际象棋超级大赛的冠军由阿罗尼扬夺得。")
    assert_supported(rag, "The results indicate that S-palmitoylation of IFITM5 promotes its interaction with FKBP11.",
                          "The biofilm grew from the lower pipe to the sink strainer.",
                          "Green development is intrinsic to the new quality productive forces rather than separate from them.",
                          "MERS-CoV has caused 2494 reported cases and 858 deaths in 27 countries since 2012.",
                          "西贡商业信用银行于2006年7月12日在胡志明市证券交易所上市，成为越南第一家上市的商业银行。",
                          "Xi Jinping pointed out that developing new quality productive forces does not mean abandoning "
                          "traditional industries.",
                          "Scientific and technological innovation drives the creation of new industries and new business models.",
                          "《鳄鱼泪》的主题曲曾获得第一届十大中文金曲奖。",
                          "首届南京国际象棋超级大赛中，托帕洛夫夺得冠军，阿罗尼扬获得亚军。",
                          "洱海古称叶榆泽，位于云南大理市。",
                          "四喷泉教堂由博罗米尼设计，修建于1638年。")  # 博 + 罗米尼: one name in two words


def test_a_name_counts_as_mentioned_in_any_form_the_text_uses():
    from rag.claims import unmentioned

    text = "Influenza cases were reported to the Public Health Agency of Canada; 习近平 spoke in 江苏."
    # A multi-word name mostly present, a misspelling after another name, pinyin and the dictionary.
    assert unmentioned(["Canadian Public Health", "Influenze", "Xi Jinping", "Jiangsu"], text, partly=True) == []
    assert unmentioned(["Nintendo", "Influenze"], text, partly=True) == ["Nintendo"]
    assert unmentioned(["Influenze"], text) == ["Influenze"]  # misspellings only for the topic check


def test_who_beat_whom_who_succeeded_whom_and_an_added_purpose_are_caught(tmp_path):
    # The kinds of error a third writer's claims (eval/claims_dev3.jsonl) found: a name put on
    # the other side of 击败 / 接替 / 由, a win told as the loser's (负于 is 击败 the other way
    # round), and a purpose the text never gives.
    rag = rag_over(tmp_path,
                   "2019年，张伟在全国锦标赛决赛中负于王强，获得亚军。\n\n"
                   "刘洋，湖南长沙人。2018年5月，作为湖南代表，接替陈明，当选为省委书记。\n\n"
                   "LibreOffice是由OpenOffice分支出来的办公软件，两者的界面大致相同。\n\n"
                   "野驴在日出及黄昏期间觅食，白天则在阴凉处休息。\n\n"
                   "The museum closed its east wing to visitors in 2019 after a survey of the building.\n")
    assert_rejected(rag, "2019年全国锦标赛决赛中，张伟击败了王强。",
                         "2018年5月，陈明接替刘洋，当选为省委书记。",
                         "OpenOffice是由LibreOffice分支出来的办公软件。",
                         "野驴在日出及黄昏觅食，是为了避开天敌的捕猎。",
                         "The museum closed its east wing to visitors in 2019 in order to cut its heating bills.")
    assert_supported(rag, "2019年全国锦标赛决赛中，王强击败了张伟。",
                          "2018年5月，刘洋接替陈明，当选为省委书记。",
                          "LibreOffice由OpenOffice分支而来。",
                          "野驴在日出和黄昏时觅食。",
                          "In 2019 the museum closed its east wing to visitors.")


def test_a_country_is_found_across_languages_by_its_own_name_or_its_people(tmp_path):
    # 德国 is glossed "Germany" and "German": one sense, whole, is enough; "Indian" is 印度人,
    # and names 印度. Another country is still another country.
    rag = rag_over(tmp_path,
                   "We recruited 1455 individuals between 18 to 70 years from a cross-sectional survey on airway "
                   "infections in Germany.\n\n"
                   "印度野驴是印度跑得最快的动物之一，最高每小时可达70至80公里。\n")
    assert_supported(rag, "这项研究从德国一项关于呼吸道感染的调查中招募了1455名18至70岁的成年人。",
                          "The Indian wild ass is among the fastest animals in India, reaching 70 to 80 kilometres per hour.")
    assert_rejected(rag, "这项研究从法国一项关于呼吸道感染的调查中招募了1455名18至70岁的成年人。")


def test_a_mouse_finding_is_not_a_human_one_and_only_weakly_is_no_exclusivity(tmp_path):
    # A result the text reports in mice, carried over to patients, is overreach; "only weakly"
    # plays a degree down, it claims no "only" the text lacks.
    rag = rag_over(tmp_path,
                   "Expression of CD40L in a small proportion of tumor cells was sufficient to generate a "
                   "long-lasting anti-tumor immune response in mice.\n\n"
                   "Compounds with benzyl substituents at N3 showed slight antiproliferative activity towards the "
                   "tested cells, with IC50 values in the 21-102 uM range.\n")
    assert not judged(rag, "CD40L expressed in a small share of tumour cells gives human patients a "
                           "long-lasting anti-tumour immune response.").supported
    assert judged(rag, "CD40L expressed in a small share of tumour cells gave mice a long-lasting "
                       "anti-tumour immune response.").supported
    assert judged(rag, "Compounds with a benzyl group at N3 only weakly slowed the growth of the tested cells, "
                       "with IC50 values from 21 to 102 uM.").supported
    assert not judged(rag, "Only compounds with a benzyl group at N3 slowed the growth of the tested cells.").supported


def test_a_figure_given_to_another_member_of_a_list_is_caught(tmp_path):
    rag = rag_over(tmp_path,
                   "In efficacy trials, conjugate vaccination reduced radiologic pneumonia by 37% in the Gambia, "
                   "25% in South Africa and 26% in the Philippines.\n")
    assert not judged(rag, "In efficacy trials, conjugate vaccination cut radiologic pneumonia by 37% in "
                           "South Africa.").supported
    assert judged(rag, "In efficacy trials, conjugate vaccination cut radiologic pneumonia by 25% in "
                       "South Africa.").supported


def test_a_name_in_the_place_of_another_is_a_swap_even_when_the_next_sentence_has_it(tmp_path):
    # The next sentences mention Germany and the German society, but the evidence has "Danish"
    # where the claim has "German", between the same words.
    rag = rag_over(tmp_path,
                   "Two recent Danish population-based studies reported an excess of a large spectrum of RTIs "
                   "including pneumonia among obese people [12, 13] . The overall aim of our study targeting the "
                   "adult population in South Baden, Germany, is to identify risk factors for the susceptibility "
                   "to RTIs. Here we present data on the role of obesity in the German society.\n")
    claim = ("Two recent {} population-based studies found that obese people suffer an excess of many kinds of "
             "respiratory infections, pneumonia included.")
    assert not judged(rag, claim.format("German")).supported
    assert judged(rag, claim.format("Danish")).supported


def test_a_loss_to_another_opponent_than_the_text_gives_is_caught(tmp_path):
    # 文奇 is in the text, but as the one she beat two years later.
    rag = rag_over(tmp_path,
                   "在2013年美国网球公开赛中，佩内塔首次闯入大满贯女单四强，在半决赛中遗憾负于维多利亚·阿扎伦卡。"
                   "2015年，她在决赛中战胜罗贝塔·文奇，夺得美国网球公开赛女子单打冠军。\n")
    assert not judged(rag, "2013年美网半决赛中，佩内塔遗憾输给了罗贝塔·文奇。").supported
    assert judged(rag, "2013年美网半决赛中，佩内塔遗憾输给了维多利亚·阿扎伦卡。").supported


def test_a_negation_the_claim_states_in_its_other_clause_is_no_clash(tmp_path):
    rag = rag_over(tmp_path,
                   "However, the use of mice as models to study infectious diseases has its limitation since mice "
                   "are not naturally infected by most human pathogens.\n")
    assert judged(rag, "The authors note that mice are of limited use for infectious-disease studies, since most "
                       "germs that make people sick do not infect mice in nature.").supported
    assert not judged(rag, "The authors note that mice are of limited use for infectious-disease studies, since "
                           "most germs that make people sick infect mice in nature.").supported


def test_a_chinese_act_given_to_another_maker_is_caught(tmp_path):
    # 202厂 is in the text, as the maker of the gun; the radar is 中科院's.
    rag = rag_over(tmp_path,
                   "T-92防空快砲系统由中华民国军备局202厂仿制。"
                   "T-92本身配合中科院研发的低空防御射控雷达，理想上可串联4门T-92组成完整防空火网。\n")
    assert not judged(rag, "与T-92配套的低空防御射控雷达是由军备局202厂研发的。").supported
    assert judged(rag, "与T-92配套的低空防御射控雷达是由中科院研发的。").supported


def test_four_million_is_400_wan_across_languages(tmp_path):
    rag = rag_over(tmp_path, "2007年，张永海从辽宁转会加盟北京国安，转会费超过400万元，是当年的“标王”。"
                             "2013年夏，张永海租借加盟上海申鑫。\n")
    claim = "In 2007 Zhang Yonghai moved from Liaoning to Beijing Guoan for a fee of more than {} yuan."
    assert judged(rag, claim.format("4 million")).supported
    assert judged(rag, claim.format("4,000,000")).supported
    assert not judged(rag, claim.format("5 million")).supported


def test_a_sentence_in_the_other_language_sharing_only_the_ordinal_lends_it_nothing(tmp_path):
    # "two steps" in an English sentence is no 第二届 for the Chinese claim.
    rag = rag_over(tmp_path, "主题曲《鳄鱼泪》亦为第一届十大中文金曲得奖者。\n\n"
                             "The complete mRNA sequence of CD40L was obtained in two steps.\n")
    assert not judged(rag, "《鳄鱼泪》的主题曲曾获得第二届十大中文金曲奖。").supported
    assert judged(rag, "《鳄鱼泪》的主题曲曾获得第一届十大中文金曲奖。").supported


def test_approximate_figures_ratios_and_ages(tmp_path):
    # "about double" is 2.02, "more than three times as many" is 8098 against 2494; "about 3.2"
    # is not 2.2; a 7-year-old is not a 6-year-old (a figure before a hyphenated unit counts).
    rag = rag_over(tmp_path,
                   "Obesity was associated with lower respiratory infections (adjusted OR = 2.02, 95% CI "
                   "1.36-3.00).\n\n"
                   "SARS-CoV caused 8098 reported cases, and MERS-CoV has caused 2494 reported cases.\n\n"
                   "Disease modelers have estimated R0 to be 2.2.\n\n"
                   "A 6-year-old girl with sickle cell disease was admitted for new-onset diplopia.\n\n"
                   "Over the last 20 years, childhood pneumonia has become far less common in the region.\n")
    assert judged(rag, "Obese people had about double the odds of lower respiratory infections.").supported
    assert judged(rag, "SARS-CoV caused more than three times as many reported cases as MERS-CoV.").supported
    assert not judged(rag, "SARS-CoV caused more than five times as many reported cases as MERS-CoV.").supported
    assert not judged(rag, "Disease modelers have estimated R0 to be about 3.2.").supported
    assert judged(rag, "A 6-year-old girl with sickle cell disease was admitted for diplopia.").supported
    assert not judged(rag, "A 7-year-old girl with sickle cell disease was admitted for diplopia.").supported
    # "two decades" is 20 years; four decades is not.
    assert judged(rag, "Over the past two decades childhood pneumonia has become far less common in the region.").supported
    assert not judged(rag, "Over the past four decades childhood pneumonia has become far less common in the "
                           "region.").supported


def test_a_cause_is_not_an_association(tmp_path):
    rag = rag_over(tmp_path,
                   "The association between obesity and respiratory infections remained nearly unchanged after "
                   "adjustment for demographic and lifestyle variables.\n\n"
                   "RANBP2 mutations may sensitize the brain to inflammation and predispose to acute hemorrhagic "
                   "encephalomyelitis.\n")
    assert not judged(rag, "After adjustment for demographic and lifestyle variables, obesity directly causes "
                           "respiratory infections.").supported
    assert judged(rag, "After adjustment for demographic and lifestyle variables, the association between obesity "
                       "and respiratory infections stayed nearly the same.").supported
    assert not judged(rag, "RANBP2 mutations cause acute hemorrhagic encephalomyelitis.").supported
    assert judged(rag, "RANBP2 mutations may predispose to acute hemorrhagic encephalomyelitis.").supported


def test_a_passive_turned_round_keeps_who_acts_on_whom(tmp_path):
    rag = rag_over(tmp_path,
                   "However, it has also been shown that the neutralizing activity of antibodies from HCV-infected "
                   "patients is attenuated by a factor present in human serum, identified as the highdensity "
                   "lipoprotein (HDL) fraction [11, 13, 15] . HDL facilitation of HCVpp entry is a post-binding "
                   "event [16] .\n\n"
                   "New quality productive forces are advanced in nature.\n")
    assert not judged(rag, "Earlier work showed that antibodies from HCV-infected patients dampen the activity of "
                           "the high-density lipoprotein fraction of human serum.").supported
    assert judged(rag, "Earlier work showed that a factor in human serum, the high-density lipoprotein fraction, "
                       "dampens the neutralizing activity of antibodies from HCV-infected patients.").supported
    assert judged(rag, "New quality productive forces are advanced by nature.").supported


def test_an_english_comparison_turned_round_is_caught(tmp_path):
    rag = rag_over(tmp_path,
                   "The developed ELISA-array proved to have similar specificity and higher sensitivity compared "
                   "with the conventional ELISAs.\n")
    assert not judged(rag, "The conventional ELISAs proved to have higher sensitivity than the developed "
                           "ELISA-array.").supported
    assert judged(rag, "The developed ELISA-array had higher sensitivity than the conventional ELISAs.").supported


def test_a_ranking_the_shares_contradict_is_caught(tmp_path):
    rag = rag_over(tmp_path,
                   "The distribution of species was as follows: HCoV-OC43 (34%), HCoV-229E (28%), HCoV-NL63 (22%), "
                   "and HCoV-HKU1 (16%).\n")
    assert not judged(rag, "HCoV-229E was the most common coronavirus species, followed by HCoV-OC43.").supported
    assert judged(rag, "HCoV-OC43 was the most common coronavirus species, followed by HCoV-229E.").supported


def test_one_of_the_largest_is_not_the_largest_and_names_survive_segmentation(tmp_path):
    # What a fourth writer's claims (eval/claims_dev4.jsonl) found: "one of the largest" told as
    # "the largest" (最大的……之一 as 最大的); an English name of several words in a Chinese text
    # (New York ~ 纽约, Wall Street ~ 华尔街); a name jieba cut with the word before it
    # (发源于念青唐古拉山 -> 于念青); and 零部件 (parts) read as the figure zero.
    rag = rag_over(tmp_path,
                   "该协会有近5万名会员与支持者，是该国最大的环保团体之一。\n\n"
                   "The harbour of the city is one of the largest on the northern coast.\n\n"
                   "该协议是纽约的24家股票经纪商于1792年在华尔街68号门外订立的。\n\n"
                   "这条河发源于念青唐古拉山中段北麓，向东南流，最终汇入雅鲁藏布江。\n\n"
                   "Basic parts and basic materials still depend heavily on foreign sources.\n")
    assert_rejected(rag, "该协会拥有近5万名会员和支持者，是该国规模最大的环保团体。",
                         "The city's harbour is the largest on the northern coast.")
    assert_supported(rag, "该协会拥有近5万名会员和支持者，是该国规模最大的环保团体之一。",
                          "The city's harbour is among the largest on the northern coast.",
                          "The agreement was made outside 68 Wall Street in 1792 by 24 New York stockbrokers.",
                          "这条河发源于念青唐古拉山，最后流入雅鲁藏布江。",
                          "基础零部件和基础材料仍然高度依赖国外。")


def test_a_name_from_the_sentence_before_put_in_another_names_place_is_a_swap(tmp_path):
    # The sentence before names Singapore for another outbreak; the claim puts Singapore where
    # the sentence it restates has Beijing. A claim that joins the two statements may name both.
    rag = rag_over(tmp_path,
                   "HAdV-55 is a newly identified pathogen that caused two recent outbreaks, in Shaanxi in 2006 "
                   "and in Singapore in 2005. In 2011, this pathogen apparently re-emerged in Beijing, causing "
                   "several cases of severe community-acquired pneumonia.\n")
    assert not judged(rag, "In 2011, HAdV-55 apparently re-emerged in Singapore, causing several cases of "
                           "severe community-acquired pneumonia.").supported
    assert judged(rag, "In 2011, HAdV-55 apparently re-emerged in Beijing, causing several cases of severe "
                       "pneumonia.").supported


def test_a_renaming_and_a_requirement_turned_round_are_caught(tmp_path):
    # "A更名为B" where the text renames B to A; "A is a requirement for B" where the text says
    # B is one for A. The same statements the right way round pass.
    rag = rag_over(tmp_path,
                   "1863年，纽约证券和交易管理处改名为纽约证券交易所。\n\n"
                   "In 1901 the Northern Railway Company was renamed the Great Western Line.\n\n"
                   "Clean water is a basic requirement for the health of a city's children, the report said.\n")
    assert_rejected(rag, "1863年，纽约证券交易所更名为纽约证券和交易管理处。",
                         "In 1901 the Great Western Line was renamed the Northern Railway Company.",
                         "The report described the health of a city's children as a basic requirement for clean water.")
    assert_supported(rag, "1863年，纽约证券和交易管理处更名为纽约证券交易所。",
                          "In 1901 the Northern Railway Company was renamed the Great Western Line.",
                          "The report described clean water as a basic requirement for the health of a city's children.")


def test_a_comparison_told_of_the_other_side_is_caught(tmp_path):
    # The text: A is less effective than B. A claim that B is less effective (the comparison left
    # one-sided) turns it round; that A is less effective, or B more, is what the text says.
    rag = rag_over(tmp_path,
                   "The agency recommended that clinics using the older vaccine keep using it, in light of "
                   "recent data indicating that the newer vaccine is less effective than the older vaccine.\n")
    assert not judged(rag, "The agency advised clinics to keep using the newer vaccine, citing data that the "
                           "older vaccine is less effective.").supported
    assert judged(rag, "The agency advised clinics using the older vaccine to keep using it, citing data that "
                       "the newer vaccine is less effective.").supported


def test_a_sentence_beside_the_evidence_that_denies_the_claim_rejects_it(tmp_path):
    # The claim's sectors are named in one sentence; the next says the old systems no longer suit
    # them. A claim that they still suit is denied there; a negated claim is not "denied" by a
    # sentence that only leaves the negation out.
    rag = rag_over(tmp_path,
                   "Traditional systems and mechanisms shaped the province's factories for decades. Systems and "
                   "mechanisms of planning were reformed in 2015. To grow new productive forces, the province "
                   "must foster emerging sectors such as the digital economy, green industries and low-carbon "
                   "manufacturing. Traditional systems and mechanisms are no longer suitable for these emerging fields.\n")
    assert not judged(rag, "The author argues that traditional systems and mechanisms remain well suited to "
                           "emerging sectors such as digital, green and low-carbon manufacturing.").supported
    assert judged(rag, "To grow new productive forces, the province must foster emerging sectors such as the "
                       "digital economy, green industries and low-carbon manufacturing.").supported


def test_a_common_word_after_a_surname_is_no_name_and_shoudu_is_first(tmp_path):
    # jieba tags 鲁莽 ("rash", 鲁 a surname) as a person; the dictionary glosses it in lower case,
    # so it is no name another can be swapped for. 首度 is "the first time", as 第一次 is.
    rag = rag_over(tmp_path,
                   "韩立以作风勇猛著称，但也经常做出鲁莽的犯规动作。在不到一年之内，韩立三次在比赛中做出恶意犯规的动作。\n\n"
                   "李娜在2010年法国网球公开赛后首度跻身单打世界排名前十。\n")
    assert_supported(rag, "韩立踢球勇猛却动作鲁莽，曾在不到一年的时间里三次恶意犯规。",
                          "2010年法网之后，李娜第一次进入单打世界前十。")
    assert_rejected(rag, "2010年法网之后，李娜第二次进入单打世界前十。")


def test_a_number_of_a_short_title_names_the_subject_a_first_sentence_holds_figures(tmp_path):
    # "Flight 189" in a title is a name, not a figure the sentence must repeat; a text without a
    # title has its first sentence taken for one, and that sentence's figures lend no support.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    rag = rag_over(tmp_path / "a", "Flight 189\n\nThe aircraft overran the runway at 60 knots and stopped in a ravine.\n")
    assert judged(rag, "On Flight 189 the aircraft overran the runway at 60 knots and stopped in a ravine.").supported
    rag = rag_over(tmp_path / "b",
                   "Obesity was associated with lower respiratory infections (adjusted OR = 2.02, 95% CI 1.36-3.00).\n\n"
                   "Over the last 20 years, childhood pneumonia has become far less common in the region.\n")
    assert not judged(rag, "Over the past three decades childhood pneumonia has become far less common in the "
                           "region.").supported


def test_a_chinese_bi_comparison_turned_round_is_caught(tmp_path):
    # 白葡萄酒比红葡萄酒含有更多的亚硫酸盐: the claim that red wine has more is turned round; that
    # red wine has less, or white wine more, is what the text says.
    rag = rag_over(tmp_path, "白葡萄酒比红葡萄酒含有更多的亚硫酸盐，所以对亚硫酸盐过敏的人群，不要轻易尝试白葡萄酒。\n")
    assert not judged(rag, "红葡萄酒所含的亚硫酸盐比白葡萄酒更多，因此对亚硫酸盐过敏的人应慎饮红葡萄酒。").supported
    assert judged(rag, "白葡萄酒所含的亚硫酸盐比红葡萄酒多，对亚硫酸盐过敏的人不要轻易尝试白葡萄酒。").supported


def test_a_negation_in_a_cited_sentence_of_the_other_language_does_not_excuse_a_denial(tmp_path):
    # The Chinese text says developing new productive forces is urgent; the English sentence
    # beside it negates something else. A claim that it is not urgent is still a denial.
    rag = rag_over(tmp_path,
                   "因地制宜发展新质生产力重要且迫切，体现在其为实现高质量发展提供强劲推动力。\n\n"
                   "On the one hand, traditional industries and new quality productive forces are not opposed, "
                   "and developing new quality productive forces tailored to local conditions is not about "
                   "abandoning them.\n")
    assert not judged(rag, "作者认为，因地制宜发展新质生产力并不迫切，可以等条件成熟后再逐步推进。").supported
    assert judged(rag, "作者认为，因地制宜发展新质生产力既重要又迫切。").supported


def test_a_superlative_the_text_does_not_give_is_overreach(tmp_path):
    # "an important base" is not "the most important base"; 重要 is not 最重要.
    rag = rag_over(tmp_path,
                   "The General Secretary hoped the province would become an important base for developing "
                   "new industries.\n\n"
                   "该省是发展新兴产业的重要基地。\n")
    assert_rejected(rag, "The General Secretary hoped the province would become the most important base for "
                         "developing new industries.",
                         "该省是发展新兴产业最重要的基地。")
    assert_supported(rag, "The General Secretary hoped the province would become an important base for new industries.",
                          "该省是发展新兴产业的一个重要基地。")


def test_sides_of_a_relation_verb_swapped_past_a_shared_word_are_caught(tmp_path):
    # "A must be adapted to the requirements of B" against the text's "B must be adapted to the
    # requirements of A": the word right after the verb stays, the sides around it swap. An
    # adverb moved ("directly bind" / "bind ... directly") is no swap.
    rag = rag_over(tmp_path,
                   "The relations of production must be adapted to the requirements for developing productive "
                   "forces.\n\n"
                   "With the ability to directly bind to DNA and regulate the expression of adjacent genes, nuclear "
                   "receptors are a class of ligand-inducible transcription factors.\n")
    assert not judged(rag, "The article argues that the productive forces must be adapted to the requirements of "
                           "the existing relations of production.").supported
    assert judged(rag, "The relations of production must adapt to what developing the productive forces "
                       "requires.").supported
    assert judged(rag, "Nuclear receptors are transcription factors activated by ligands; they can bind DNA "
                       "directly and control the expression of nearby genes.").supported


def test_an_ordinal_borrowed_from_a_sentence_about_another_one_is_caught(tmp_path):
    # The text's second-generation hero sent the letter; the first-generation one is named only in
    # the next sentence, for something else.
    rag = rag_over(tmp_path,
                   "第二代蓝甲虫临死前派遣圣甲虫去给惊奇队长送信，圣甲虫也因此留在了惊奇队长的永恒之岩里。"
                   "卡基达是它的启动口令，第一代蓝甲虫加勒特就在它的影响下攻击过别人。\n")
    assert not judged(rag, "第一代蓝甲虫加勒特临死前派遣圣甲虫给惊奇队长送信，圣甲虫因此留在了永恒之岩里。").supported
    assert judged(rag, "第二代蓝甲虫临死前派遣圣甲虫给惊奇队长送信，圣甲虫因此留在了永恒之岩里。").supported


def test_a_chinese_compound_the_dictionary_lacks_is_found_through_its_words(tmp_path):
    # 土地利用 is not in CC-CEDICT; 土地 (land) and 利用 (use) are, and the English text says "land-use".
    rag = rag_over(tmp_path, "Researchers have estimated that almost 75% of zoonotic diseases are associated with "
                             "landcover and land-use changes (LCLUC), as Saksena reported for HPAI.\n")
    assert judged(rag, "据研究人员估计，近75%的人畜共患病与土地覆盖和土地利用的变化有关。").supported
    assert not judged(rag, "据研究人员估计，近95%的人畜共患病与土地覆盖和土地利用的变化有关。").supported


def test_a_chinese_relation_verb_with_its_sides_swapped_is_caught(tmp_path):
    # 创新推动产业升级 is not 产业升级推动创新; the same sides with other words between them pass.
    rag = rag_over(tmp_path, "研究发现，科技创新推动了产业升级，并带动了就业增长。\n")
    assert not judged(rag, "研究发现，产业升级推动了科技创新，并带动了就业增长。").supported
    assert judged(rag, "研究发现，科技创新有力地推动了产业升级，还带动了就业增长。").supported


CHECKED = ("Adapting to local conditions is a key way to prevent overcapacity. "
           "The Third Plenary Session of the 20th National Congress of the Communist Party of China proposed "
           "five improvements and one optimization. "
           "Xi Jinping told the Zhejiang delegation on March 5 that high-quality development is the primary task. "
           "Traditional systems and mechanisms remain suitable for the development of these emerging fields.")


def test_check_says_why_a_sentence_is_not_supported_and_shows_the_closest_source(seeds_rag):
    """`RAG.check`: a supported sentence has its quotes and no reason; a wrong one says what is
    wrong (the figure, the name, the negation) and shows, verbatim, the source sentence it was
    judged against, so that the reader can see the mistake (or the verifier's)."""
    ok, number, name, negated = seeds_rag.check(CHECKED).sentences
    assert ok.supported and ok.citations and ok.reason is None and not ok.closest
    for s, wrong, said in ((number, "5", "Four Improvements"), (name, "Zhejiang", "Jiangsu delegation"),
                           (negated, "opposite", "no longer suitable")):
        assert not s.supported and not s.citations, s
        assert wrong in s.reason, s.reason
        assert any(said in c.quote for c in s.closest), [c.quote for c in s.closest]
        for c in s.closest:
            assert seeds_rag.store.document_text(c.source)[c.start : c.end] == c.quote
    assert "Jiangsu" in name.reason  # the name the source gives in its place


def test_check_cli_json_and_text_give_the_reason_and_exit_1_when_a_sentence_is_unsupported(seeds_rag):
    data = str(seeds_rag.store.dir)
    out = run_cli("check", CHECKED, "--json", "--data-dir", data)
    assert out.returncode == 1, out.stderr  # not everything is supported
    sentences = json.loads(out.stdout)["sentences"]
    assert [s["supported"] for s in sentences] == [True, False, False, False]
    for s in sentences:
        assert {"text", "supported", "score", "citations", "reason", "closest"} <= set(s)
        for c in s["citations"] + s["closest"]:
            assert {"source", "title", "quote", "start", "end"} <= set(c)
    assert sentences[0]["reason"] is None and sentences[0]["citations"]
    assert "opposite" in sentences[3]["reason"] and not sentences[3]["citations"]
    text = run_cli("check", CHECKED, "--data-dir", data).stdout
    assert re.search(r"^\s+why: the source does not state 5\b", text, re.M), text
    assert re.search(r"^\s+closest: “.*no longer suitable.*”", text, re.M), text
    assert run_cli("check", CHECKED.split(". ")[0] + ".", "--data-dir", data).returncode == 0


def test_a_doi_line_is_evidence_for_where_a_paper_appeared_not_for_a_finding(tmp_path):
    # The figure 2 and the year are in the DOI line; only the sentence of the finding states it.
    doi = "Published Online: February 11, 2020. doi:10.1001/jama.2020.1960"
    finding = "Although antiretrovirals can reduce mother-to-child transmission of HIV-1 to 2%, infections still occur."
    rag = rag_over(tmp_path, f"{doi}\n\nThe report describes the outbreak response in several countries.\n\n{finding}\n")
    for claim in ("抗逆转录病毒药物可以把HIV-1母婴传播率降低到2%。",
                  "Antiretroviral drugs can bring mother-to-child transmission of HIV-1 down to 2%."):
        v = judged(rag, claim)
        assert v.supported and all(s.text != doi for s in v.sources), (claim, [s.text for s in v.sources])
        assert any("antiretrovirals" in s.text for s in v.sources)
    (tmp_path / "b").mkdir()
    only_doi = rag_over(tmp_path / "b", f"{doi}\n\nThe report describes the outbreak response in several countries.\n")
    assert not judged(only_doi, "抗逆转录病毒药物可以把HIV-1母婴传播率降低到2%。").supported
    # A claim about the paper itself still rests on its DOI line.
    assert judged(only_doi, "The paper was published online on February 11, 2020.").supported


def test_an_abbreviation_the_dictionary_lacks_names_the_country_across_languages(tmp_path):
    # CC-CEDICT glosses "UK" only as the slang 腐国: "UK" read as a swap for 英国 rejected a true claim.
    rag = rag_over(tmp_path, "在健力士世界纪录大全中，娜塔莎与她的哥哥丹尼尔是英国榜历史上唯一一对兄弟姊妹能各自发展出唱片，"
                             "并均获得第一名。\n\n她的第二张专辑在美国发行。\n")
    assert judged(rag, "Natasha and her brother Daniel are the only siblings in UK chart history to have each "
                       "scored a number-one record.").supported
    assert not judged(rag, "Natasha and her brother Daniel are the only siblings in Canadian chart history to have "
                           "each scored a number-one record.").supported


def test_a_claim_whose_figures_lie_in_three_sentences_cites_all_three(tmp_path):
    # 1,018 and three are in the two sentences that state most of the claim; five is in a third
    # of the same document, which is cited for it. A figure changed ("four"), or one the evidence
    # gives otherwise (nine tasks, where another sentence has ten of something else), is not.
    rag = rag_over(tmp_path,
                   "To address this, the team screened a library of 1,018 drugs approved by regulators. "
                   "Five hit drugs inhibited infection with a selective index above ten. "
                   "The screen was run in Vero cells over several weeks. "
                   "Three of the compounds were calcium inhibitors, so the authors tested more calcium blockers. "
                   "These confirmed that calcium is essential for viral replication.\n\n"
                   "The conference listed innovation as the first of nine key tasks for 2024. "
                   "The government report for this year also sets out ten tasks, led by a modern industrial system.\n")
    v = judged(rag, "After screening 1,018 approved drugs, the team found five hit drugs, three of which were "
                    "calcium inhibitors.")
    assert v.supported, v.reasons
    quoted = " ".join(s.text for s in v.sources)
    assert "1,018" in quoted and "Five hit drugs" in quoted and "Three of the compounds" in quoted, quoted
    assert_verbatim(rag, v)
    assert "the source does not state 4" in judged(rag, "After screening 1,018 approved drugs, the team found five "
                                                       "hit drugs, four of which were calcium inhibitors.").reasons
    assert_rejected(rag, "The conference listed innovation as the first of ten key tasks for 2024.")


def test_a_chinese_passive_turned_round_and_a_sentence_of_another_language(tmp_path):
    # "A 攻灭了 B" where the source says A "被 B 所毁灭": the sides turned round through the
    # passive. A Chinese claim whose evidence is Chinese does not take a second sentence from an
    # unrelated English document whose dictionary glosses happen to match ("look for",
    # "target": 物色, 对象); and a name jieba joined to the next character (杜太为) is found.
    rag = rag_over(tmp_path, "昌昌为奇穆王国的首都，于850年至1470年间逐渐建成，15世纪时被印加帝国所毁灭。"
                             "它是前哥伦布时期南美洲最大的城市。\n\n"
                             "杜太乃食品集团主席，为公司举办「至尊点心厨神」大赛，木咀C刚好在场作欢乐小姐。\n", "zh.txt")
    (tmp_path / "docs" / "en.txt").write_text(
        "The objective was to look for a suitable target population for the survey of influenza.\n")
    rag.ingest([tmp_path / "docs"])
    v = judged(rag, "奇穆王国在15世纪攻灭了印加帝国。")
    assert v.reasons == ["the source states the relation the other way round"], v.reasons
    assert_supported(rag, "奇穆王国的首都昌昌在15世纪被印加帝国所毁灭。", "杜太为公司举办了「至尊点心厨神」大赛。")
    v = judged(rag, "杜太举办「至尊点心厨神」大赛，目的就是替儿子物色结婚对象。")
    assert not v.supported and "the source gives no such purpose" in v.reasons
    assert all("objective" not in s.text for s in v.compared), [s.text for s in v.compared]


def test_a_figure_in_the_sentence_beside_the_evidence(tmp_path):
    # 七岁 is stated by the sentence before the one on her teachers, which shares no other word
    # with the claim: the sentence beside the evidence is cited for the figure. Nine is not.
    rag = rag_over(tmp_path, "王爱爱，女，1940年生，山西省榆次人。七岁从艺，15、6岁就以传统晋剧《教子》、《明公断》、"
                             "《回龙阁》、《樊梨花》等誉满三晋，被称为“金嗓子”。之后先后求师于程玉英和牛桂英，借鉴各家"
                             "唱法，形成了自己独特的爱爱腔。\n", "zh.txt")
    v = judged(rag, "王爱爱七岁开始学戏，后来先后拜程玉英、牛桂英为师，形成了自己独特的爱爱腔。")
    assert v.supported and "七岁从艺" in " ".join(s.text for s in v.sources), v.reasons
    assert "the source does not state 9" in judged(rag, "王爱爱九岁开始学戏，后来先后拜程玉英、牛桂英为师，"
                                                        "形成了自己独特的爱爱腔。").reasons


def test_a_consequence_the_source_does_not_draw_is_rejected(tmp_path):
    # The source stops at the cause; the claim adds "so ..." / "所以……" that it does not state.
    rag = rag_over(tmp_path, "MonoDevelop的Mac OS X版本里包含了Mono的安装程式，但却因为原生OS X平台GTK的拖拉问题而没有"
                             "包含Stetic视觉化设计工具。\n\nThe Linux version of the player ships without the equaliser "
                             "because of a licensing problem, so users install it separately.\n")
    for sentence in ("MonoDevelop的Mac OS X版本因为GTK拖拉问题没有附带Stetic，所以在Mac上根本无法开发图形界面程序。",
                     "The Linux version of the player has no equaliser because of a licensing problem, so nobody can "
                     "adjust the sound on Linux."):
        v = judged(rag, sentence)
        assert v.reasons == ["the source gives no such consequence"], (sentence, v.reasons)
    assert_supported(rag, "MonoDevelop的Mac OS X版本因为GTK的拖拉问题没有包含Stetic视觉化设计工具。",
                     "The Linux version of the player has no equaliser because of a licensing problem, so users "
                     "install it separately.")


def test_a_country_and_its_peoples_word_are_the_same_name(tmp_path):
    # "Chinese companies" where the source says "companies from China" is no swapped name.
    rag = rag_over(tmp_path, "The number of multinational companies from China with leading innovation capabilities "
                             "is still limited.\n\nGerman engineers built the first bridge over the river in 1890.\n")
    assert_supported(rag, "Few Chinese multinational companies have leading innovation capabilities.",
                     "Engineers from Germany built the first bridge over the river in 1890.")
    assert_rejected(rag, "Few Japanese multinational companies have leading innovation capabilities.",
                    "Engineers from France built the first bridge over the river in 1890.")


def test_walking_without_support_is_walking(tmp_path):
    # "without" negates what it governs ("support"), not the walking the claim speaks of.
    rag = rag_over(tmp_path, "Two years later, the patient still suffers right hemiparesis but is able to walk "
                             "without support.\n")
    assert_supported(rag, "Two years on, the patient could walk, although the right hemiparesis persisted.")
    assert_rejected(rag, "Two years on, the patient could not walk, and the right hemiparesis persisted.")


def test_a_comparison_turned_round_against_a_pronoun(tmp_path):
    # "They" are the cotton rats of the sentence before: the claim makes the evidence's loser
    # ("other rodents") the winner.
    rag = rag_over(tmp_path, "Cotton rats are used widely in virology. They have demonstrated higher susceptibility "
                             "to a wider variety of human pathogens than other rodents.\n")
    v = judged(rag, "Compared with cotton rats, other rodents are susceptible to a wider range of human pathogens.")
    assert "the source states the relation the other way round" in v.reasons, v.reasons
    assert_supported(rag, "Compared with other rodents, cotton rats are susceptible to a wider range of human "
                          "pathogens.")


def test_a_chinese_comparison_turned_round_against_english(tmp_path):
    rag = rag_over(tmp_path, "The prevalence rate of TB in Shandong was lower compared with the average rate of "
                             "China in 2000.\n")
    v = judged(rag, "2000年，全国肺结核平均患病率低于山东省的水平。")
    assert "the source states the relation the other way round" in v.reasons, v.reasons
    assert_supported(rag, "2000年，山东省的肺结核患病率低于全国平均水平。")


def test_a_summary_is_checked_for_reversal_part_by_part(tmp_path):
    # The summary joins two findings of the Shandong TB survey; compared as a whole with one
    # clause of the article, its word order read as a relation turned round.
    from rag.evaluation.config import SHARED_DATA_DIR

    data = json.loads((SHARED_DATA_DIR / "covidqa_dev.json").read_text(encoding="utf-8"))
    rag = rag_over(tmp_path, "\n\n".join(data["data"][i]["paragraphs"][0]["context"] for i in (6, 13)))
    v = judged(rag, "In the Shandong survey, more than half of the confirmed TB patients had no lasting cough, and "
                    "asking people about symptoms picked up under half of the confirmed cases, whereas chest X-rays "
                    "picked up nearly all of them.")
    assert v.supported, v.reasons


def test_a_possibility_stated_as_a_finding_is_overreach(tmp_path):
    rag = rag_over(tmp_path, "In this trial, the new vaccine may reduce hospital admissions among older adults, "
                             "although confirmation awaits larger studies.\n")
    assert_rejected_for(rag, "the source says only that it may be so",
                        "The trial showed that the new vaccine effectively reduces hospital admissions among older adults.")
    assert_supported(rag, "The new vaccine may reduce hospital admissions among older adults.")


def test_chinese_sides_turned_through_a_passive_claim_or_the_opposite_adjective(tmp_path):
    # The claim passive where the source is active (被刘婴囚禁 / 囚禁了刘婴); the same thing
    # compared with the opposite adjective (比……多 / 较……少).
    rag = rag_over(tmp_path, "公元九年，王莽在长安秘密囚禁了刘婴。\n\n"
                             "这种梨和苹果一样可以生吃，但水分较一般苹果少。\n", "zh.txt")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "公元九年，王莽在长安被刘婴秘密囚禁。", "这种梨可以生吃，而且水分比一般苹果多。")
    assert_supported(rag, "公元九年，刘婴在长安被王莽秘密囚禁。", "这种梨可以生吃，但水分比一般苹果少。")


def test_a_claim_that_copies_a_sentence_but_for_one_noun_is_a_swap(tmp_path):
    # The noun the claim puts in the sentence's slot is no synonym of the source's (the
    # dictionary gives them no translation in common); a synonym or a quantity word is.
    rag = rag_over(tmp_path, "We should establish a virtuous cycle between education, science and technology, and "
                             "talent.\n\nPositive samples were collected from adult horses and a donkey foal.\n")
    assert_rejected_for(rag, "in the source it is “education”, not “finance”",
                        "We should establish a virtuous cycle between finance, science and technology, and talent.")
    assert_rejected_for(rag, "in the source it is “donkey”, not “pony”",
                        "Positive samples were collected from adult horses and a pony foal.")
    assert_supported(rag, "We should build a virtuous cycle between education, science and technology, and talent.")
    (tmp_path / "zh").mkdir()
    zh = rag_over(tmp_path / "zh", "各地应释放数据要素潜能,推进区域协同创新。\n", "zh.txt")
    assert_rejected_for(zh, "in the source it is “数据”, not “土地”", "各地应释放土地要素潜能，推进区域协同创新。")
    assert_supported(zh, "各地应释放数据要素潜能，推进地区协同创新。")


def test_another_noun_joined_by_and_or_ending_the_claim_is_a_swap(tmp_path):
    # The claim moves the list ("such as X and Y" before "by strengthening ..."), so no
    # alignment pairs the two nouns; or it ends where the sentence goes on ("and industry."
    # against "and talent, and put in place ...").
    rag = rag_over(tmp_path, "Second, we should consolidate the leading position of advantageous industries by "
                             "strengthening the entire industrial chain in fields such as new energy vehicles and "
                             "photovoltaics.\n\nWe should establish a virtuous cycle between education, science and "
                             "technology, and talent, and put in place sound working mechanisms for training talent.\n")
    assert_rejected_for(rag, "in the source it is “photovoltaics”, not “semiconductors”",
                        "The author wants to consolidate the leading position of advantageous industries such as new "
                        "energy vehicles and semiconductors by strengthening the entire industrial chain.")
    assert_rejected_for(rag, "in the source it is “talent”, not “industry”",
                        "The article calls for a virtuous cycle between education, science and technology, and industry.")
    assert_supported(rag, "The author wants to consolidate the leading position of advantageous industries such as new "
                          "energy vehicles and photovoltaics by strengthening the entire industrial chain.",
                     "The article calls for a virtuous cycle between education, science and technology, and talent.")


def test_two_chinese_names_the_other_way_round_around_the_same_verb(tmp_path):
    # Who equalled whose record: the names change places around 平 (追平 / 平了); a passive (被)
    # or two names joined by 和 may put them in either order.
    rag = rag_over(tmp_path, "但在2008年尼克·海费尔德在全年18场比赛中全部完赛，平了蒙泰罗的纪录。\n", "zh.txt")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "2008年，蒙泰罗追平了尼克·海费尔德创下的单赛季完赛场次纪录。")
    assert_supported(rag, "2008年，尼克·海费尔德追平了蒙泰罗创下的单赛季完赛场次纪录。",
                     "2008年，蒙泰罗的纪录被尼克·海费尔德追平。")


def test_a_share_given_as_another_fraction_is_a_wrong_figure(tmp_path):
    rag = rag_over(tmp_path, "挪威海螯虾每年的捕获量大概有60,000多公顿，当中有一半的捕获量来自英国的专属经济区。\n\n"
                             "Only about one third of the samples tested positive.\n", "mixed.txt")
    assert_rejected_for(rag, "the source does not state 33.3%",
                        "挪威海螯虾每年的捕获量约六万多公吨，其中大约三分之一来自英国的专属经济区。")
    assert_rejected_for(rag, "the source does not state 50%", "Only about half of the samples tested positive.")
    assert_supported(rag, "挪威海螯虾每年的捕获量约六万多公吨，其中大约一半来自英国的专属经济区。",
                     "About a third of the samples tested positive.")


def test_a_figure_given_to_another_of_a_numbered_series(tmp_path):
    # The source gives 42.967% to the first axis and 3.632% to the second: the claim's figure and
    # ordinal are both in it, not together.
    rag = rag_over(tmp_path, "The first axis accounts for 42.967% of the total variation, and the second axis accounts "
                             "for 3.632% of the total variation.\n")
    assert_rejected_for(rag, "the source gives this one another ordinal",
                        "In the analysis, the second axis accounted for 42.967% of the total variation.")
    assert_supported(rag, "In the analysis, the first axis accounted for 42.967% of the total variation.",
                     "In the analysis, the second axis accounted for 3.632% of the total variation.")


def test_another_chinese_noun_joined_by_he_is_a_swap(tmp_path):
    rag = rag_over(tmp_path, "要在新能源汽车和光伏等领域强化全产业链优势，巩固优势产业领先地位。\n", "zh.txt")
    assert_rejected_for(rag, "in the source it is “光伏”, not “半导体”",
                        "文章主张在新能源汽车和半导体等领域强化全产业链优势，巩固优势产业的领先地位。")
    assert_supported(rag, "文章主张在新能源汽车和光伏等领域强化全产业链优势，巩固优势产业的领先地位。")


def test_already_where_the_source_only_hopes_or_helps(tmp_path):
    # "has already become", 已经建成 where the source hopes it will become one; a source that
    # tells what has happened ("has been launched", 已) states it.
    rag = rag_over(tmp_path, "The General Secretary hoped that Jiangsu would become an important base for developing "
                             "new quality productive forces.\n\nA phase II clinical trial of the siRNA drug has been "
                             "launched in adults.\n\n总书记希望江苏成为发展新质生产力的重要阵地。\n", "mixed.txt")
    assert_rejected_for(rag, "the source does not say that it is already so",
                        "Jiangsu has already become an important base for developing new quality productive forces.",
                        "江苏已经成为发展新质生产力的重要阵地。")
    assert_supported(rag, "The General Secretary hoped Jiangsu would become an important base for developing new "
                          "quality productive forces.",
                     "A phase II clinical trial of the siRNA drug has already been launched in adults.")


def test_two_things_given_each_others_roles(tmp_path):
    # Which strain is the major parent, which gene encodes which protein: the claim pairs each
    # with the other's role; the same pairs in another order are the source's.
    rag = rag_over(tmp_path, "SAIBK is a chimera virus, with recombination by the SC021202 strain as a major parent "
                             "and the H120 vaccine strain as a minor parent.\n\nThe codon usage bias is nearly contrary "
                             "between the expression of VP60 (encoded by ORF1) and VP10 (encoded by ORF2).\n")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "Recombination analysis identified the H120 vaccine strain as the major parent of SAIBK and "
                        "the SC021202 strain as the minor parent.",
                        "VP60 is encoded by ORF2, while VP10 is encoded by ORF1.")
    assert_supported(rag, "Recombination analysis identified the H120 vaccine strain as the minor parent of SAIBK and "
                          "the SC021202 strain as the major parent.",
                     "VP10 is encoded by ORF2, while VP60 is encoded by ORF1.")


def test_what_not_to_do_is_a_choice_not_a_denial(tmp_path):
    rag = rag_over(tmp_path, "Developing new quality productive forces must be realistic and adapted to local "
                             "conditions. Choosing what to do and what not to do is essential to achieve real results.\n")
    assert_supported(rag, "Developing new quality productive forces must be realistic and adapted to local conditions, "
                          "with clear choices about what to do and what not to do.")
    assert_rejected_for(rag, "the source says the opposite (a negation)",
                        "Developing new quality productive forces need not be realistic or adapted to local conditions.")


def test_a_chinese_claim_is_read_against_the_chinese_abstract_of_a_bilingual_seed(seeds_rag):
    # Seed 001 gives its abstract in English and in Chinese; the English sentence is the closer
    # match for this claim, but the words are compared with the Chinese one.
    assert_rejected_for(seeds_rag, "in the source it is “数据”, not “土地”", "各地应释放土地要素潜能，推进区域协同创新。")
    assert_supported(seeds_rag, "各地应释放数据要素潜能，推进区域协同创新。")


def test_who_supports_whom_turned_round_with_words_used_twice(tmp_path):
    # "developed" and "region" occur twice on each side: the sides of "supporting" still count.
    rag = rag_over(tmp_path, "Additionally, this collaboration can enable developed regions to play a leading role in "
                             "supporting underdeveloped areas, helping to narrow the regional development gap.\n")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "Regional collaboration lets the country's underdeveloped areas take the lead in supporting its "
                        "developed regions, which helps narrow the development gap.")
    assert_supported(rag, "Regional collaboration lets developed regions take the lead in supporting underdeveloped "
                          "areas, which helps narrow the development gap.")


def test_who_chose_whom_turned_round_past_a_count_before_the_name(tmp_path):
    # "被法国诗人选为" (jieba tags 选 "zg"), against a claim whose object is "一位法国诗人".
    rag = rag_over(tmp_path, "苏佩维埃尔出生于乌拉圭蒙得维的亚。1960年被法国诗人选为“诗人王子”，同年在巴黎逝世。\n", "zh.txt")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "1960年，苏佩维埃尔推选一位法国诗人为“诗人王子”。")
    assert_supported(rag, "1960年，苏佩维埃尔被法国诗人推选为“诗人王子”。")


def test_the_group_a_comparison_favours_turned_round(tmp_path):
    rag = rag_over(tmp_path, "Obesity was associated with respiratory infections in the cohort. Stratified analyses "
                             "suggested a stronger association for women and effect modifications by sports activity.\n")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "Stratified analyses pointed to a stronger link between obesity and respiratory infections "
                        "in men than in women.")
    assert_supported(rag, "Stratified analyses pointed to a stronger link between obesity and respiratory infections "
                          "in women than in men.")


def test_a_count_taken_from_another_list_is_caught(tmp_path):
    rag = rag_over(tmp_path, "The spring meeting listed rural roads as the first of eight key measures for 2025. "
                             "In the city budget, school repairs rank first among the top twelve budget measures "
                             "for 2025.\n")
    assert_rejected_for(rag, "the source gives these figures to different things",
                        "The spring meeting put rural roads first among twelve key measures for 2025.")
    assert_supported(rag, "The spring meeting put rural roads first among eight key measures for 2025.")


def test_a_sentence_using_a_defined_abbreviation_states_its_long_form(tmp_path):
    rag = rag_over(tmp_path, "Vero cells were infected and stained for early endosomes (EEs) and endolysosomes (ELs).\n\n"
                             "The virus was titrated on fresh cells every day, and the medium was changed twice.\n\n"
                             "In the untreated cells, most EEs were much smaller than ELs. In treated cells, enlarged "
                             "EE vesicles were seen, many of which are even larger than ELs in the untreated cells.\n")
    # The sentence that states the claim decides: "larger" in the next one, about treated cells,
    # does not make the untreated cells' EEs larger.
    v = judged(rag, "In untreated cells, most early endosomes were much smaller than endolysosomes.")
    assert v.supported and v.sources[0].text == "In the untreated cells, most EEs were much smaller than ELs.", v
    assert_rejected(rag, "In untreated cells, most early endosomes were much larger than endolysosomes.")


def test_words_used_twice_do_not_read_as_a_relation_turned_round(tmp_path):
    # A claim joining two sentences; "work" and "tasks" occur twice, which left the noun "report"
    # alone to stand for the relation, its neighbours on the other side of it.
    rag = rag_over(tmp_path, "The Central Economic Work Conference held at the end of last year deployed economic work "
                             "for 2024, placing \"leading the construction of a modern industrial system with "
                             "technological innovation\" as the first of nine key tasks. In this year's government work "
                             "report, \"vigorously promoting the construction of a modern industrial system and "
                             "accelerating the development of new quality productive forces\" ranks first among the top "
                             "ten government tasks for 2024.\n")
    assert_supported(rag, "Building a modern industrial system tops both the Central Economic Work Conference's list of "
                          "key tasks for 2024 and the government work report's list of this year's major tasks.")


def test_a_cause_the_source_does_not_link_is_overreach(tmp_path):
    rag = rag_over(tmp_path, "In 2019 the paper mill upstream installed new filters. River trout numbers in the valley "
                             "grew a third over the decade.\n")
    assert_rejected_for(rag, "the source does not say that one caused the other",
                        "The new filters the paper mill installed in 2019 directly caused river trout numbers in the "
                        "valley to grow a third.")
    assert_supported(rag, "In 2019 the paper mill upstream installed new filters, and river trout numbers in the valley "
                          "grew a third over the decade.")


def test_wikipedia_script_variant_markup_names_one_person(tmp_path):
    # CMRC paragraphs keep markup such as -{zh-cn:尤塞恩·博尔特;zh-hk:保特;zh-tw:尤塞恩·柏特}-: one
    # person, not three names of which the claim's would be the wrong one.
    rag = rag_over(tmp_path, "8月16日进行的决赛阶段，牙买加运动员-{zh-cn:尤塞恩·博尔特;zh-hk:保特;zh-tw:尤塞恩·柏特}-以破世界纪录的"
                             "9秒69成绩夺得奥运男子100米金牌。\n", "zh.txt")
    v = judged(rag, "博尔特在8月16日的决赛中以9秒69夺得奥运男子100米金牌。")
    assert v.supported, v.reasons
    assert "-{zh-cn:" in v.sources[0].text  # the quote is the text as it is


def test_an_english_word_that_carries_its_negation_matches_a_chinese_negation(tmp_path):
    # "odourless" is what the Chinese source says with 不: no polarity clash across languages.
    rag = rag_over(tmp_path, "这种木材不带有气味，光洁而且质轻，因此曾广泛用来制作装牛油的盒子。\n", "zh.txt")
    assert_supported(rag, "Because the wood is odourless, smooth and light, it was widely made into butter boxes.")


def test_a_claim_in_the_authors_voice_is_no_swap_for_the_name_the_sentence_gives(tmp_path):
    # The essay's author argues what the sentence says about a governor's plan: "Lind holds that"
    # names the byline, not someone the sentence should have named. Another name is a swap still.
    rag = rag_over(tmp_path, "Rivers of the North\n\nBy Mara Lind\n\nThe restoration plan that Governor Ortiz "
                             "announced in May is a practical way to protect the salmon runs of the valley.\n")
    assert_supported(rag, "Mara Lind holds that the restoration plan announced in May is a practical way to protect "
                          "the salmon runs of the valley.",
                          "Lind argues that the restoration plan is a practical way to protect the valley's salmon runs.")
    assert_rejected(rag, "Peter Voss holds that the restoration plan announced in May is a practical way to protect "
                         "the salmon runs of the valley.")


def test_bylines_and_reference_lines_give_the_authors():
    from rag.bylines import authors

    assert authors("Nav Search\n\nAccelerating Growth\n\nBy Qiu Ping Source: Updated: 2024-05-30\n\nText.") == ("Qiu Ping",)
    assert authors("Text.\nThe author is Tang Yunyi, the Deputy Director of the Institute.") == ("Tang Yunyi",)
    assert authors("Title\nAuthors: Kin, Nathalie; Guerard, Pauline\nAbstract: ...")[:2] == ("Nathalie Kin", "Pauline Guerard")
    assert authors("张夏恒, 马妍. 因地制宜发展新质生产力的必要性[J]. 北京工业大学学报, 2024, 24(4): 118-130.") == ("张夏恒", "马妍")
    assert authors(" The Necessity of Local Conditions\n\nZHANG Xiaheng, MA Yan'\n(1. School of Management)") == \
        ("Zhang Xiaheng", "Ma Yan")
    assert authors("The DNA Algorithm was run on an IBM System.") == ()


def test_a_superlative_where_the_source_ranks_nothing_is_rejected(tmp_path):
    rag = rag_over(tmp_path, "Lenghu is a county-level district of Qinghai province that governs a single town.\n\n"
                             "冷湖是青海省下辖的一个县级行政区，全境仅辖一个镇。\n", "doc.txt")
    assert_rejected_for(rag, "the source gives no such superlative",
                        "Lenghu is the most populous county-level district of Qinghai province.",
                        "冷湖是青海省人口最多的县级行政区。")
    assert_supported(rag, "Lenghu is a county-level district of Qinghai that governs a single town.")


def test_a_degree_played_down_is_rejected():
    src = _results("The holiday greatly aggravated the shortage of nursing staff in the city's hospitals.")
    v = verify("The holiday had only a minor effect on the shortage of nursing staff in the city's hospitals.",
               src, None, 0.3)[0]
    assert not v.supported and "the source says “greatly”, not “minor”" in v.reasons, v.reasons
    assert verify("The holiday greatly aggravated the shortage of nursing staff in hospitals.", src, None, 0.3)[0].supported


def test_a_word_the_source_uses_itself_asserts_nothing_new():
    # "directly" in the claim is the source's own word; "has been shown to" is a finding the
    # source only hopes for.
    src = _results("The drugs do not act by inactivating the virus directly, suggesting that they may block "
                   "its replication instead.")
    assert verify("The drugs may block replication of the virus rather than inactivating the virus directly.",
                  src, None, 0.3)[0].supported
    v = verify("The drugs have been shown to block replication of the virus.", src, None, 0.3)[0]
    assert "the source says only that it may be so" in v.reasons, v.reasons


def test_chinese_words_taken_from_the_sentence_before_are_a_swap():
    # jieba tags neither king's name: the words standing where the source has others are compared.
    src = _results("1085年，卡斯蒂利亚国王阿方索六世第一次攻下托莱多城。此后又经过多年争夺，在1212年，卡斯蒂利亚国王阿方索八世最终击败穆瓦希德王朝。")
    v = verify("1212年，卡斯蒂利亚国王阿方索六世最终击败穆瓦希德王朝。", src, None, 0.3)[0]
    assert not v.supported and any("八世" in r for r in v.reasons), v.reasons
    assert verify("1212年，卡斯蒂利亚国王阿方索八世最终击败了穆瓦希德王朝。", src, None, 0.3)[0].supported


def test_two_names_swapped_with_each_other_across_clauses(tmp_path):
    rag = rag_over(tmp_path, "Wuhan, the epicenter of the outbreak, is racing against time to build two specialized "
                             "hospitals, namely Huoshenshan and Leishenshan hospital, whereas a different strategy has "
                             "been undertaken in Shenzhen city by reconstructing an existing hospital.\n")
    assert_rejected_for(rag, "in the source it is “Wuhan”, not “Shenzhen”",
                        "Shenzhen raced to build the Huoshenshan and Leishenshan hospitals, while Wuhan "
                        "reconstructed an existing hospital.")


def test_accented_names_ranges_with_one_unit_and_first_in_chinese():
    from rag.claims import entities, entity_found, letters

    assert "Pará" in entities("Samples came from the state of Pará, Brazil.")
    text = "Samples came from the state of Pará, Brazil."
    assert entity_found("帕拉", text, letters(text), "", set())  # Chinese writes r as l
    assert 150_000.0 in numbers_ordinals("芬兰蕴藏量达15至20万吨")[0]
    assert 2_000_000.0 in numbers_ordinals("between 2 to 3 million people")[0]
    src = _results("硝酰氟（化学式：NOF）是最常见的硝酰盐之一。它首先由莫瓦桑于1905年制得。")
    assert verify("硝酰氟是最常见的硝酰盐之一，1905年由莫瓦桑首次制得。", src, None, 0.3)[0].supported


def test_a_claim_is_searched_for_without_whose_words_it_gives():
    from rag.claims import without_attribution

    assert without_attribution("Qiu Ping holds that productive forces must adapt.") == "productive forces must adapt."
    assert without_attribution("在张夏恒、马妍看来，因地制宜是现实选择。") == "因地制宜是现实选择。"
    assert without_attribution("As the defining feature, green development is intrinsic.") == \
        "As the defining feature, green development is intrinsic."


def test_paraphrases_a_new_writer_used_are_not_read_as_errors():
    # Each had been rejected: a figure in words, an acronym for a name spelled out (alone, or in a
    # name of several words: "CPC National Congress"), a body part
    # ("lower respiratory") read as the opposite of "higher", a phrase moved before the subject
    # read as a relation turned round, "only one of five" read as exclusivity, a verb for a verb
    # (占有 / 拥有) read as another name.
    assert numbers_ordinals("Two hundred forty-eight of 11,399 (2.2%) were positive.")[0] == {248.0, 11399.0, 2.2}
    assert numbers_ordinals("twenty-five people and one hundred and five")[0] == {25.0, 105.0}
    cases = [
        ("Two hundred forty-eight of 11,399 children (2.2%) were positive for HBoV1.",
         "248 of the 11,399 children (2.2%) were positive for HBoV1."),
        ("On March 5 Xi Jinping joined the Jiangsu delegation at the second session of the 14th National People's "
         "Congress.", "On March 5 Xi Jinping joined the Jiangsu delegation at the second session of the 14th NPC."),
        ("Obesity was associated with lower respiratory tract infections, with a higher risk in women.",
         "Obesity was associated with lower respiratory tract infections, with a higher risk in women in the cohort."),
        ("According to the index released by the academy, China is still in the third echelon of manufacturing.",
         "China is still in the third echelon of manufacturing, according to the academy's index."),
        ("Four of the five patients with severe pneumonia died despite respiratory support.",
         "Only one of the five patients with severe pneumonia survived despite respiratory support."),
        ("按照传统，总理在国会中拥有一个席位，这个席位设在下议院。", "按照传统，总理在国会中占有一个席位，这个席位设在下议院。"),
        ("The Third Plenary Session of the 20th National Congress of the Communist Party of China proposed the "
         "Four Improvements.", "The Third Plenary Session of the 20th CPC National Congress proposed the Four Improvements."),
    ]
    for source, claim in cases:
        v = verify(claim, _results(source), None, 0.3)[0]
        assert not any(r.startswith(("the source does not state", "the source names", "the source says “",
                                     "the source states the relation", "the source does not say “only”",
                                     "in the source it is")) for r in v.reasons), (claim, v.reasons)


def test_counts_the_claim_makes_itself_and_figures_read_from_words(tmp_path):
    # A count of the claim's own list ("three-part: a, b and c") needs no figure in the source,
    # unless the source gives a count; "six in ten" is 60.8%, 两次 is twice, “十四五” is the 14th
    # Five-Year Plan, and 第四场 is "Game 4".
    rag = rag_over(tmp_path,
                   "First, we should upgrade traditional industries. Second, we should consolidate "
                   "advantageous industries. Third, we should cultivate future-oriented industries.\n\n"
                   "Of all participants, 764 (60.8%) were nurses, and 493 (39.2%) were physicians.\n\n"
                   "在1981年、2001年《中朝友好合作互助条约》两次自动续期，现在有效期至2021年。\n\n"
                   "This year is a key year for achieving the goals of the 14th Five-Year Plan.\n\n"
                   "在系列赛第四场比赛中，主队落后24分后逆转获胜。\n\n"
                   "The Third Plenary Session proposed the “Four Improvements” and “One Optimization”.\n")
    strategy = ("The article lays out a {}-part industrial strategy: upgrade traditional industries, "
                "consolidate advantageous industries, and cultivate future-oriented industries.")
    assert judged(rag, strategy.format("three")).supported
    assert not judged(rag, strategy.format("seven")).supported
    assert judged(rag, "Roughly six in ten of the participants were nurses and about four in ten were "
                       "physicians.").supported
    assert not judged(rag, "Roughly three in ten of the participants were nurses.").supported
    assert judged(rag, "The treaty was automatically renewed twice, in 1981 and 2001, and is now valid "
                       "until 2021.").supported
    assert not judged(rag, "The treaty was automatically renewed three times, in 1981 and 2001.").supported
    assert judged(rag, "今年是实现“十四五”规划目标的关键一年。").supported
    assert not judged(rag, "今年是实现“十三五”规划目标的关键一年。").supported
    assert judged(rag, "In Game 4 of the series, the home team came back from 24 points down to win.").supported
    # A count is no label: 三个完善 is not the "Third" of the plenary session.
    assert not judged(rag, "三中全会提出了“三个完善”和“一个优化”。").supported
    assert judged(rag, "三中全会提出了“四个完善”和“一个优化”。").supported
    assert not judged(rag, "In Game 6 of the series, the home team came back from 24 points down to win.").supported


def test_negations_in_other_words_agree(tmp_path):
    # "non-enveloped" is "without envelope"; 从没 is 从未: a paraphrase, no negation read into it.
    rag = rag_over(tmp_path, "RHDV is a single positive stranded RNA virus without envelope.\n\n"
                             "挺举比赛中，占旭刚举起了在训练中从未举起的207.5公斤。\n")
    assert judged(rag, "RHDV is a non-enveloped, single positive-stranded RNA virus.").supported
    assert not judged(rag, "RHDV is an enveloped, single positive-stranded RNA virus.").supported
    assert judged(rag, "挺举时占旭刚举起了训练中从没成功过的207.5公斤。").supported
    assert not judged(rag, "挺举时占旭刚举起了训练中成功举起过的207.5公斤。").supported


def test_names_across_languages_by_abbreviation_demonym_and_era():
    # 西澳 is Western Australia (the first two characters of 西澳大利亚, no word of their own),
    # "Chinese" names 中国, "Brazilian" 巴西; "AD" is an era, no name; 联合 is no United Kingdom.
    text = "1628年，一艘船在西澳触礁沉没。首钢与其他四家中国企业收购了巴西矿冶公司15%的股权。"
    assert C.unmentioned(["Western Australia", "Chinese", "Brazilian"], text) == []
    assert C.unmentioned(["United Kingdom", "Japanese"], "联合起来的企业") == ["United Kingdom", "Japanese"]
    assert "AD" not in C.entities("In 997 AD, the Bulgarian Tsar Samuel invaded Greece.")


def test_opposite_directions_across_languages_and_a_noun_before_de_are_caught(tmp_path):
    # 正相关 against "negatively correlated"; "promotes" against "inhibits"; 地方政府的 in the place
    # of 企业 (the particle 的 is no part of the noun).
    rag = rag_over(tmp_path, "Conversely, HBoV1 prevalence was negatively correlated with relative humidity.\n\n"
                             "Chloroquine inhibits the glycosylation of the cellular receptor ACE2.\n\n"
                             "坚持全面深化改革,打通束缚发展堵点;调整优化金融供给,减轻企业融资压力;完善招才引智体系。\n")
    assert not judged(rag, "该研究发现，HBoV1的流行率与平均相对湿度呈显著正相关。").supported
    assert judged(rag, "该研究发现，HBoV1的流行率与相对湿度呈负相关。").supported
    assert not judged(rag, "Chloroquine promotes the glycosylation of the cellular receptor ACE2.").supported
    assert judged(rag, "Chloroquine inhibits glycosylation of the ACE2 cellular receptor.").supported
    assert not judged(rag, "文章提出要调整优化金融供给，以减轻地方政府的融资压力。").supported
    assert judged(rag, "文章提出要调整优化金融供给，以减轻企业的融资压力。").supported


def test_a_year_the_source_writes_inside_a_code_is_stated_across_languages(tmp_path):
    # 2019新型冠状病毒 is the 2019-nCoV of the English source; a year it does not write is not.
    rag = rag_over(tmp_path, "To date approximately 14% of cases of 2019-nCoV have been described as severe by "
                             "WHO, with a case-fatality rate of 2.1%.\n")
    assert judged(rag, "据世界卫生组织的描述，约有14%的2019新型冠状病毒病例属于重症，病死率为2.1%。").supported
    assert not judged(rag, "据世界卫生组织的描述，约有14%的2020新型冠状病毒病例属于重症，病死率为2.1%。").supported


def test_an_owner_an_acronym_of_mixed_case_and_a_gloss_in_brackets_are_no_other_names(tmp_path):
    # "China's Five Industrial Bases" names the bases (China owns them); "French BCoV" is the
    # title's French Bovine coronavirus; "(Cepheid)" glosses the GeneXpert system, no swap partner.
    rag = rag_over(tmp_path, "First Complete Genome Sequence of a French Bovine Coronavirus Strain\n\n"
                             "This BCoV was directly sequenced from a fecal sample collected from a calf in Normandy "
                             "in 2014.\n\nAccording to the Manufacturing Development Power Index released by the "
                             "Chinese Academy of Engineering, China is still in the third echelon. The Five "
                             "Industrial Bases remain highly dependent on foreign sources, indicating an unstable "
                             "industrial foundation.\n\nRapid PCR-based respiratory virus tests have been introduced "
                             "in recent years; the GeneXpert system (Cepheid), for instance, was introduced in New "
                             "South Wales in July 2017.\n")
    assert_supported(rag, "The French BCoV genome was sequenced directly from the faeces of a calf sampled in "
                          "Normandy in 2014.",
                     "The author warns that China's Five Industrial Bases still rely heavily on foreign sources, "
                     "which leaves the industrial foundation unstable.",
                     "The GeneXpert rapid PCR system was introduced in New South Wales in July 2017.")


def test_a_list_member_ordinal_and_ranking_turned_in_one_sentence(tmp_path):
    rag = rag_over(tmp_path, "From the first proposal during local inspections in 2023, to the Central Political "
                             "Bureau's first collective study focusing again this year, and then to the in-depth "
                             "explanation at this year's National Two Sessions, the General Secretary has put forward "
                             "clear requirements.\n\nSecond, we should consolidate the leading position of advantageous "
                             "industries by strengthening the entire industrial chain in fields such as new energy "
                             "vehicles and photovoltaics.\n\nThe distribution of species was as follows: HCoV-OC43 "
                             "(34%), HCoV-229E (28%), HCoV-NL63 (22%), and HCoV-HKU1 (16%).\n")
    # The study is the Bureau's first, though "Two Sessions" holds a two.
    assert_rejected_for(rag, "the source gives this one another ordinal",
                        "The idea was first raised during local inspections in 2023, and the Central Political "
                        "Bureau took it up again at its second collective study this year.")
    assert_rejected_for(rag, "in the source it is “vehicles”, not “semiconductors”",
                        "The article cites semiconductors and photovoltaics as examples of advantageous industries "
                        "whose entire industrial chains should be strengthened.")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "HCoV-HKU1 was the most common species detected, followed by HCoV-229E at 28%.")
    assert_supported(rag, "The idea was first raised during local inspections in 2023, and the Central Political "
                          "Bureau took it up again at its first collective study this year.",
                     "HCoV-OC43 was the most common species detected, followed by HCoV-229E at 28%.")


def test_a_fronted_count_and_a_heading_do_not_turn_a_relation_round(tmp_path):
    # "RESULTS: Of 23,646 suspected cases, 119 were confirmed by laboratory results": turned to the
    # active, without its heading and the fronted "Of ...", it is "laboratory results confirmed 119".
    # The sentence before shares as many words with the claim, in another order.
    rag = rag_over(tmp_path, "METHODS: It was a surveillance system-based study, for which data from a total of "
                             "23,646 suspected patients in Riyadh and Al Qassim regions were analyzed from January 2017 "
                             "until December 2017 to estimate the prevalence of MERS-CoV among suspected cases and to "
                             "determine potential demographic risk factors related to the confirmation of the "
                             "diagnosis. RESULTS: Of 23,646 suspected cases, 119 (0.5%) were confirmed by laboratory "
                             "results. These confirmed cases (67.2% of which were males) had a mean age of 43.23 "
                             "years.\n")
    assert_supported(rag, "Laboratory testing confirmed MERS-CoV in just 119 of the 23,646 suspected patients, or "
                          "about half a percent.")


def test_two_people_paired_with_the_others_age_and_channels_turned_round(tmp_path):
    # 玉郎 is used again later (玉郎机构), in a clause that shares nothing else with the claim.
    rag = rag_over(tmp_path, "13岁跟随漫画师父上官玉郎（莫君岳）学习，14岁成为上官小宝（邝东源）入室弟子，黄钧岳亦是牛佬入行的"
                             "启蒙老师，到了八十年代初再加入玉郎机构。\n\nIndustries are the channels through which "
                             "productive forces function.\n", "mixed.txt")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "牛佬13岁时跟随上官小宝学画，14岁又成为上官玉郎的入室弟子。",
                        "Qiu Ping describes productive forces as the channels through which industries function.")
    assert_supported(rag, "牛佬13岁时跟随上官玉郎学画，14岁又成为上官小宝的入室弟子。",
                     "In the author's account, industries are the channels through which productive forces function.")


def test_chinese_swaps_of_a_long_body_name_a_listed_attribute_and_a_name_spelt_by_sound(tmp_path):
    rag = rag_over_files(tmp_path, {"baobab.txt": "2009年，美国食品和药物管理局批准猴面包干果肉作为公认安全的食品配料。\n",
                                    "book.txt": "书中这些人都被赋予明显的性格：D'Alembert是思考者、Diderot是谈论者、"
                                                "Galiani是智者。\n",
                                    "church.txt": "在主要的入口后，有由拉吉（Antonio Raggi）设计的圣嘉禄·鲍荣茂像。\n"})
    assert_rejected_for(rag, "in the source it is “美国食品和药物管理局”, not “欧盟”",
                        "2009年，欧盟批准猴面包干果肉作为公认安全的食品配料。")
    assert_rejected_for(rag, "in the source it is “D'Alembert”, not “Diderot”", "在这本书里，Diderot被赋予的性格是“思考者”。")
    # 贝尼尼, which jieba does not tag as a name, is one by its characters.
    assert_rejected_for(rag, "the source names “Antonio Raggi”, “拉吉”, not “贝尼尼”", "主入口后方的圣嘉禄·鲍荣茂像出自贝尼尼之手。")
    assert_supported(rag, "2009年，美国食品和药物管理局批准猴面包干果肉作为公认安全的食品配料。",
                     "在这本书里，Diderot被赋予的性格是“谈论者”。", "主入口后方的圣嘉禄·鲍荣茂像由拉吉设计。")


def test_the_subject_of_another_clause_and_one_noun_put_for_another_in_any_order(tmp_path):
    rag = rag_over_files(tmp_path, {"rsv.txt": "RSV exhibited a clear seasonality with marked peaks in January/February, "
                                               "while rhinovirus infections did not exhibit a pronounced seasonality "
                                               "being detected almost throughout the year.\n",
                                    "talent.txt": "As our primary resource, talent is, in essence, the locomotive of "
                                                  "innovation.\n"})
    # What the source says of rhinovirus, said of RSV, the subject of the clause before.
    assert_rejected_for(rag, "in the source it is “rhinovirus”, not “RSV”",
                        "RSV showed no pronounced seasonality and was detected almost throughout the year.")
    # Every word but one is the sentence's, in another order; its one other word is "talent".
    assert_rejected_for(rag, "in the source it is “talent”, not “capital”",
                        "Capital is our primary resource and, in essence, the locomotive of innovation.")
    assert_supported(rag, "RSV exhibited a clear seasonality, with marked peaks in January and February.",
                     "Talent is our primary resource and, in essence, the locomotive of innovation.")


def test_a_source_states_every_and_as_soon_as_possible_in_plainer_words(tmp_path):
    # "every region" where the source says "For all regions"; "as soon as possible" for "as
    # quickly as possible"; 只有 for 唯独.
    rag = rag_over_files(tmp_path, {"regions.txt": "For all regions, the key is to make good use of the methodology of "
                                                   "adapting to local conditions.\n",
                                    "calves.txt": "As the disease progresses quickly and is lethal, diagnosis and "
                                                  "treatment should be initiated as quickly as possible.\n",
                                    "hansui.txt": "韩遂在潼关之战失败后，逃到湟中，部众四散，唯独成公英跟随。\n"})
    assert_supported(rag, "Every region should make good use of the methodology of adapting to local conditions.",
                     "As the disease progresses quickly and is lethal, diagnosis and treatment should start as "
                     "soon as possible.",
                     "韩遂在潼关之战失败后逃到湟中，部众四散，只有成公英跟随。")


def test_what_persists_against_what_has_stopped_is_a_negation(tmp_path):
    # "remained relevant" against "no longer relevant" (the date's comma ends no clause); "have
    # shed their dependence" against "remain highly dependent"; "still bound" against "lost".
    rag = rag_over_files(tmp_path, {"predictions.txt": "It makes the predictions reported on February 10, 2020, no "
                                                       "longer relevant.\n",
                                    "bases.txt": "The Five Industrial Bases remain highly dependent on foreign "
                                                 "sources.\n",
                                    "mutant.txt": "The mutant lacking the S-palmitoylation site in the TM1 domain "
                                                  "lost the interaction with FKBP11.\n"})
    assert_rejected_for(rag, "the source says “no longer”, not “remain”",
                        "The predictions reported on February 10, 2020 remained fully relevant.")
    assert_rejected_for(rag, "the source says “remain”, not “shed”",
                        "The Five Industrial Bases have largely shed their dependence on foreign sources.")
    assert_rejected_for(rag, "the source says “lost”, not “still”",
                        "The mutant lacking the S-palmitoylation site in the TM1 domain still kept the interaction "
                        "with FKBP11.")
    assert_supported(rag, "The predictions reported on February 10, 2020 are no longer relevant.",
                     "The Five Industrial Bases remain highly dependent on foreign sources.",
                     "The mutant lacking the S-palmitoylation site in the TM1 domain lost its interaction with FKBP11.")


def test_negations_jieba_keeps_whole_and_a_denied_word_in_a_clause_of_its_own(tmp_path):
    # 仍未有 is one of jieba's words (仍/未有): a denial, as 没有 is. "但并不迫切" denies one word,
    # 迫切, of a sentence that states it.
    rag = rag_over_files(tmp_path, {"tv.txt": "当时很多人家中仍未有电视机，凉茶店也成为附近街坊集体看电视的地方。\n",
                                    "urgent.txt": "因地制宜发展新质生产力重要且迫切,体现在其为实现高质量发展提供强劲推动力。\n"})
    assert_rejected_for(rag, "the source says the opposite (a negation)", "当时很多人家中已经有了电视机，凉茶店也成为街坊看电视的地方。",
                        "因地制宜发展新质生产力虽然重要，但并不迫切。")
    assert_supported(rag, "那时不少家庭还没有电视机，凉茶店也成为附近街坊集体看电视的地方。", "因地制宜发展新质生产力既重要又迫切。")


def test_a_rank_dropped_and_reference_marks_are_no_figures(tmp_path):
    rag = rag_over_files(tmp_path, {"horses.txt": "Ireland exports horses all over the world. By illustration, in "
                                                  "2016 the country was the second biggest seller of bloodstock at "
                                                  "public auctions second only to the USA [19] .\n",
                                    "wuhan.txt": "On the contrary, the previously reported mortality of 2019-nCoV "
                                                 "patients in Wuhan ranged from 11 to 15% [1, 9] .\n"})
    # "the biggest seller" makes first what the source ranks second.
    assert_rejected_for(rag, "the source says “second biggest”",
                        "In 2016 the country was the biggest seller of bloodstock at public auctions.")
    # "[1, 9]" marks the paper's references: 9 is no figure the source states.
    assert numbers_ordinals("ranged from 11 to 15% [1, 9] .")[0] == {11.0, 15.0}
    assert_rejected_for(rag, "the source does not state 9",
                        "The previously reported mortality of 2019-nCoV patients in Wuhan ranged from 9 to 15%.")
    assert_supported(rag, "In 2016 the country was the second biggest seller of bloodstock at public auctions.",
                     "The previously reported mortality of 2019-nCoV patients in Wuhan ranged from 11 to 15%.")


def test_a_superlative_from_another_sentence_of_the_document(tmp_path):
    # The town's "most important" industry is stated by a sentence of its own, which the summary
    # cites beside the others.
    rag = rag_over(tmp_path, "一开始瓦士本市的经济依靠木材加工业，在湖畔有许多锯房。1905年杜邦在市郊建造了一座炸药厂，木材逐渐减少后"
                             "这个厂成为重要的雇主。1971年该厂关闭，对当地的经济是一个巨大的打击。目前瓦士本市最主要的经济是旅游业。\n")
    assert_supported(rag, "瓦士本市的经济一开始依靠木材加工业，如今最主要的经济是旅游业。",
                     # 是 between a thing and its superlative names one thing twice, either way round.
                     "瓦士本市的经济一开始依靠木材加工业，如今旅游业是当地最主要的经济。")
    assert_rejected(rag, "瓦士本市最主要的经济是木材加工业。")


def test_a_noun_put_for_the_one_that_ends_the_copied_stretch(tmp_path):
    # The claim's one other noun ends it, where the sentence goes on past what the claim copies
    # with a noun of its own.
    rag = rag_over(tmp_path, "MERS-CoV in Saudi Arabia\n\nThe index case was a 45-year-old man who had contact with "
                             "camels. Samples were tested at the central laboratory.\n")
    assert_rejected_for(rag, "in the source it is “camels”, not “goats”",
                        "The index case, a 45-year-old man, had been in contact with goats.")
    assert_supported(rag, "The index case, a 45-year-old man, had been in contact with camels.")


def test_a_sentence_that_refers_back_speaks_of_the_subject_its_document_opens_with(tmp_path):
    # 她 in the cited sentence is the swimmer the article opens with (CMRC 2018, trial 226): the
    # claim may name her, though the sentences beside it name other swimmers. A sentence that
    # names someone the claim leaves out is still read for a swap.
    rag = rag_over_files(tmp_path, {"swimmer.txt": "玛格达莱娜·约翰娜·玛丽亚·“马伦”·费尔德海斯（，），荷兰女子游泳运动员。她是前50米自由式世界纪录保持者（长池），时间为24秒09，她现"
                                                   "时和队友一起保持4x100地自由式接力纪录，刷新地点是燕豪芬举行的欧洲游泳锦标赛2008（长池）。她亦是50米自由式短池的世界纪录保持者，时"
                                                   "间为23秒58，由2007年11月17日一直保持至现在。在之前，她赢得2004年世锦赛50米自由式短池的金牌和代表荷兰队于2006年世锦赛取"
                                                   "得4×100米自由式的金牌。费尔德海斯出生于荷兰的博尔讷。她在荷兰东部成长。费尔德海斯是前水球运动员。她赢得2004年世锦赛50米自由泳金牌"
                                                   "，击败澳洲的莉比·兰顿和瑞典的艾沙马。2004年奥运会，她伙拍队友英格·德布鲁因、恩赫·德克和格鲁特赢得4x100米自由式接力铜牌。她在短池"
                                                   "的赛事亦很成功，在世界杯50米自由式游得24秒07。2006年世锦赛，伙拍格鲁特、欣克琳·斯勒德和恩赫·德克的她，赢得4x100米自由式接力"
                                                   "金牌并打破世界纪录。柏林举行的2007年世界杯系列赛，她打破瑞典的艾沙马保持的50米自由式世界纪录23秒59，她游得23秒58。\n",
                                    "film.txt": "李克勤，香港男歌手及演员。1955年，张瑛与吴楚帆在该片中合演了父子。\n"})
    assert_supported(rag, "费尔德海斯在2007年柏林世界杯系列赛上游出23秒58，打破了瑞典选手艾沙马保持的50米自由泳世界纪录。")
    assert_rejected(rag, "1955年，李克勤与吴楚帆在该片中合演了父子。")


def test_a_numbered_heading_opens_a_sentence_its_first_word_is_no_name():
    # "(2) Deepen two aspects of understanding": a verb opening a numbered heading.
    assert C.entities("(2) Deepen two aspects of understanding") == []
    assert C.entities("(2) Jiangsu leads the way") == ["Jiangsu"]


def test_a_place_no_retrieved_passage_gives(tmp_path):
    # "Africa" is nowhere in the documents: a claim that names it is not what they say. Only
    # places: "the Moon" is their "moon", and "Xi" may be whom they call the General Secretary.
    rag = rag_over_files(tmp_path, {"jiangsu.txt": "The General Secretary pointed out that Jiangsu has good conditions "
                                                   "and capabilities to develop new quality productive forces.\n",
                                    "moon.txt": "The moon landing was broadcast live to hundreds of millions of "
                                                "viewers.\n"})
    assert_rejected_for(rag, "the documents found do not name “Africa”",
                        "Jiangsu has good conditions and capabilities to develop new quality productive forces in "
                        "Africa.")
    assert_supported(rag, "The Moon landing was broadcast live to hundreds of millions of viewers.",
                     "Xi pointed out that Jiangsu has good conditions and capabilities to develop new quality "
                     "productive forces.")


def test_a_denial_jieba_keeps_in_one_word(tmp_path):
    # 还谈不上迫切 is 还/谈不上/迫切: "cannot yet be called urgent" denies the source's 迫切.
    rag = rag_over(tmp_path, "因地制宜发展新质生产力重要且迫切，体现在其为实现高质量发展提供强劲推动力。\n")
    assert_rejected_for(rag, "the source says the opposite (a negation)", "因地制宜发展新质生产力固然重要，但还谈不上迫切。")
    assert_supported(rag, "因地制宜发展新质生产力既重要又迫切。")


def test_an_ordinal_given_to_the_one_another_ordinal_counts(tmp_path):
    # Both ordinals are in the source, each of another king: the words after them say whose.
    rag = rag_over(tmp_path, "明圣王后金氏，本贯清风。清风府院君金佑明之长女，朝鲜王朝第18代君主显宗的王妃，第19代君主肃宗的母亲。\n")
    assert_rejected_for(rag, "the source gives this one another ordinal", "明圣王后是朝鲜王朝第19代君主显宗的王妃。")
    assert_supported(rag, "明圣王后是朝鲜王朝第18代君主显宗的王妃。")


def test_another_measure_word_or_the_opposite_direction(tmp_path):
    # 一座城镇 for 一个城镇 counts the same town; 以东 for 以西 puts it elsewhere.
    rag = rag_over(tmp_path, "莫扎伊斯克，俄罗斯莫斯科州的一个城镇，位于莫斯科以西约110千米处。\n")
    assert_supported(rag, "莫扎伊斯克是俄罗斯莫斯科州的一座城镇，位于莫斯科以西大约110千米。")
    assert_rejected_for(rag, "the source says “以西”, not “以东”", "莫扎伊斯克是俄罗斯莫斯科州的一座城镇，位于莫斯科以东约110千米。")


def test_an_abbreviation_the_claim_spells_out_is_no_other_name(tmp_path):
    # "an infectious disease hospital" is the passage's "IDH": the clause that says it names no one
    # else. Wuhan and Shenzhen, swapped, still are.
    rag = rag_over(tmp_path, "Shenzhen's strategy against 2019-nCoV\n\nDesignated infectious diseases hospitals (IDH) "
                             "received the patients. Wuhan is racing against time to build two specialized hospitals, "
                             "whereas Shenzhen reconstructed an existing hospital to become an IDH with 800 beds.\n")
    assert_supported(rag, "While Wuhan rushed to build two hospitals, Shenzhen converted an existing hospital into an "
                          "infectious disease hospital with 800 beds.")
    assert_rejected(rag, "While Shenzhen rushed to build two hospitals, Wuhan converted an existing hospital into an "
                         "infectious disease hospital with 800 beds.")


def test_a_count_after_its_own_list(tmp_path):
    # 两部诗集 counts the two titles the claim lists before it; 三部 counts more than it lists.
    rag = rag_over(tmp_path, "庞维勒，法国诗人。1842年出版了第一部诗集《人象石柱》，引起批评者的注意。1846年又出版了第二部诗集《钟乳石》。\n")
    assert_supported(rag, "庞维勒接连出版了《人象石柱》（1842年）和《钟乳石》（1846年）两部诗集。")
    assert_rejected_for(rag, "the source does not state 3", "庞维勒接连出版了《人象石柱》和《钟乳石》三部诗集。")


def test_a_name_swapped_across_languages_for_one_the_next_sentence_gives(tmp_path):
    # The cited sentence says 香港; 台湾, in the sentence before it, is the singer's home, not
    # whose stars they were.
    rag = rag_over(tmp_path, "张雨生，生于台中县。1988年，台湾歌手张雨生推出首张专辑。然而，由于当时对香港「四大天王」的狂热风潮，"
                             "此张专辑卖得只能以「惨澹」来形容。\n")
    assert_rejected_for(rag, "the source names “香港”, not “Taiwan”",
                        "The album sold poorly because people at the time were obsessed with Taiwan's Four Heavenly Kings.")
    assert_supported(rag, "The album sold poorly because people at the time were obsessed with Hong Kong's Four "
                          "Heavenly Kings.")


def test_a_foreign_place_the_dictionary_knows_is_a_name(tmp_path):
    # 利雅得 (Riyadh) has no surname, yet the dictionary glosses it as a name only: the claim names
    # it where the source has Jeddah (吉达).
    rag = rag_over(tmp_path, "MERS-CoV in Saudi Arabia\n\nMERS-CoV was first isolated in 2012, in a 60-year-old man who "
                             "died in Jeddah, KSA. This study analysed suspected patients in Riyadh and Al Qassim.\n")
    assert C.entities("他后来去了利雅得。") == ["利雅得"]
    assert_rejected(rag, "MERS-CoV最早于2012年从利雅得一名去世的60岁男子身上分离出来。")
    assert_supported(rag, "MERS-CoV最早于2012年从吉达一名去世的60岁男子身上分离出来。")


def test_first_that_says_when_ranks_nothing(tmp_path):
    # "first opened" says when it opened; "the first to open" ranks it, which the source does not.
    rag = rag_over(tmp_path, "The Tampere restaurant opened in Hong Kong in 2000 and moved to Macau in 2007.\n")
    assert_supported(rag, "The Tampere restaurant first opened in Hong Kong in 2000.")
    assert_rejected_for(rag, "the source gives no such ordinal (1st)",
                        "The Tampere restaurant was the first to open in Hong Kong in 2000.")


def test_men_for_women_across_languages(tmp_path):
    rag = rag_over(tmp_path, "Nurses, women and frontline health care workers reported more severe symptoms of "
                             "depression than other health care workers.\n")
    assert_rejected_for(rag, "the source says “women”, not “男性”", "护士、男性和一线医护人员报告的抑郁症状比其他医护人员更严重。")
    assert_supported(rag, "护士、女性和一线医护人员报告的抑郁症状比其他医护人员更严重。")


def test_a_sentence_that_copies_one_the_passages_found_leave_out(tmp_path):
    # With one passage to go on, the best-ranked one is the province's report, whose sentence shares
    # half the claim; the notes state all of it, the other way round. `rag check` looks further
    # for a sentence that states most of the claim, and judges the claim against that one.
    from rag import RAG

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "sichuan.txt").write_text(
        "Sichuan reports on new quality productive forces\n\nIn Sichuan, the development of industry relies heavily on "
        "scientific and technological innovation, officials said. Scientific and technological innovation leads the "
        "development of new quality productive forces in Sichuan. The provincial report was published in March and "
        "covers twelve cities along the Yangtze and its tributaries.\n", encoding="utf-8")
    (docs / "notes.txt").write_text(
        "Notes on the river port\n\nThe harbour handled 900 ships in 1901, most of them carrying grain, timber and salt "
        "to the markets upstream. The development of new quality productive forces relies heavily on scientific and "
        "technological innovation. The ferry crossed the river three times a day, and the old customs house kept its "
        "ledgers in the tower beside the bridge until the flood of 1931 washed them away.\n", encoding="utf-8")
    rag = RAG(data_dir=str(tmp_path / "index"), llm="extractive", context_passages=1)
    rag.ingest([docs])
    claim = "Scientific and technological innovation relies heavily on the development of new quality productive forces."
    assert [r.passage.title for r in rag.search(claim, k=1)] == ["Sichuan reports on new quality productive forces"]
    s = rag.check(claim).sentences[0]
    assert not s.supported and s.reason == "the source states the relation the other way round"
    assert s.closest[0].quote.startswith("The development of new quality productive forces relies heavily")
    assert_supported(rag, "The development of new quality productive forces relies heavily on scientific and "
                          "technological innovation.")


def test_two_correlations_paired_the_other_way_round(tmp_path):
    # The source's last clause names the temperature again with two of the claim's words: it does
    # not keep the claim's pairing from being read.
    rag = rag_over(tmp_path, "The prevalence of HBoV1 was significantly positively correlated with mean temperature and "
                             "negatively correlated with mean relative humidity, and the mean temperature in the "
                             "preceding month had better explanatory power than the current monthly temperature.\n")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "HBoV1 prevalence was positively correlated with relative humidity and negatively correlated "
                        "with mean temperature.")
    assert_supported(rag, "HBoV1 prevalence was positively correlated with mean temperature and negatively correlated "
                          "with relative humidity.")


def test_a_name_from_one_sentence_put_to_what_the_next_says_of_another(tmp_path):
    # Two sentences side by side, each ranking a task first; the claim gives the second's ranking
    # to the first's conference. Naming both, or each with its own, is what the source says.
    rag = rag_over(tmp_path, "Building a modern industrial system\n\nThe modern industrial system is the material and "
                             "technical basis of a modern economy. The Central Economic Work Conference held at the end of "
                             "last year deployed economic work for 2024, placing \"leading the construction of a modern "
                             "industrial system with technological innovation\" as the first of nine key tasks. In this "
                             "year's government work report, \"vigorously promoting the construction of a modern industrial "
                             "system\" ranks first among the top ten government tasks for 2024.\n")
    assert_rejected(rag, "The Central Economic Work Conference ranked \"vigorously promoting the construction of a modern "
                         "industrial system\" first among the top ten government tasks for 2024.")
    assert_supported(rag, "This year's government work report ranked \"vigorously promoting the construction of a modern "
                          "industrial system\" first among the top ten government tasks for 2024.",
                     "Both the Central Economic Work Conference and this year's government work report put the "
                     "construction of a modern industrial system first among their tasks for 2024.")


def test_a_chinese_relation_whose_sides_the_english_source_turns_round(tmp_path):
    # "A是B的内在要求": what the English sentence says B is for A, the claim says A is for B.
    rag = rag_over(tmp_path, "\"Developing new quality productive forces is an inherent requirement and an important focus "
                             "for promoting high-quality development,\" the General Secretary explained, calling the "
                             "relationship between developing new quality productive forces and high-quality development "
                             "the \"hard truth of the new era.\"\n")
    assert_rejected_for(rag, "the source states the relation the other way round",
                        "总书记指出，推动高质量发展是发展新质生产力的内在要求和重要着力点。")
    assert_supported(rag, "总书记指出，发展新质生产力是推动高质量发展的内在要求和重要着力点。")


def test_a_superlative_added_across_languages(tmp_path):
    # "an important base" is no 最重要的基地, and 重要基地 no "the most important base".
    (tmp_path / "en").mkdir()
    (tmp_path / "zh").mkdir()
    rag = rag_over(tmp_path / "en", "The General Secretary hoped that Jiangsu would become an important base for "
                                    "developing new quality productive forces.\n")
    assert_rejected_for(rag, "the source gives no such superlative", "总书记希望江苏成为发展新质生产力最重要的基地。")
    assert_supported(rag, "总书记希望江苏成为发展新质生产力的重要基地。")
    rag = rag_over(tmp_path / "zh", "总书记希望江苏成为发展新质生产力的重要基地。\n")
    assert_rejected_for(rag, "the source gives no such superlative", "The General Secretary hoped that Jiangsu would "
                        "become the most important base for developing new quality productive forces.")
    assert_supported(rag, "The General Secretary hoped that Jiangsu would become an important base for developing new "
                          "quality productive forces.")
