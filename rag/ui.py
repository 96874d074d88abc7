"""The web chat: a Gradio app over the `RAG` API.

    from rag.ui import build_app, launch
    app = build_app()        # a gr.Blocks; give it your own RAG(...) to embed it elsewhere
    launch(app)              # what `python app.py` does: 127.0.0.1, queue, theme and CSS

One page: the chat (answers stream in as drafted, then are replaced by the verified answer),
a sources panel (for each [n]: the document, the verbatim quote, and the quote highlighted in
the text around it), the documents in the index (upload, remove), and per-session settings
(backend, top-k). The chat is also an API endpoint: `Client(url).predict(question,
api_name="/chat")`.

Everything shown that comes from a document or a user is HTML-escaped here: sources are
untrusted text, and the sources panel (gr.HTML) renders what it is given as it is.
"""
from __future__ import annotations

import os

# Before gradio is imported: with analytics on it looks up external hosts in the background.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import html
import logging
import re
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

import gradio as gr

from .api import RAG
from .errors import RagError
from .llms import BACKENDS, resolve_backend
from .settings import REPO_ROOT, load_settings
from .types import Answer, Check, Citation

log = logging.getLogger(__name__)

SEEDS_DIR = REPO_ROOT / "seeds"
EXAMPLES = [
    "Why does adapting to local conditions avoid overcapacity?",
    "为什么因地制宜可以避免产能过剩？",
    "What are new quality productive forces?",
    "What was China's GDP growth rate in 2023?",  # not in the seeds: shows an honest refusal
]
CONTEXT_CHARS = 300  # characters of source text shown on each side of a quote
LANGUAGES = {"en": "English", "zh": "Chinese", "mixed": "English + Chinese"}
BACKEND_LABELS = {
    "auto": "auto (Ollama if running, else embedded)",
    "ollama": "Ollama",
    "embedded": "embedded model (llama.cpp)",
    "extractive": "extractive (no LLM: quotes only)",
}

# Chinese needs a CJK font early in the stack, or the browser may pick one without the glyphs.
FONT_STACK = ("Source Sans Pro", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
              "ui-sans-serif", "system-ui", "sans-serif")
_FONT_CSS = ", ".join(f'"{f}"' if " " in f else f for f in FONT_STACK)

# For browser tests and benchmarks: true once the chat shows more than `n` questions and the newest
# one's bubble is finished (an answer or an error), read from the markup this module writes.
# Counting finished bubbles instead fails about once in ten loaded runs: while the chat
# re-renders after Stop, the "Stopped" note is briefly in the page twice.
ANSWERED_JS = """n => {
    const users = document.querySelectorAll('#chat [data-testid="user"]').length;
    const bots = document.querySelectorAll('#chat [data-testid="bot"]');
    const last = bots[bots.length - 1];
    return users > n && bots.length >= users && !!last && !!last.querySelector('.answer-meta, .error');
}"""

# Local fonts only: the default Google-hosted fonts would make the browser reach the internet.
THEME = gr.themes.Default(
    # The weights Gradio ships for these fonts; asking for others leaves bold text unstyled.
    font=(gr.themes.LocalFont("Source Sans Pro", weights=(400, 600)), *FONT_STACK[1:]),
    font_mono=(gr.themes.LocalFont("IBM Plex Mono", weights=(400, 600)), "Noto Sans Mono CJK SC",
               "WenQuanYi Zen Hei Mono", "ui-monospace", "monospace"),
)

CSS = f"""
.gradio-container, .gradio-container textarea, .gradio-container input {{ font-family: {_FONT_CSS}; }}
.gradio-container {{ max-width: 1400px !important; }}
#status p {{ margin: 0; font-size: 0.9em; }}
.answer .cite {{ font-weight: 600; color: var(--color-accent); cursor: help; white-space: nowrap; }}
.answer.refused {{ font-style: italic; }}
.draft, .pending {{ opacity: 0.65; }}
.draft-note, .answer-meta {{ font-size: 0.8em; opacity: 0.7; margin-top: 0.4em; }}
.error {{ color: var(--error-text-color); }}
details.removed {{ margin-top: 0.5em; font-size: 0.85em; }}
details.removed summary {{ cursor: pointer; }}
#sources .src {{ border-left: 3px solid var(--color-accent); padding: 0.2em 0 0.2em 0.8em; margin: 0 0 1em 0; }}
#sources .src-head {{ font-weight: 600; }}
#sources .src-file {{ font-weight: 400; font-size: 0.8em; opacity: 0.7; word-break: break-all; }}
#sources blockquote.quote {{ margin: 0.4em 0; padding: 0 0 0 0.6em;
                            border-left: 2px solid var(--border-color-primary); }}
#sources .context {{ white-space: pre-line; font-size: 0.85em; opacity: 0.9; }}
#sources mark {{ background: #fde68a; color: #111; padding: 0 1px; }}
#sources .muted {{ opacity: 0.7; }}
#doc-table td, #doc-table th {{ font-family: {_FONT_CSS}; }}
#check-result .check-item {{ margin: 0 0 1em 0; }}
#check-result .check-sentence {{ padding: 0.3em 0.6em; border-radius: 4px; }}
#check-result .check-ok {{ background: rgba(34, 197, 94, 0.15); }}
#check-result .check-bad {{ background: rgba(239, 68, 68, 0.15); }}
#check-result .check-mark {{ font-weight: 700; }}
#check-result .check-why {{ margin: 0.3em 0 0 1.2em; font-size: 0.9em; }}
#check-result .check-closest {{ margin: 0.3em 0 0 1.2em; opacity: 0.85; }}
#check-result .check-closest .src {{ border-left-color: var(--border-color-primary); }}
#check-result .src {{ border-left: 3px solid var(--color-accent); padding: 0.2em 0 0.2em 0.8em; margin: 0.4em 0 0 1.2em; }}
#check-result .src-head {{ font-weight: 600; }}
#check-result .src-file, #check-result .muted {{ font-weight: 400; font-size: 0.8em; opacity: 0.7; }}
#check-result .context {{ white-space: pre-line; font-size: 0.85em; opacity: 0.9; }}
#check-result mark {{ background: #fde68a; color: #111; padding: 0 1px; }}
#check-result blockquote.quote {{ margin: 0.4em 0; padding: 0 0 0 0.6em; border-left: 2px solid var(--border-color-primary); }}
"""

EMPTY_SOURCES = (
    '<div class="muted"><p><b>Sources</b></p><p>Each [n] in an answer is listed here with its document, '
    "the exact quote it rests on, and that quote highlighted in the surrounding text.</p></div>"
)
CHAT_PLACEHOLDER = (
    "**Ask about the documents.** Every sentence of an answer carries a [n] citation to a verbatim quote "
    "(see *Sources*), or the answer says the documents do not say."
)


# ------------------------------------------------------------------ rendering (pure functions)

def _escape(text: str) -> str:
    """Plain text as HTML that Gradio's Markdown leaves alone (newlines kept as <br>)."""
    return html.escape(text).replace("\n", "<br>")


def _block(inner: str, cls: str) -> str:
    # One HTML block with no blank line inside: Markdown passes it through instead of parsing
    # `*`, `_` or `1.` in source text as formatting.
    return f'<div class="{cls}">{inner}</div>'


def render_answer_text(answer: Answer) -> str:
    """The answer with its [n] markers made visible; hovering a marker shows its quote."""
    by_n = {c.n: c for c in answer.citations}

    def marker(m: re.Match) -> str:
        c = by_n.get(int(m.group(1)))
        # One line: a blank line in a quote would end the HTML block, and Markdown would parse
        # the rest of the bubble as text.
        tip = f' title="{html.escape(" ".join(f"{c.title}: {c.quote}".split()))}"' if c else ""
        return f'<span class="cite"{tip}>[{m.group(1)}]</span>'

    return re.sub(r"\[(\d+)\]", marker, _escape(answer.answer))


def render_answer(answer: Answer) -> str:
    """The chat bubble of a verified answer or a refusal, with removed sentences disclosed."""
    body = _block(render_answer_text(answer), "answer refused" if answer.refused else "answer")
    if answer.unsupported:
        n = len(answer.unsupported)
        items = "".join(f"<li>{_escape(s)}</li>" for s in answer.unsupported)
        summary = (f"{n} drafted sentence{'s' if n > 1 else ''} removed: no source supports "
                   f"{'them' if n > 1 else 'it'}")
        body += f'<details class="removed"><summary>{summary}</summary><ul>{items}</ul></details>'
    total = answer.timings.get("total")
    meta = f"{answer.backend}" + (f" · {total:.1f} s" if total else "")
    return body + _block(html.escape(meta), "answer-meta")


def render_draft(draft: str) -> str:
    """The bubble while an answer is being made: a search note, then the draft as it streams."""
    if not draft.strip():
        return _block("Searching the documents…", "pending")
    return _block(_escape(draft) + " ▍", "draft") + _block("Draft: checking each sentence against the sources…",
                                                          "draft-note")


def render_error(message: str) -> str:
    return _block("⚠️ " + _escape(message), "error")


def _context(text: str, start: int, end: int, lo_bound: int, hi_bound: int) -> tuple[str, str, str]:
    """(before, quote, after) around text[start:end] within the bounds, cut at spaces where the
    script has them."""
    lo, hi = max(lo_bound, start - CONTEXT_CHARS), min(hi_bound, end + CONTEXT_CHARS)
    before, after = text[lo:min(start, hi)], text[max(end, lo):hi]
    if lo > lo_bound:
        cut = before.find(" ", 0, 40)
        before = "…" + (before[cut + 1:] if cut >= 0 else before)
    if hi < hi_bound:
        cut = after.rfind(" ", len(after) - 40)
        after = (after[:cut] if cut >= 0 else after) + "…"
    return before, text[start:end], after


def render_citation(c: Citation, doc_text: str | None, passage_text: str | None = None,
                    bounds: tuple[int, int] | None = None, elem_id: str | None = None) -> str:
    """One source: title, file, the verbatim quote, and the quote marked in its surroundings.

    `bounds` limits the surroundings to indexed text (the cited passage and its neighbours), so
    page furniture that the loader left out of the passages is not shown as context. `elem_id`:
    a source that is not a citation (the closest sentence to an unsupported one) goes unnumbered,
    its context folded: it is there to compare with, not to read."""
    name = c.source.rsplit("/", 1)[-1]
    unnumbered = elem_id is not None
    label = "" if unnumbered else f"[{c.n}] "
    elem_id = elem_id or f"source-{c.n}"
    head = (f'<div class="src-head">{label}{html.escape(c.title or name)} '
            f'<span class="src-file">{html.escape(name)} · characters {c.start}–{c.end}</span></div>')
    quote = f'<blockquote class="quote">{_escape(c.quote)}</blockquote>'
    if doc_text is not None and doc_text[c.start:c.end] == c.quote:
        before, q, after = _context(doc_text, c.start, c.end, *(bounds or (0, len(doc_text))))
    elif passage_text and c.quote in passage_text:  # the document changed since: show the passage
        i = passage_text.index(c.quote)
        before, q, after = passage_text[:i], c.quote, passage_text[i + len(c.quote):]
    else:
        return f'<div class="src" id="{elem_id}">{head}{quote}</div>'
    context = (f'<details{"" if unnumbered else " open"}><summary class="muted">In context</summary><div class="context">'
               f"{html.escape(before)}<mark>{html.escape(q)}</mark>{html.escape(after)}</div></details>")
    return f'<div class="src" id="{elem_id}">{head}{quote}{context}</div>'


def render_sources(answer: Answer | None, rag: RAG) -> str:
    if answer is None:
        return EMPTY_SOURCES
    title = f'<p><b>Sources</b> <span class="muted">for “{html.escape(answer.question)}”</span></p>'
    if answer.refused or not answer.citations:
        return title + '<p class="muted">None: no passage in the documents answers this question.</p>'
    passages = {r.passage.id: r.passage for r in answer.passages}
    texts: dict[str, str | None] = {}
    parts = []
    for c in answer.citations:
        if c.source not in texts:
            texts[c.source] = rag.store.document_text(c.source)
        passage, bounds = passages.get(c.passage_id), None
        if passage is not None:
            around = rag.store.neighbours(passage) or [passage]
            bounds = (min(p.start for p in around), max(p.end for p in around))
        parts.append(render_citation(c, texts[c.source], passage.text if passage else None, bounds))
    return title + "".join(parts)


def render_check(check: Check, rag: RAG) -> str:
    """Each sentence of a checked text marked supported or not, its quotes highlighted in their source."""
    texts: dict[str, str | None] = {}

    def text_of(source: str) -> str | None:  # each document read once
        if source not in texts:
            texts[source] = rag.store.document_text(source)
        return texts[source]

    parts, n = [], 0
    for i, s in enumerate(check.sentences, 1):
        mark, cls, label = ("✓", "check-ok", "supported") if s.supported else ("✗", "check-bad", "not supported")
        head = (f'<div class="check-sentence {cls}"><span class="check-mark">{mark}</span> {_escape(s.text)} '
                f'<span class="muted">{label} · {s.score:.2f}</span></div>')
        quotes = []
        for c in s.citations:
            n += 1
            quotes.append(render_citation(replace(c, n=n), text_of(c.source)))
        if s.reason:
            quotes.append(f'<div class="check-why"><b>Why:</b> {_escape(s.reason)}</div>')
        for k, c in enumerate(s.closest, 1):
            quotes.append('<div class="check-closest"><span class="muted">Closest source sentence, which does not '
                          f'support it:</span>{render_citation(c, text_of(c.source), elem_id=f"closest-{i}-{k}")}</div>')
        parts.append(f'<div class="check-item" id="check-{i}">{head}{"".join(quotes)}</div>')
    ok = sum(s.supported for s in check.sentences)
    summary = f"<p><b>{ok} of {len(check.sentences)} sentences supported by the documents</b></p>"
    return summary + "".join(parts)


def _messages(turns: list[dict]) -> list[dict]:
    """Chatbot messages (Gradio 6: role/content dicts) for the turns of a session."""
    out = []
    for t in turns:
        out.append({"role": "user", "content": _block(_escape(t["question"]), "question")})
        out.append({"role": "assistant", "content": t["html"]})
    return out


# ------------------------------------------------------------------ uploads

def safe_upload_name(name: str) -> str:
    """A file name that stays inside the uploads folder: no folders, no leading dots, no oddities."""
    name = unicodedata.normalize("NFKC", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = re.sub(r"[^\w\-. ]+", "_", stem).strip(" ._")[:100] or "document"
    suffix = re.sub(r"[^\w]+", "", suffix)[:10].lower()
    return f"{stem}.{suffix}" if suffix else stem


def _allowed_types(spec: str) -> list[str]:
    return [t if t.startswith(".") else f".{t}" for t in (s.strip().lower() for s in spec.split(",")) if t]


# ------------------------------------------------------------------ the app

def build_app(rag: RAG | None = None) -> gr.Blocks:
    """The chat as a gr.Blocks over `rag` (default: RAG() from settings). Launch it with `launch(app)`,
    or `app.queue(...).launch(theme=THEME, css=CSS)` to keep its look."""
    rag = rag or RAG()
    settings = rag.settings
    upload_dir = Path(settings.data_dir).expanduser().resolve() / "uploads"
    types = _allowed_types(settings.upload_types)
    limit_bytes = int(settings.upload_max_mb * 1024 * 1024)

    # -------------------------------------------------------------- handlers
    def describe_backend(choice: str) -> str:
        try:
            b = resolve_backend(settings, choice)
            why = f" — {b.note}" if b.note else ""
            text = f"**Answering with:** {b.label}{why}"
        except RagError as e:
            text = f"**Answering with:** ⚠️ {e}"
        except Exception as e:  # a broken install must not break the page
            log.exception("resolving backend %s", choice)
            text = f"**Answering with:** ⚠️ backend {choice!r} unavailable ({type(e).__name__}: {e})"
        return f"{text}  \n{index_line()}"

    def index_line() -> str:
        files = rag.files()
        return f"**Index:** {len(files)} documents, {sum(f.n_passages for f in files)} passages"

    def chat(question: str, history: list[dict], backend: str, k: float) -> Iterator[tuple]:
        """Answer a question from the indexed documents, using the session's conversation.

        Args:
            question: the question (English or Chinese).
            backend: auto | ollama | embedded | extractive.
            k: how many passages to retrieve.
        Returns:
            A tuple of: the chat messages (role/content dicts, HTML), the sources panel (HTML),
            the answer as JSON ({"answer", "refused", "citations": [{"n", "source", "title",
            "quote", "start", "end", ...}], "unsupported", "backend", "timings", ...}, or
            {"error": message} when no answer could be produced), and the status line.
            While the answer is drafted, the messages show the draft as it streams.
        """
        history = list(history or [])
        status = gr.skip()
        if not (question or "").strip():
            gr.Warning("Type a question first.")
            yield _messages(history), history, gr.skip(), {"error": "The question is empty."}, status
            return
        turn = {"question": question, "answer": None, "html": render_draft("")}
        shown = history + [turn]
        yield _messages(shown), history, gr.skip(), None, status
        past = [(t["question"], t["answer"]) for t in history if t["answer"] is not None]
        draft, answer = "", None
        try:
            for item in rag.stream(question, history=past, backend=backend, k=int(k) if k else None):
                if isinstance(item, Answer):
                    answer = item
                    break
                draft += item
                turn["html"] = render_draft(draft)
                yield _messages(shown), history, gr.skip(), None, status
        except RagError as e:
            turn["html"], result = render_error(str(e)), {"error": str(e)}
        except Exception as e:  # never a traceback in the chat; the log keeps the details
            log.exception("answering %r", question)
            message = (f"Something went wrong while answering ({type(e).__name__}: {str(e)[:200]}). "
                       "Try again, or choose another backend in Settings.")
            turn["html"], result = render_error(message), {"error": message}
        else:
            if answer is None:  # the engine ended without a verdict: say so rather than hang
                message = "No answer came back from the engine. Try again."
                turn["html"], result = render_error(message), {"error": message}
            else:
                turn["answer"], turn["html"], result = answer.answer, render_answer(answer), answer.to_json()
                why = f" — {answer.backend_note}" if answer.backend_note else ""
                status = f"**Last answer by:** {answer.backend}{why}  \n{index_line()}"
        history = history + [turn]
        sources = render_sources(answer, rag) if answer else gr.skip()
        yield _messages(history), history, sources, result, status

    def check(text: str) -> tuple[str, dict]:
        """Verify a text written elsewhere against the indexed documents, sentence by sentence.

        Args:
            text: the draft to check (English or Chinese).
        Returns:
            The sentences marked supported or not with their quotes (HTML), and the same as JSON
            ({"sentences": [{"text", "supported", "score", "citations": [...]}]} or {"error"}).
        """
        try:
            result = rag.check(text)
        except RagError as e:
            return render_error(str(e)), {"error": str(e)}
        except Exception as e:  # never a traceback on the page; the log keeps the details
            log.exception("checking a text")
            message = f"Something went wrong while checking ({type(e).__name__}: {str(e)[:200]})."
            return render_error(message), {"error": message}
        return render_check(result, rag), result.to_json()

    # While an answer is made the box offers Stop instead of Ask. Questions sent meanwhile wait
    # in the queue; they read the session's history when their turn comes, so none is lost.
    def take_question(text: str) -> tuple[Any, str]:
        return gr.Textbox(value="", submit_btn=False, stop_btn="Stop"), text  # the question travels on in `asked`

    def take_example(sample: list[str]) -> tuple[Any, str]:
        return gr.Textbox(submit_btn=False, stop_btn="Stop"), sample[0]

    def ready() -> Any:
        return gr.Textbox(submit_btn="Ask", stop_btn=False)

    def stopped(question: str, history: list[dict]) -> tuple:
        turn = {"question": question, "answer": None, "html": render_error("Stopped: no answer was given.")}
        history = list(history or []) + [turn]
        return _messages(history), history, ready()

    def new_chat() -> tuple:
        return [], [], EMPTY_SOURCES, None, ready()

    def documents() -> tuple[list[list[Any]], Any]:
        files = rag.files()
        rows = [[f.title or Path(f.source).name, Path(f.source).name, LANGUAGES.get(f.lang, f.lang), f.n_passages]
                for f in files]
        choices = [(f"{Path(f.source).name} — {f.title}"[:120], f.source) for f in files]
        return rows, gr.update(choices=choices, value=None)

    def add_files(paths: list[str] | None, progress=gr.Progress()) -> tuple:
        if not paths:
            return (gr.skip(),) * 4
        notes, accepted = [], []
        upload_dir.mkdir(parents=True, exist_ok=True)
        for tmp in paths:
            original = Path(tmp).name
            suffix = Path(original).suffix.lower()
            if suffix not in types:
                notes.append(f"❌ {original}: {suffix or 'no extension'} files are not accepted "
                             f"(allowed: {', '.join(types)}).")
                continue
            size = Path(tmp).stat().st_size
            if size > limit_bytes:
                notes.append(f"❌ {original}: {size / 1048576:.1f} MB is over the {settings.upload_max_mb:g} MB "
                             "upload limit (RAG_UPLOAD_MAX_MB).")
                continue
            target = (upload_dir / safe_upload_name(original)).resolve()
            if target.parent != upload_dir:  # safe_upload_name makes this impossible; keep it so
                notes.append(f"❌ {original}: not a usable file name.")
                continue
            shutil.copyfile(tmp, target)
            accepted.append((original, target))
        for i, (original, target) in enumerate(accepted):
            progress(i / len(accepted), desc=f"Indexing {original} ({i + 1} of {len(accepted)})")
            try:
                report = rag.ingest([target])
            except RagError as e:
                report, error = None, str(e)
            except Exception as e:
                log.exception("ingesting %s", target)
                report, error = None, f"{type(e).__name__}: {e}"
            if report is None or report.failed:
                message = error if report is None else report.failed[0][1]
                notes.append(f"❌ {original}: {message.replace(target.as_posix(), target.name)}")
                if not any(f.source == target.as_posix() for f in rag.files()):
                    target.unlink(missing_ok=True)  # keep only what the index holds
                continue
            n = next((f.n_passages for f in rag.files() if f.source == target.as_posix()), 0)
            verb = "unchanged" if report.unchanged else ("updated" if report.updated else "added")
            passages = f"{n} passage{'' if n == 1 else 's'}"
            notes.append(f"✅ {original}: {verb} as {target.name}, {passages} — you can ask about it now.")
        progress(1.0, desc="Done")
        rows, choices = documents()
        return "  \n".join(notes), rows, choices, None

    def remove_file(source: str | None) -> tuple:
        if not source:
            return "Choose a document to remove first.", gr.skip(), gr.skip()
        try:
            rag.remove([source])
        except RagError as e:
            return f"❌ {e}", gr.skip(), gr.skip()
        path = Path(source)
        if path.parent == upload_dir:  # our own copy of an upload; other files are the user's
            path.unlink(missing_ok=True)
        rows, choices = documents()
        return f"Removed {path.name} and its passages.", rows, choices

    # -------------------------------------------------------------- layout
    with gr.Blocks(title="Grounded answers") as app:
        gr.Markdown("## Grounded answers from your documents")
        status = gr.Markdown(label="Status", elem_id="status")  # labels name the API's outputs
        history = gr.State([])  # this browser session's turns; never shared between sessions
        asked = gr.Textbox(visible=False)  # the question being answered, so the input box can clear
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat", elem_id="chat", height=560, placeholder=CHAT_PLACEHOLDER,
                    latex_delimiters=[],  # `$` in sources is money, not maths
                    feedback_options=None, group_consecutive_messages=False, buttons=["copy", "copy_all"],
                )
                question = gr.Textbox(
                    placeholder="Ask a question about the documents (English or 中文)…", show_label=False,
                    submit_btn="Ask", elem_id="question", max_length=settings.max_question_chars,
                )
                examples = gr.Dataset(components=[question], samples=[[q] for q in EXAMPLES],
                                      label="Examples", elem_id="examples")
                new = gr.Button("New chat", elem_id="new-chat", size="sm")
            with gr.Column(scale=2):
                sources = gr.HTML(EMPTY_SOURCES, label="Sources", elem_id="sources", padding=True)
        with gr.Accordion("Check a text", open=False, elem_id="check"):
            gr.Markdown("Paste a draft written elsewhere: each sentence is searched for in the documents and "
                        "marked supported (with the quote that says it, highlighted in its source) or not.")
            check_input = gr.Textbox(lines=5, show_label=False, elem_id="check-text",
                                     placeholder="Paste sentences to verify (English or 中文)…")
            check_button = gr.Button("Check", elem_id="check-button")
            check_result = gr.HTML(label="Checked", elem_id="check-result", padding=True)
            check_json = gr.JSON(label="Check as JSON", visible=False)
        with gr.Accordion("Documents", open=False, elem_id="documents"):
            docs = gr.Dataframe(headers=["Title", "File", "Language", "Passages"],
                                datatype=["str", "str", "str", "number"], interactive=False, wrap=True,
                                column_widths=["50%", "28%", "13%", "9%"], elem_id="doc-table")
            with gr.Row():
                upload = gr.File(label=f"Add documents ({', '.join(types)}; up to {settings.upload_max_mb:g} MB each)",
                                 file_count="multiple", file_types=types, elem_id="upload")
                with gr.Column():
                    to_remove = gr.Dropdown(label="Remove a document", choices=[], elem_id="remove-choice")
                    remove = gr.Button("Remove from index", variant="stop", elem_id="remove")
            doc_note = gr.Markdown(elem_id="doc-note")
        with gr.Accordion("Settings", open=False, elem_id="settings"):
            backend = gr.Radio([(BACKEND_LABELS.get(b, b), b) for b in BACKENDS], value=settings.llm,
                               label="Answer with", elem_id="backend")
            k = gr.Slider(1, 20, value=settings.top_k, step=1, label="Passages to retrieve (top-k)", elem_id="top-k")
        with gr.Accordion("Last answer as JSON", open=False, elem_id="json-panel"):
            answer_json = gr.JSON(label="Answer", elem_id="answer-json")

        # -------------------------------------------------------------- events
        outputs = [chatbot, history, sources, answer_json, status]
        # One concurrency group for every way of asking: `ui_concurrency` answers at a time in all.
        # "multiple": a question sent while another is answered waits its turn instead of being dropped.
        answer_args = dict(fn=chat, inputs=[asked, history, backend, k], outputs=outputs, show_progress="minimal",
                           concurrency_id="answer", trigger_mode="multiple")
        asking = question.submit(take_question, [question], [question, asked], queue=False, api_visibility="private") \
            .then(**answer_args, api_name="chat")
        asking.then(ready, None, question, queue=False, api_visibility="private")
        trying = examples.click(take_example, [examples], [question, asked], queue=False, api_visibility="private") \
            .then(**answer_args, api_visibility="private")
        trying.then(ready, None, question, queue=False, api_visibility="private")
        # A new chat also ends an answer in progress, which would otherwise write the old turns back.
        gr.on([new.click, chatbot.clear], new_chat, None, [chatbot, history, sources, answer_json, question],
              cancels=[asking, trying], queue=False, api_visibility="private")
        # Cancel first, then say so: a draft update already on its way must not land after the note.
        question.stop(None, None, None, cancels=[asking, trying], queue=False, api_visibility="private") \
            .then(stopped, [asked, history], [chatbot, history, question], queue=False, api_visibility="private")
        check_button.click(check, [check_input], [check_result, check_json], api_name="check",
                           concurrency_id="answer")
        backend.change(describe_backend, [backend], [status], api_visibility="private")
        upload.upload(add_files, [upload], [doc_note, docs, to_remove, upload], api_visibility="private")
        remove.click(remove_file, [to_remove], [doc_note, docs, to_remove], api_visibility="private")
        app.load(describe_backend, [backend], [status], api_visibility="private")
        app.load(documents, None, [docs, to_remove], api_visibility="private")
    return app


def launch(app: gr.Blocks | None = None, rag: RAG | None = None, **kwargs: Any):
    """Serve the chat: 127.0.0.1 unless GRADIO_SERVER_NAME says otherwise, GRADIO_SERVER_PORT or
    the first free port from 7860, `ui_concurrency` answers at a time. `rag` is the instance the
    app was built over (its settings give the limits); keyword arguments go to `Blocks.launch`."""
    settings = rag.settings if rag else load_settings()
    app = app or build_app(rag)
    port = os.environ.get("GRADIO_SERVER_PORT")
    options = dict(
        server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=int(port) if port else None,
        theme=THEME, css=CSS,
        max_file_size=f"{int(settings.upload_max_mb * 1024)}kb",  # refused before it reaches the disk
    )
    options.update(kwargs)
    app.queue(default_concurrency_limit=settings.ui_concurrency)
    return app.launch(**options)


def main() -> None:
    """`python app.py`: open the index (ingesting seeds/ the first time) and serve the chat."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("rag").setLevel(logging.INFO)
    rag = RAG()
    if not rag.files() and SEEDS_DIR.is_dir():
        print(f"Empty index in {rag.settings.data_dir}: ingesting {SEEDS_DIR} (first start only)…", flush=True)
        print(rag.ingest([SEEDS_DIR]).summary(), flush=True)
    launch(build_app(rag), rag)
