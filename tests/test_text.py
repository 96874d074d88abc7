"""Text primitives: the CJK class, language detection, sentence splitting, normalising."""
from __future__ import annotations

from rag.text import cjk_count, detect_lang, has_cjk, join_sentences, normalise, one_line, split_sentences, with_marks

# Lines 1, 2 and 4 of seeds/001_34acb3e43dc2d187.txt, as they stand there.
CITATION = ("    Citation: ZHANG Xiaheng, MA Yan. The Necessity, Scientificity and Focus of Developing New "
            "Quality Productive Forces in Accordance with Local Conditions[J]. JOURNAL OF BEIJING UNIVERSITY OF "
            "TECHNOLOGY(SOCIAL SCIENCES EDITION), 2024, 24(4): 118-130. DOI: 10.12120/bjutskxb202404118")
ZH_AUTHORS = ("张夏恒, 马妍. 因地制宜发展新质生产力的必要性、科学性及着力点[J]. 北京工业大学学报(社会科学版), "
              "2024, 24(4): 118-130. DOI: 10.12120/bjutskxb202404118")
ZH_CITATION = "    引用本文: " + ZH_AUTHORS


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_cjk_class_covers_extension_a_and_compatibility_ideographs():
    assert has_cjk("㐀") and has_cjk("中") and has_cjk("豈")  # U+3400, U+4E2D, U+F900
    assert not has_cjk("Ｃhina，。") and not has_cjk("")
    assert cjk_count("新质 productive 生产力") == 5


def test_the_author_list_of_a_reference_line_is_not_a_sentence():
    assert sentences(CITATION) == [
        ("Citation: ZHANG Xiaheng, MA Yan. The Necessity, Scientificity and Focus of Developing New Quality "
         "Productive Forces in Accordance with Local Conditions[J]."),
        "JOURNAL OF BEIJING UNIVERSITY OF TECHNOLOGY(SOCIAL SCIENCES EDITION), 2024, 24(4): 118-130.",
        "DOI: 10.12120/bjutskxb202404118",
    ]
    for line in (ZH_AUTHORS, ZH_CITATION):
        assert sentences(line)[0].endswith("张夏恒, 马妍. 因地制宜发展新质生产力的必要性、科学性及着力点[J].")


def test_a_papers_author_and_affiliation_lines_are_not_cut_at_their_marks():
    # OCR leaves marks after names ("Xiaheng?"); affiliations are numbered "(1. ..." and "; 2. ...".
    # The author line is a sentence of its own, the affiliations another.
    text = ("ZHANG Xiaheng\"\"?, MA Yan'\n(1. School of Management, Northwest University, Xi'an 710122, China;\n"
            "2. China Academy of Digital Trade, Zhejiang University, Hangzhou 310014, China)\n\nAbstract: It rose to 12. "
            "Then it fell. 你好吗?我很好。")
    head = text.split("\n\n")[0]
    assert sentences(text) == [head.split("\n")[0], head.split("\n", 1)[1], "Abstract: It rose to 12.", "Then it fell.",
                               "你好吗?", "我很好。"]


def test_names_inside_a_sentence_still_end_it():
    assert sentences("The paper was written by MA Yan. The journal printed it.") == [
        "The paper was written by MA Yan.", "The journal printed it."]
    assert sentences("Xi Jinping spoke. The meeting ended.") == ["Xi Jinping spoke.", "The meeting ended."]
    assert sentences("马妍. 因地制宜。") == ["马妍.", "因地制宜。"]  # one bare name: no author list


def test_a_bullet_opening_the_next_sentence_ends_the_one_before():
    # An extractive answer joins quotes with a space: "… personnel. • 摘要: …" is two sentences,
    # each verified and cited on its own (it was judged as one, against one quote).
    assert sentences("It depends on innovative personnel. • 摘要: 因地制宜发展新质生产力。 • Second point.") == [
        "It depends on innovative personnel.", "• 摘要: 因地制宜发展新质生产力。", "• Second point."]


def test_detect_lang_counts_a_cjk_character_as_four_latin_letters():
    assert detect_lang("What is new quality productive forces?") == "en"
    assert detect_lang("什么是新质生产力？") == "zh"
    assert detect_lang("新质生产力 means what?") == "zh"  # 5 CJK characters against 9 letters
    assert detect_lang("What does 新质 mean in this paper?") == "en"
    assert detect_lang("2024, 24(4): 118-130.") == "en"


def test_normalise_and_one_line():
    assert normalise("  Ｎew\u3000Quality\n Forces ") == "new quality forces"
    assert one_line("因地制宜发展\n  新质生产力") == "因地制宜发展新质生产力"
    assert one_line("Developing new\n  quality forces") == "Developing new quality forces"
    assert one_line("新质生产力 (new\nquality forces)") == "新质生产力 (new quality forces)"


def test_answer_sentences_are_spaced_by_what_meets_at_the_join():
    pieces = [with_marks("Training was given to medical personnel.", "[1]"),
              with_marks("• 摘要：因地制宜发展新质生产力。", "[2]"),
              with_marks("“新质生产力”是先进生产力。", "[3]"),
              with_marks("It is advanced in nature.", "[4]")]
    assert join_sentences(pieces) == ("Training was given to medical personnel. [1] • 摘要：因地制宜发展新质生产力。[2]"
                                      "“新质生产力”是先进生产力。[3] It is advanced in nature. [4]")
    assert join_sentences([with_marks("It is here.", "[1]"), with_marks("And there.", "")]) == "It is here. [1] And there."


def test_abbreviations_a_document_defines_are_found_with_their_long_forms():
    from rag.abbreviations import definitions, used_in

    text = ("Hydroxychloroquine (HCQ) and chloroquine (CQ) were added to Vero cells. Early endosomes (EEs) and "
            "endolysosomes (ELs) were counted, and the results (Fig. 2) were read by the World Health Organization "
            "(WHO) protocol. The dose (10 mg) was fixed. In untreated cells, most EEs were much smaller than ELs.")
    defined = definitions(text)
    assert defined["HCQ"] == "Hydroxychloroquine" and defined["CQ"] == "chloroquine"
    assert defined["EEs"] == defined["EE"] == "Early endosomes" and defined["ELs"] == "endolysosomes"
    assert defined["WHO"] == "World Health Organization"
    assert "Fig" not in defined and "10 mg" not in defined  # parentheses that define nothing
    used = dict(used_in("In untreated cells, most EEs were much smaller than ELs.", defined))
    assert used == {"EEs": "Early endosomes", "EE": "Early endosomes", "ELs": "endolysosomes", "EL": "endolysosomes"}
    assert used_in("in HCQ-treated cells", defined) == (("HCQ", "Hydroxychloroquine"),)  # and not CQ
