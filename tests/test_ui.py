"""The web chat in a real browser: Debian's Chromium driven by Playwright, against the app served
in-process on 127.0.0.1 over a temporary index of the seeds (extractive backend: no model to
load, so a question takes seconds). One test drives the embedded model (`slow`), one starts
`python app.py` as a user would.

Pages are waited on by `load` and then by elements, never by `networkidle`: Gradio keeps a
connection open.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import free_port

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT_MS = 120_000
OVERCAPACITY = "Why does adapting to local conditions avoid overcapacity?"
CHINESE = "为什么因地制宜可以避免产能过剩？"
UNANSWERABLE = "What was China's GDP growth rate in 2023?"
ZORBLAX = "The Zorblax reactor was commissioned in 1987 in Tampere. It was cooled by water from Lake Näsijärvi.\n"
UPLOAD_MAX_MB = 0.05  # small, so the size limit can be tried with a small file

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def ui_rag(tmp_path_factory):
    """A private index of a copy of seeds/ (uploads land in its data folder, never in the repo)."""
    from rag import RAG

    seeds = tmp_path_factory.mktemp("ui-seeds")
    for f in (REPO / "seeds").iterdir():
        shutil.copy(f, seeds / f.name)
    rag = RAG(data_dir=str(tmp_path_factory.mktemp("ui-index")), llm="extractive", upload_max_mb=UPLOAD_MAX_MB)
    report = rag.ingest([seeds])
    assert len(report.added) == 5 and not report.failed
    return rag


@pytest.fixture(scope="module")
def server(ui_rag):
    """The app served in-process, as `launch` serves it (queue, theme, CSS, upload limit)."""
    from rag.ui import build_app, launch

    app = build_app(ui_rag)
    port = free_port()
    launch(app, ui_rag, server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}"
    app.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser session (its own chat history) on the loaded page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    pg.goto(server, wait_until="load")
    pg.wait_for_selector("#question textarea")
    pg.wait_for_selector("#status :text('Index:')")
    pg.outside_requests = outside
    yield pg
    context.close()


# ------------------------------------------------------------------ helpers

def bot_messages(pg):
    return pg.locator("#chat [data-testid='bot']")


def ask(pg, question: str) -> str:
    """Type a question, send it, wait for the verified answer (or error); return the bubble's text."""
    before = asked(pg)
    pg.fill("#question textarea", question)
    pg.press("#question textarea", "Enter")
    return wait_answer(pg, before)


def asked(pg) -> int:
    """How many questions the chat shows."""
    return pg.locator("#chat [data-testid='user']").count()


def wait_answer(pg, before: int) -> str:
    """Wait until the chat shows more than `before` questions and the newest one's answer is done."""
    from rag.ui import ANSWERED_JS

    pg.wait_for_function(ANSWERED_JS, arg=before, timeout=ANSWER_TIMEOUT_MS)
    return bot_messages(pg).last.inner_text()


def watch_chat(pg) -> None:
    """Record every state the newest bot bubble passes through (pending, draft, answer)."""
    pg.evaluate("""() => {
        window.__seen = [];
        new MutationObserver(() => {
            const bots = document.querySelectorAll('#chat [data-testid="bot"]');
            const last = bots[bots.length - 1];
            if (!last) return;
            const kind = last.querySelector('.answer, .draft, .pending, .error');
            const entry = (kind ? kind.className : '?') + '|' + last.innerText;
            if (window.__seen[window.__seen.length - 1] !== entry) window.__seen.push(entry);
        }).observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true});
    }""")


def open_documents(pg) -> None:
    if not pg.locator("#doc-table").is_visible():
        pg.click("#documents > button")
    pg.wait_for_selector("#doc-table")


def choose_backend(pg, label: str) -> None:
    if not pg.locator("#backend").is_visible():
        pg.click("#settings > button")
    pg.locator("#backend").get_by_label(label, exact=True).check()


def upload(pg, path: Path) -> None:
    open_documents(pg)
    pg.set_input_files("#upload input[type=file]", str(path))


# ------------------------------------------------------------------ the browser tests

def test_answer_streams_with_citations_and_quotes(page, ui_rag):
    watch_chat(page)
    text = ask(page, OVERCAPACITY)
    assert "overcapacity" in text
    assert re.search(r"\[1\]", text), text

    # The verified answer replaces whatever was shown while it was made (the states in between
    # are checked with a model slow enough to see them, in test_an_answer_is_drafted_as_it_streams).
    seen = page.evaluate("window.__seen")
    kinds = [s.split("|", 1)[0] for s in seen if not s.startswith("?")]  # "?": a bubble not yet filled
    assert kinds[-1] == "answer", kinds
    assert page.locator("#chat .draft, #chat .pending").count() == 0

    # Each [n] has its title, verbatim quote and the quote marked in its context.
    sources = page.locator("#sources .src")
    markers = sorted({int(n) for n in re.findall(r"\[(\d+)\]", text)})
    assert sources.count() == len(markers) >= 1
    for i in range(sources.count()):
        src = sources.nth(i)
        quote = src.locator("blockquote.quote").inner_text().strip()
        mark = src.locator("mark").inner_text().strip()
        assert quote and " ".join(mark.split()) == " ".join(quote.split())
        source_file = src.locator(".src-file").inner_text().split(" · ")[0]
        full = (Path(ui_rag.files()[0].source).parent / source_file).read_text(encoding="utf-8")
        assert " ".join(quote.split()) in " ".join(full.split())
        assert src.locator(".src-head").inner_text().startswith(f"[{markers[i]}]")
    assert "avoid overcapacity" in page.locator("#sources").inner_text()
    assert "Last answer by: extractive" in page.locator("#status").inner_text()
    assert not page.outside_requests, page.outside_requests  # nothing leaves the machine

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)


def test_chinese_example_gives_a_chinese_answer(page):
    before = asked(page)
    page.locator("#examples button", has_text=CHINESE).click()
    text = wait_answer(page, before)
    assert page.locator("#chat [data-testid='user']").last.inner_text().strip() == CHINESE
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 20, text
    assert "[1]" in text and "产能过剩" in text
    assert "产能过剩" in page.locator("#sources mark").first.inner_text()
    font = page.locator("#chat .answer").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert "WenQuanYi Zen Hei" in font and "Noto Sans CJK SC" in font


def test_unanswerable_question_is_refused(page):
    text = ask(page, UNANSWERABLE)
    assert page.locator("#chat .answer.refused").count() == 1
    assert "do not say" in text
    assert "[1]" not in text
    assert "None: no passage" in page.locator("#sources").inner_text()


def test_follow_up_uses_the_conversation_and_new_chat_clears_it(page, browser, server):
    ask(page, OVERCAPACITY)
    text = ask(page, "And why is that?")
    assert bot_messages(page).count() == 2 and page.locator("#chat .error").count() == 0, text
    page.click("#json-panel > button")  # the last answer's JSON shows the question it was read as
    page.wait_for_selector("#answer-json :text('standalone_question')")
    assert OVERCAPACITY in page.locator("#answer-json").inner_text()

    # Another browser session has its own, empty history.
    other = browser.new_page()
    other.goto(server, wait_until="load")
    other.wait_for_selector("#question textarea")
    assert other.locator("#chat [data-testid='bot']").count() == 0
    other.close()

    page.click("#new-chat")
    page.wait_for_function("() => document.querySelectorAll('#chat [data-testid=\"bot\"]').length === 0")
    assert "Each [n] in an answer is listed here" in page.locator("#sources").inner_text()
    ask(page, UNANSWERABLE)
    assert bot_messages(page).count() == 1  # the old turns did not come back


def test_upload_then_ask_then_remove(page, ui_rag, tmp_path):
    doc = tmp_path / "zorblax notes.txt"
    doc.write_text(ZORBLAX, encoding="utf-8")
    upload(page, doc)
    page.wait_for_selector("#doc-note :text('✅')", timeout=60_000)
    assert "zorblax notes.txt" in page.locator("#doc-note").inner_text()
    stored = Path(ui_rag.settings.data_dir) / "uploads" / "zorblax notes.txt"
    assert stored.read_text(encoding="utf-8") == ZORBLAX
    page.wait_for_selector("#doc-table :text('zorblax notes.txt')")

    text = ask(page, "When was the Zorblax reactor commissioned?")
    assert "1987" in text and "[1]" in text
    sources = page.locator("#sources").inner_text()
    assert "zorblax notes.txt" in sources
    marked = page.locator("#sources mark").first.inner_text()
    assert "The Zorblax reactor was commissioned in 1987 in Tampere." in marked

    page.locator("#remove-choice input").click()
    page.locator("[role='option']", has_text="zorblax notes.txt").click()
    page.click("#remove")
    page.wait_for_selector("#doc-note :text('Removed zorblax notes.txt')")
    assert not stored.exists()
    assert not any(f.source.endswith("zorblax notes.txt") for f in ui_rag.files())
    page.wait_for_function("() => !document.querySelector('#doc-table').innerText.includes('zorblax')")
    text = ask(page, "When was the Zorblax reactor commissioned?")
    assert "1987" not in text


def test_upload_limits_are_enforced_with_a_message(page, ui_rag, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("A sentence about nothing in particular. " * 2000, encoding="utf-8")  # 80 KB > 50 KB
    upload(page, big)
    page.wait_for_selector(":text('exceed the maximum allowed size')")

    bad = tmp_path / "tool.exe"
    bad.write_bytes(b"MZ\x90\x00")
    upload(page, bad)
    page.wait_for_selector(":text('Invalid file type')")
    uploads = Path(ui_rag.settings.data_dir) / "uploads"
    assert not (uploads / "big.txt").exists() and not (uploads / "tool.exe").exists()
    assert not any(f.source.endswith(("big.txt", "tool.exe")) for f in ui_rag.files())


def test_status_shows_backend_and_failures_show_in_the_chat(page, ui_rag, monkeypatch):
    assert "extractive" in page.locator("#status").inner_text()
    choose_backend(page, "Ollama")
    page.wait_for_selector("#status :text('Ollama not reachable')")
    text = ask(page, OVERCAPACITY)  # no Ollama here: the engine's message, not a traceback
    assert "Ollama" in text and "Traceback" not in text

    choose_backend(page, "extractive (no LLM: quotes only)")

    def broken_stream(*args, **kwargs):  # fault injection: a bug in the engine, which no real part can stage
        yield "A draft that is cut short "
        raise RuntimeError("the index went away")

    monkeypatch.setattr(ui_rag, "stream", broken_stream)
    text = ask(page, OVERCAPACITY)  # a bug: named, never a traceback, and the draft withdrawn
    assert "cut short" not in text
    assert "Something went wrong while answering (RuntimeError: the index went away)" in text
    assert "Traceback" not in page.locator("#chat").inner_text()
    monkeypatch.undo()
    text = ask(page, OVERCAPACITY)  # the app kept serving
    assert "[1]" in text


# The seed sentence that answers OVERCAPACITY: what a well-behaved model would write.
OVERCAPACITY_REPLY = ("Adapting to local conditions is a key measure to avoid overcapacity: it is \"a "
                      "prerequisite for overall development, and a key measure to avoid overcapacity\" [1].")


@pytest.fixture
def ollama_chat(ui_rag, browser):
    """Open the chat answering through Ollama (the wire-format stub on 127.0.0.1) with a given
    reply and per-token delay, over the seeds' index or a fresh one of the given files."""
    sys.path.insert(0, str(REPO / "tests"))
    from ollama_stub import OllamaStub
    from rag import RAG
    from rag.ui import build_app, launch

    opened = []

    def open_chat(reply: str, delay: float = 0.0, files: list[Path] | None = None):
        stub = OllamaStub(reply=reply, delay=delay).start()
        data_dir = ui_rag.settings.data_dir
        if files:
            data_dir = str(files[0].parent / "index")
        rag = RAG(data_dir=data_dir, llm="ollama", ollama_url=stub.url)
        if files:
            assert not rag.ingest(files).failed
        app = build_app(rag)
        port = free_port()
        launch(app, rag, server_port=port, prevent_thread_lock=True, quiet=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        opened.append((stub, app, context))
        pg = context.new_page()
        pg.goto(f"http://127.0.0.1:{port}", wait_until="load")
        pg.wait_for_selector("#status :text('Index:')")
        pg.stub = stub
        return pg

    yield open_chat
    for stub, app, context in opened:
        context.close()
        app.close()
        stub.stop()


def test_an_answer_is_drafted_as_it_streams(ollama_chat):
    page = ollama_chat(OVERCAPACITY_REPLY, delay=0.05)  # a twentieth of a second per token
    watch_chat(page)
    text = ask(page, OVERCAPACITY)
    assert "overcapacity" in text and "[1]" in text
    # Shown first as "searching", then as a draft that grows token by token, then replaced by
    # the verified answer.
    seen = [s for s in page.evaluate("window.__seen") if not s.startswith("?")]
    kinds = [s.split("|", 1)[0] for s in seen]
    assert kinds[0] == "pending" and kinds[-1] == "answer", kinds
    drafts = [s.split("|", 1)[1].split("▍")[0].strip() for s in seen if s.startswith("draft")]
    assert len(drafts) >= 5, kinds
    assert all(b.startswith(a) for a, b in zip(drafts, drafts[1:])), drafts
    assert len(drafts[-1]) > len(drafts[0])
    assert page.locator("#chat .draft, #chat .pending").count() == 0


def test_an_answer_that_breaks_off_says_so_and_withdraws_its_draft(ollama_chat):
    page = ollama_chat(OVERCAPACITY_REPLY)
    page.stub.error_after = 6  # Ollama reports a failure after six tokens, as it does mid-stream
    text = ask(page, OVERCAPACITY)
    assert "broke off mid-answer" in text and "ollama serve" in text
    assert "Adapting to local" not in text and "Traceback" not in text
    page.stub.error_after = None
    assert "[1]" in ask(page, OVERCAPACITY)  # and the next question is answered


def test_stop_ends_a_slow_answer_and_the_model_with_it(ollama_chat):
    page = ollama_chat(OVERCAPACITY_REPLY, delay=0.1)  # a tenth of a second per token
    stub = page.stub
    assert "Ollama" in page.locator("#status").inner_text()
    page.fill("#question textarea", OVERCAPACITY)
    page.press("#question textarea", "Enter")
    page.wait_for_selector("#chat .draft:has-text('Adapting')")
    page.click("#question [data-testid='stop-button']")
    page.wait_for_selector("#chat .error:has-text('Stopped')")
    page.wait_for_selector("#question [data-testid='submit-button']")
    assert page.locator("#chat .draft").count() == 0
    # The model is told too: the stream is dropped long before its ~25 tokens are all sent.
    deadline = time.monotonic() + 10
    while not stub.abandoned and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stub.abandoned and stub.abandoned[0] < 20, stub.abandoned
    # The next question is answered in full, with its quote.
    text = ask(page, OVERCAPACITY)
    assert "overcapacity" in text and "[1]" in text and "Stopped" not in text
    assert len(stub.chat_requests()) >= 2


def test_questions_sent_while_answering_wait_their_turn(ollama_chat):
    # A model slow enough (a tenth of a second per token) that the second question surely
    # arrives mid-answer: an extractive answer can be done before the browser paints its draft.
    page = ollama_chat(OVERCAPACITY_REPLY, delay=0.1)
    page.fill("#question textarea", OVERCAPACITY)
    page.press("#question textarea", "Enter")
    page.wait_for_selector("#chat .draft:has-text('Adapting')")
    page.fill("#question textarea", UNANSWERABLE)
    page.press("#question textarea", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#chat .answer-meta').length === 2",
                           timeout=ANSWER_TIMEOUT_MS)
    users = page.locator("#chat [data-testid='user']").all_inner_texts()
    assert [u.strip() for u in users] == [OVERCAPACITY, UNANSWERABLE]
    assert page.locator("#chat .answer.refused").count() == 1


def test_source_text_is_shown_literally(ollama_chat, tmp_path):
    """Quotes are data: markdown and HTML in a source must appear as typed, never be rendered."""
    raw = "Prices rose *sharply* in __Q1__ <b>2024</b> & fell back by May."
    source = tmp_path / "prices.txt"
    source.write_text(f"Raw <i>title</i>\n\n{raw} Analysts had expected a quieter quarter.\n", encoding="utf-8")
    # The model quotes the source, then adds a claim the source does not make.
    page = ollama_chat(f"{raw} [1] 1. Prices will *double* next year. [1]", files=[source])
    text = ask(page, "What happened to prices?")
    assert raw in text
    bubble = bot_messages(page).last
    assert bubble.locator("em, strong, b, ol").count() == 0
    assert "Raw <i>title</i>" in page.locator("#sources .src-head").inner_text()
    assert page.locator("#sources blockquote.quote").inner_text().strip() == raw
    removed = bubble.locator("details.removed")
    assert "1 drafted sentence removed" in removed.locator("summary").inner_text()
    assert not removed.locator("li").is_visible()  # collapsed until opened
    removed.locator("summary").click()
    assert removed.locator("li").inner_text() == "Prices will *double* next year."


def test_a_quote_across_a_blank_line_keeps_the_bubble_whole():
    # Markdown ends an HTML block at a blank line: a quote spanning paragraphs, put raw into a
    # marker's tooltip, once broke the bubble (its [2] and its meta line went missing).
    from rag.types import Answer, Citation
    from rag.ui import render_answer

    quote = "Accelerating the Development of New Quality Productive Forces\n\nBy Qiu Ping"
    answer = Answer(question="q", answer="First. [1] Second. [2]", backend="extractive", citations=[
        Citation(n=1, source="/a.txt", title="A", quote="First.", start=0, end=6),
        Citation(n=2, source="/a.txt", title="A", quote=quote, start=7, end=7 + len(quote))])
    rendered = render_answer(answer)
    assert not re.search(r"\n[^\S\n]*\n", rendered)
    assert rendered.count('class="cite"') == 2 and 'class="answer-meta"' in rendered


@pytest.mark.slow
def test_embedded_model_streams_a_verified_answer(page):
    choose_backend(page, "embedded model (llama.cpp)")
    page.wait_for_selector("#status :text('embedded llama.cpp')", timeout=120_000)
    watch_chat(page)
    started = time.perf_counter()
    text = ask(page, OVERCAPACITY)
    seconds = time.perf_counter() - started
    drafts = [s for s in page.evaluate("window.__seen") if s.startswith("draft")]
    assert len(drafts) > 1, "the draft should arrive in several pieces"
    assert page.locator("#chat .error").count() == 0, text
    refused = page.locator("#chat .answer.refused").count() == 1
    assert refused or ("[1]" in text and page.locator("#sources .src").count() >= 1), text
    assert "embedded" in page.locator("#chat .answer-meta").last.inner_text()
    print(f"embedded answer in {seconds:.1f}s ({len(drafts)} draft updates)")


# ------------------------------------------------------------------ API and entry point

def test_chat_is_callable_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    api = client.view_api(print_info=False, return_format="dict")
    params = api["named_endpoints"]["/chat"]["parameters"]
    assert params[0]["parameter_name"] == "question"
    messages, sources, answer, status = client.predict(OVERCAPACITY, api_name="/chat")
    assert answer["refused"] is False and "[1]" in answer["answer"] and answer["citations"]
    assert answer["citations"][0]["quote"] in sources or "<mark>" in sources
    assert messages[-1]["role"] == "assistant"
    _, _, refusal, _ = client.predict(UNANSWERABLE, "extractive", 5, api_name="/chat")
    assert refusal["refused"] is True


def test_app_py_serves_on_localhost_and_ingests_seeds_first(tmp_path):
    from gradio_client import Client

    port = free_port()
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "index"), "RAG_LLM": "extractive",
           "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("GRADIO_SERVER_NAME", None)
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            lines.append(line)
            if "Running on local URL" in line:
                break
        out = "".join(lines)
        assert f"http://127.0.0.1:{port}" in out, out
        assert "ingesting" in out and "5 added" in out, out
        with socket.socket() as s:  # bound to loopback only
            assert s.connect_ex(("127.0.0.1", port)) == 0
        _, _, answer, _ = Client(f"http://127.0.0.1:{port}", verbose=False).predict(OVERCAPACITY, api_name="/chat")
        assert answer["citations"] and not answer["refused"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ------------------------------------------------------------------ pieces without a browser

def test_upload_names_cannot_leave_the_uploads_folder():
    from rag.ui import safe_upload_name

    assert safe_upload_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_upload_name("..\\..\\boot.ini.md") == "boot.ini.md"
    assert safe_upload_name(".bashrc") == "document.bashrc"  # never a hidden file
    assert safe_upload_name("..") == "document"
    assert safe_upload_name("报告 2024 (final).PDF") == "报告 2024 _final.pdf"
    assert "/" not in safe_upload_name("a/b\x00c.txt")


def test_rendering_escapes_source_text():
    from rag.types import Answer, Citation
    from rag.ui import render_answer, render_citation

    text = "Before. <script>alert(1)</script> & *not bold* After."
    c = Citation(n=1, source="/x/evil.txt", title="<b>T</b>", quote="<script>alert(1)</script>", start=8, end=33)
    html_ = render_citation(c, text)
    assert "<script>" not in html_ and "&lt;script&gt;" in html_
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html_
    answer = Answer(question="q", answer="It says <script>. [1]", citations=[c], unsupported=["Made up <i>claim</i>."])
    bubble = render_answer(answer)
    assert "<script>" not in bubble and "<i>" not in bubble
    assert '<details class="removed">' in bubble and "1 drafted sentence removed" in bubble


def test_a_pasted_draft_is_checked_sentence_by_sentence(page):
    """"Check a text": a supported sentence shows its quote highlighted in its source; a fluent
    sentence the documents do not bear out is marked as such, with no quote of its own: it says
    why, and shows the closest source sentence as one that does not support it."""
    page.click("#check button:has-text('Check a text'), #check > button, #check .label-wrap")
    page.fill("#check-text textarea",
              "因地制宜是避免产能过剩的关键举措。 The lighthouse keeper counted 417 ships in 2023.")
    page.click("#check-button")
    page.wait_for_selector("#check-result .check-item", timeout=ANSWER_TIMEOUT_MS)
    items = page.locator("#check-result .check-item")
    assert items.count() == 2
    first, second = items.nth(0), items.nth(1)
    assert first.locator(".check-ok").count() == 1
    assert "避免产能过剩的关键举措" in first.locator("mark").first.inner_text()
    assert "001_34acb3e43dc2d187.txt" in first.inner_text()
    assert second.locator(".check-bad").count() == 1
    assert second.locator("mark").count() == second.locator(".check-closest mark").count()  # no quote of its own
    assert "Why: no source sentence states it" in second.locator(".check-why").inner_text()
    assert "does not support it" in second.locator(".check-closest").first.inner_text()
    assert "1 of 2 sentences supported" in page.locator("#check-result").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "check.png"), full_page=True)
