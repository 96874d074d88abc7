"""Loading files: exact text, content spans that leave site chrome out, metadata, clear errors."""
from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from rag.errors import InputError
from rag.loaders import SUPPORTED_SUFFIXES, iter_files, load_document
from rag.text import detect_lang

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
CHINESE = ("因地制宜发展新质生产力是习近平总书记就如何发展新质生产力提出的新要求，"
           "为各地发展新质生产力提供了基本遵循、指明了方法路径。")


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*"))


def inside(doc, snippet: str) -> bool:
    """The snippet lies wholly inside one content span."""
    start = doc.text.index(snippet)
    return any(s <= start and start + len(snippet) <= e for s, e in doc.spans)


def outside(doc, snippet: str) -> bool:
    """No content span touches the snippet."""
    start = doc.text.index(snippet)
    return all(e <= start or s >= start + len(snippet) for s, e in doc.spans)


def text_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF that shows `text` in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def blank_pdf(password: str | None = None) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- the seed collection -------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(SEEDS.iterdir()), ids=lambda p: p.name[:3])
def test_seed_text_is_the_file_and_spans_are_exact_trimmed_slices(path):
    doc = load_document(path)
    raw = path.read_bytes()
    assert doc.text == raw.decode("utf-8")
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert Path(doc.source).is_absolute() and doc.name == path.name
    assert doc.spans and doc.title
    previous_end = -1
    for start, end in doc.spans:
        assert previous_end < start < end <= len(doc.text)
        piece = doc.text[start:end]
        assert piece == piece.strip()
        previous_end = end


def test_seed_002_keeps_the_article_and_leaves_the_site_widgets_out():
    doc = load_document(seed("002"))
    for chrome in ["Sign in", "Free sign-up | Forgot password", "Application Status",
                   "04-16 21315227 Processing", "Inquiry Status", "02-29 02131558 Received",
                   "view more »", "Q: Q: Is there a place where I can get...", "A: A: Log on to",
                   "A: English maps of Shanghai are availa...", "Source: Touch Shanghai"]:
        assert outside(doc, chrome), chrome
    for content in ["The Third Plenary Session of the 20th National Congress",
                    "helping to narrow the regional development gap.",
                    "The author is Tang Yunyi, the Deputy Director of the Institute"]:
        assert inside(doc, content), content
    assert doc.title == ("Bolster the systems and mechanisms for developing new quality "
                         "productive forces in accordance with local conditions")
    assert doc.date == "2024-07-22"
    assert doc.author == "Tang Yunyi"
    assert doc.lang == "en"


def test_seed_003_keeps_numbered_headings_and_drops_related_links():
    doc = load_document(seed("003"))
    for chrome in ["Related Downloads", "Related News", "undefined"]:
        assert outside(doc, chrome), chrome
    assert "undefined" not in "".join(doc.text[s:e] for s, e in doc.spans)
    for content in ["(1) Clarify a relationship", "(3) Grasp three key points",
                    "— Further comprehensively deepen reform.", "and truly benefit the people."]:
        assert inside(doc, content), content
    assert doc.title == ("The General Secretary provides strong guidance for the development "
                         "practice of new quality productive forces")
    assert doc.author is None
    assert doc.date is None  # "March 5" without a year is not a date anyone can use


def test_seed_004_drops_nav_and_editor_line_but_keeps_headings_and_byline():
    doc = load_document(seed("004"))
    assert outside(doc, "Nav Search")
    assert outside(doc, "Editor: Yi Xiaowei")
    for content in ["By Qiu Ping Source: Updated: 2024-05-30", "Science and technology",
                    "Development model", "Working mechanisms for talent",
                    "failure is tolerated."]:
        assert inside(doc, content), content
    assert doc.title == "Accelerating the Development of New Quality Productive Forces"
    assert doc.author == "Qiu Ping"
    assert doc.date == "2024-05-30"


def test_seed_000_title_joins_its_wrapped_line_and_keywords_stay():
    doc = load_document(seed("000"))
    assert doc.title == ("The Necessity, Scientificity and Focus of Developing New Quality "
                         "Productive Forces in Accordance with Local Conditions")
    assert inside(doc, "a key measure to avoid overcapacity.")
    assert inside(doc, "Key words; new quality productive forces")
    assert inside(doc, "development ; technological innovation")
    assert doc.lang == "en"


def test_seed_001_is_mixed_with_the_chinese_abstract_in_a_span():
    doc = load_document(seed("001"))
    assert doc.lang in ("mixed", "zh")
    assert inside(doc, "摘要: 因地制宜发展新质生产力是习近平总书记就如何发展新质生产力提出的新要求")
    assert inside(doc, "a key measure to avoid overcapacity.")
    assert doc.title.startswith("The Necessity, Scientificity and Focus")


# --- generic rules on generated files ------------------------------------------------------

def test_chrome_rules_are_generic_and_spare_real_headings(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Home | News | Business\n\n"
        "A Study of Things\nand Their Uses\n\n"
        "Share | Print | Email\n\n"
        "Read the introduction first.\n\n"
        "Home economics\n\n"
        "This paragraph is the article body. It says something worth quoting.\n\n"
        "Share | Print | Email\n\n"
        "Copyright © 2024 Example Daily. All rights reserved.\n", encoding="utf-8")
    doc = load_document(page)
    assert doc.title == "A Study of Things and Their Uses"
    assert inside(doc, "A Study of Things\nand Their Uses")
    assert outside(doc, "Home | News | Business")
    assert outside(doc, "Share | Print | Email")
    assert outside(doc, "Copyright © 2024")
    assert inside(doc, "Home economics")
    assert inside(doc, "It says something worth quoting.")


def test_markdown_lists_and_tables_after_the_last_paragraph_stay(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Findings\n\nThe survey covered three provinces in detail.\n\n"
                     "| Province | Firms |\n|---|---|\n| Jiangsu | 120 |\n\n"
                     "- Jiangsu leads\n- Zhejiang follows\n\nEditor: Wang Fang\n",
                     encoding="utf-8")
    doc = load_document(notes)
    for content in ["| Province | Firms |", "| Jiangsu | 120 |", "- Jiangsu leads",
                    "- Zhejiang follows"]:
        assert inside(doc, content), content
    assert outside(doc, "Editor: Wang Fang")
    assert doc.author == "Wang Fang"


def test_gb18030_chinese_file_decodes(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_bytes((CHINESE + "\n" + CHINESE + "\n").encode("gb18030"))
    doc = load_document(path)
    assert doc.text == CHINESE + "\n" + CHINESE + "\n"
    assert doc.encoding == "gb18030"
    assert doc.lang == "zh"
    assert inside(doc, CHINESE)


def test_legacy_western_file_decodes(tmp_path):
    path = tmp_path / "fr.txt"
    body = "Café résumé naïve — the façade of the hôtel was élégant. Ça va très bien, merci.\n"
    path.write_bytes(body.encode("cp1252"))
    doc = load_document(path)
    assert (doc.text, doc.encoding) == (body, "cp1252")


def test_utf8_bom_is_dropped_and_nothing_else_changes(tmp_path):
    path = tmp_path / "bom.txt"
    body = "First line of a note.  \r\n\r\n\tSecond paragraph, indented.\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    doc = load_document(path)
    assert doc.text == body
    assert doc.encoding == "utf-8-sig"
    assert [doc.text[s:e] for s, e in doc.spans] == ["First line of a note.",
                                                      "Second paragraph, indented."]


def test_html_drops_scripts_and_navigation_and_keeps_paragraphs(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Page title</title><style>p {color: red}</style></head><body>"
        "<nav><a href='/'>Home</a> <a href='/about'>About us</a></nav>"
        "<script>var tracking = 'secret';</script>"
        "<article><h1>Local conditions</h1><p>First paragraph with <b>bold</b> words.<br>"
        "Its second line.</p><p>Second paragraph is here.</p></article>"
        "<footer>Contact the webmaster</footer></body></html>", encoding="utf-8")
    doc = load_document(path)
    assert doc.title == "Page title"
    assert "tracking" not in doc.text and "About us" not in doc.text
    assert "webmaster" not in doc.text and "color" not in doc.text
    assert [doc.text[s:e] for s, e in doc.spans] == [
        "Local conditions", "First paragraph with bold words.\nIts second line.",
        "Second paragraph is here."]


def test_text_pdf_loads_its_text_and_metadata_title(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(text_pdf("Local conditions decide the path of development."))
    doc = load_document(path)
    assert "Local conditions decide the path of development." in doc.text
    assert doc.title == "Local conditions decide the path of development."

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path))
    writer.add_metadata({"/Title": "A Paper on Conditions", "/Author": "Li Hua"})
    titled = tmp_path / "titled.pdf"
    with titled.open("wb") as handle:
        writer.write(handle)
    doc = load_document(titled)
    assert (doc.title, doc.author) == ("A Paper on Conditions", "Li Hua")


def test_detect_lang():
    assert detect_lang("Developing productive forces according to local conditions.") == "en"
    assert detect_lang(CHINESE) == "zh"
    english = "Developing new quality productive forces according to local conditions. " * 3
    assert detect_lang(CHINESE + english, mixed=0.2) == "mixed"
    assert detect_lang(CHINESE + english) == "zh"  # without the mixed class: the larger share
    assert detect_lang(CHINESE, mixed=0.2) == "zh"
    assert detect_lang("") == "en"
    # A Chinese sentence naming English organisations is still Chinese.
    assert detect_lang("这个计划由William and Flora Hewlett Foundation、Andrew W. Mellon Foundation、"
                       "麻省理工学院共同主持。") == "zh"


# --- errors a user can cause ---------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize("name, content, expected", [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"  \n\t\r\n  ", "empty"),
    ("image.txt", PNG + bytes(range(256)) * 4, "binary"),
    ("controls.txt", b"abc\x01\x02\x03\x04\x05\x06\x07" * 100, "binary"),
    ("locked.pdf", blank_pdf(password="secret"), "encrypted; decrypt it first"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R", "not a readable PDF"),
    ("notes.pdf", b"just some text that is not a PDF at all", "not a readable PDF"),
    ("scan.pdf", blank_pdf(), "OCR it first"),
    ("page.html", b"<html><body><script>x()</script></body></html>", "empty"),
    ("widgets.txt", b"Sign in\n\nRelated News\n", "boilerplate"),
    ("data.csv", b"a,b\n1,2\n", "unsupported file type"),
])
def test_bad_files_raise_one_line_input_error_naming_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_document(path)
    message = str(info.value)
    assert name in message and expected in message
    assert "\n" not in message


def test_missing_file_and_size_limit(tmp_path):
    with pytest.raises(InputError, match="nowhere.txt: no such file"):
        load_document(tmp_path / "nowhere.txt")
    path = tmp_path / "big.txt"
    path.write_text("A sentence of text.\n" * 100, encoding="utf-8")
    with pytest.raises(InputError, match="big.txt: is 2,000 bytes, over the 1,000-byte limit"):
        load_document(path, max_bytes=1000)
    assert load_document(path, max_bytes=2000).text.count("\n") == 100


def test_fifty_megabyte_file_loads_in_bounded_memory(tmp_path):
    path = tmp_path / "large.txt"
    paragraph = ("Local conditions shape how new quality productive forces grow.\n" * 6) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(paragraph * (50_000_000 // len(paragraph)))
    size = path.stat().st_size
    # In a child process, so the peak memory measured is the loader's alone. VmHWM belongs to the
    # child's own address space; getrusage's ru_maxrss would carry over the high-water mark of
    # the pytest process it was forked from (Linux keeps it across exec).
    child = subprocess.run(
        [sys.executable, "-c", "import re, sys; from rag.loaders import load_document; "
         "d = load_document(sys.argv[1]); "
         "hwm = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1); "
         "print(len(d.text), len(d.spans), hwm)",
         str(path)],
        cwd=ROOT, capture_output=True, text=True, check=True)
    chars, spans, peak_kib = (int(n) for n in child.stdout.split())
    assert (chars, spans) == (size, 50_000_000 // len(paragraph))
    # Bytes plus one str make 2x the file; a list of per-line strings would be several times more.
    assert peak_kib * 1024 < 4 * size


# --- finding files -------------------------------------------------------------------------

def test_iter_files_expands_directories_sorted_and_skips_hidden_and_unsupported(tmp_path):
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(PNG)
    (tmp_path / ".secret.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.HTML").write_text("<p>c</p>", encoding="utf-8")
    (tmp_path / "sub" / "d.pdf").write_bytes(b"%PDF")
    single = tmp_path / "sub" / "d.pdf"
    found = list(iter_files([tmp_path, single]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md", "b.txt", "sub/c.HTML", "sub/d.pdf"]  # named again, listed once
    assert {p.suffix.lower() for p in found} <= SUPPORTED_SUFFIXES


def test_iter_files_rejects_missing_paths_and_named_unsupported_files(tmp_path):
    with pytest.raises(InputError, match="gone: no such file or directory"):
        list(iter_files([tmp_path / "gone"]))
    (tmp_path / "photo.png").write_bytes(PNG)
    with pytest.raises(InputError, match=r"photo.png: unsupported file type '\.png'"):
        list(iter_files([tmp_path / "photo.png"]))


def test_seed_folder_lists_all_five_seeds():
    assert [p.name for p in iter_files([SEEDS])] == sorted(p.name for p in SEEDS.iterdir())
