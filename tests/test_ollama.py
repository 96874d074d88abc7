"""The Ollama backend against a real HTTP server speaking Ollama's wire format.

Nothing in the client path is mocked: rag.llms builds llama-index's `Ollama`, which uses the
`ollama` package over httpx, talking to `OllamaStub` (tests/ollama_stub.py) on 127.0.0.1.
The assertions are on what a user sees: the streamed text, and the one-line BackendError
messages that say what to do (`ollama serve`, `ollama pull MODEL`).
"""
from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/ is not a package

from ollama_stub import DEFAULT_MODEL, OllamaStub, split_reply  # noqa: E402

from rag.errors import BackendError  # noqa: E402
from rag.llms import ollama_backend, probe_ollama, resolve_backend  # noqa: E402
from rag.settings import load_settings  # noqa: E402

MESSAGES = [("system", "Answer only from the sources."), ("user", "What is the answer?")]
REPLY = "The answer is 42, as the first source states."


@pytest.fixture(autouse=True)
def _no_rag_env(monkeypatch):
    """RAG_* variables in the developer's shell must not change what these tests send."""
    for name in list(os.environ):
        if name.startswith("RAG_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("OLLAMA_API_KEY", raising=False)  # the ollama package would send it


@pytest.fixture
def stub():
    with OllamaStub(models=[DEFAULT_MODEL], reply=REPLY) as s:
        yield s


def settings_for(url: str, **kw):
    return load_settings(ollama_url=url, ollama_model=kw.pop("ollama_model", DEFAULT_MODEL), **kw)


def dead_url() -> str:
    """A URL where nothing listens: bind a free port, then release it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def drain(gen, into: list[str]) -> None:
    """Consume a delta stream, keeping what arrived before any error."""
    for delta in gen:
        into.append(delta)


# ----- the stub itself: checked with the official client, so the tests below rest on a
# ----- faithful wire format rather than on one the project's code happens to accept.

def test_stub_speaks_ollama_wire_format(stub):
    import ollama

    client = ollama.Client(host=stub.url)
    assert [m.model for m in client.list().models] == [DEFAULT_MODEL]
    assert client.show(DEFAULT_MODEL).modelinfo["qwen2.context_length"] == 32768
    whole = client.chat(model=DEFAULT_MODEL, messages=[{"role": "user", "content": "q"}], stream=False)
    assert whole.done and whole.message.content == REPLY and whole.done_reason == "stop"
    parts = list(client.chat(model=DEFAULT_MODEL, messages=[{"role": "user", "content": "q"}], stream=True))
    assert [p.done for p in parts] == [False] * (len(parts) - 1) + [True]
    assert "".join(p.message.content for p in parts) == REPLY and parts[-1].eval_count == len(parts) - 1
    assert client.generate(model=DEFAULT_MODEL, prompt="q").response == REPLY
    assert httpx.get(f"{stub.url}/api/version").json() == {"version": "0.12.0"}

    with httpx.stream("POST", f"{stub.url}/api/chat", json={"model": DEFAULT_MODEL, "messages": []}) as r:
        assert r.headers["content-type"] == "application/x-ndjson"
        assert r.headers["transfer-encoding"] == "chunked"
        lines = [json.loads(line) for line in r.iter_lines()]
    assert lines[-1]["done"] is True and {"total_duration", "eval_count"} <= lines[-1].keys()

    r = httpx.post(f"{stub.url}/api/chat", json={"model": "nope:1b", "messages": []})
    assert (r.status_code, r.json()) == (404, {"error": 'model "nope:1b" not found, try pulling it first'})
    r = httpx.post(f"{stub.url}/api/show", json={"model": "nope:1b"})
    assert (r.status_code, r.json()) == (404, {"error": "model 'nope:1b' not found"})


def test_split_reply_round_trips():
    for text in (REPLY, "  leading and trailing  ", "答案是四十二。见第一段。", "mixed 中文 text\n"):
        pieces = split_reply(text)
        assert "".join(pieces) == text and len(pieces) > 1


# ----- probe_ollama

def test_probe_usable_when_server_has_model(stub):
    ok, reason = probe_ollama(settings_for(stub.url))
    assert ok, reason
    assert stub.url in reason and DEFAULT_MODEL in reason


def test_probe_accepts_untagged_name_as_latest():
    # `ollama pull llama3.2` stores llama3.2:latest; the setting may name it either way.
    with OllamaStub(models=["llama3.2:latest"]) as s:
        assert probe_ollama(settings_for(s.url, ollama_model="llama3.2"))[0]


def test_probe_unreachable_names_the_url():
    url = dead_url()
    started = time.monotonic()
    ok, reason = probe_ollama(settings_for(url))
    assert not ok
    assert url in reason and "not reachable" in reason
    assert time.monotonic() - started < 2  # refused at once: `auto` mode must not stall on it


def test_probe_missing_model_says_pull():
    with OllamaStub(models=["llama3.2:latest"]) as s:
        ok, reason = probe_ollama(settings_for(s.url))
    assert not ok
    assert s.url in reason and f"ollama pull {DEFAULT_MODEL}" in reason


# ----- streaming answers

def test_stream_chat_streams_the_reply_and_sends_num_ctx(stub):
    settings = settings_for(stub.url)
    deltas = list(ollama_backend(settings).stream_chat(MESSAGES))

    assert len(deltas) > 1, "the answer should arrive in several deltas, not at the end"
    assert "".join(deltas) == REPLY

    (sent,) = stub.chat_requests()
    assert sent["model"] == DEFAULT_MODEL
    assert sent["stream"] is True
    # Ollama's own default context (2k-4k tokens) silently truncates RAG prompts.
    assert settings.ollama_num_ctx >= 8192
    assert sent["options"]["num_ctx"] == settings.ollama_num_ctx
    assert sent["options"]["num_predict"] == settings.max_new_tokens
    assert sent["options"]["temperature"] == settings.temperature
    assert sent["messages"] == [{"role": r, "content": c} for r, c in MESSAGES]


def test_reply_can_depend_on_the_prompt_and_unicode_survives():
    def echo(body: dict) -> str:
        question = body["messages"][-1]["content"]
        return f"你问的是：{question}"

    with OllamaStub(reply=echo) as s:
        backend = ollama_backend(settings_for(s.url))
        assert backend.complete([("user", "答案是什么？")]) == "你问的是：答案是什么？"


def test_building_the_backend_does_not_call_the_server(stub):
    # context_window is set explicitly: with llama-index's default (-1) merely reading
    # `llm.metadata` would POST /api/show on every read.
    backend = ollama_backend(settings_for(stub.url))
    assert backend.llm.metadata.context_window == 8192
    assert stub.calls == []


# ----- errors a user can meet, each one clear message

def test_unknown_model_says_ollama_pull():
    with OllamaStub(models=["llama3.2:latest"]) as s:
        backend = ollama_backend(settings_for(s.url, ollama_model="qwen9:1b"))
        with pytest.raises(BackendError) as err:
            list(backend.stream_chat(MESSAGES))
    msg = str(err.value)
    assert "qwen9:1b" in msg and "ollama pull qwen9:1b" in msg and s.url in msg


def test_stream_cut_mid_answer_says_it_broke_off():
    with OllamaStub(reply=REPLY, cut_after=3) as s:
        backend = ollama_backend(settings_for(s.url))
        got: list[str] = []
        with pytest.raises(BackendError) as err:
            drain(backend.stream_chat(MESSAGES), got)
    assert got == split_reply(REPLY)[:3]  # what was shown before the cut stays shown
    msg = str(err.value)
    assert s.url in msg and DEFAULT_MODEL in msg and "broke off" in msg


def test_stream_cut_before_the_done_line_is_not_a_silent_success():
    # Every token arrived, but not the final `done` line: the answer may be incomplete.
    with OllamaStub(reply=REPLY, cut_after=len(split_reply(REPLY))) as s:
        with pytest.raises(BackendError, match="broke off"):
            list(ollama_backend(settings_for(s.url)).stream_chat(MESSAGES))


def test_error_line_mid_stream_raises():
    # How Ollama reports a runner failure after streaming began: an {"error": ...} line.
    with OllamaStub(reply=REPLY, error_after=2) as s:
        got: list[str] = []
        with pytest.raises(BackendError) as err:
            drain(ollama_backend(settings_for(s.url)).stream_chat(MESSAGES), got)
    assert got == split_reply(REPLY)[:2]
    assert s.url in str(err.value) and "broke off" in str(err.value)


def test_error_line_mid_stream_shows_ollamas_reason():
    with OllamaStub(reply=REPLY, error_after=2, error_message="llama runner process has terminated") as s:
        with pytest.raises(BackendError) as err:
            list(ollama_backend(settings_for(s.url)).stream_chat(MESSAGES))
    assert "llama runner process has terminated" in str(err.value)


def test_server_error_before_content_shows_ollamas_reason():
    oom = "model requires more system memory (5.6 GiB) than is available (3.1 GiB)"
    with OllamaStub(fail_with=(500, oom)) as s:
        with pytest.raises(BackendError) as err:
            list(ollama_backend(settings_for(s.url)).stream_chat(MESSAGES))
    assert oom in str(err.value) and s.url in str(err.value)


def test_slow_server_times_out_with_a_backend_error():
    with OllamaStub(reply=REPLY, delay=2.0) as s:
        started = time.monotonic()
        with pytest.raises(BackendError) as err:
            list(ollama_backend(settings_for(s.url, ollama_timeout=0.3)).stream_chat(MESSAGES))
    assert time.monotonic() - started < 1.5  # the configured timeout, not the server, ends it
    assert "Timeout" in str(err.value) and s.url in str(err.value)


def test_max_tokens_reaches_ollama_as_num_predict(stub):
    ollama_backend(settings_for(stub.url)).complete(MESSAGES, max_tokens=80)
    assert stub.chat_requests()[-1]["options"]["num_predict"] == 80


# ----- choosing the backend

def test_resolve_ollama_unreachable_says_ollama_serve():
    url = dead_url()
    with pytest.raises(BackendError) as err:
        resolve_backend(settings_for(url), "ollama")
    msg = str(err.value)
    assert url in msg and "ollama serve" in msg


def test_resolve_ollama_without_the_model_says_pull():
    with OllamaStub(models=["llama3.2:latest"]) as s:
        with pytest.raises(BackendError, match=f"ollama pull {DEFAULT_MODEL}"):
            resolve_backend(settings_for(s.url), "ollama")


def test_auto_does_not_choose_an_unreachable_ollama():
    # resolve_backend("auto") would then load the embedded model; the decision it rests on
    # is the probe, so that is what is checked here (quickly, within the probe timeout).
    settings = settings_for(dead_url(), llm="auto")
    ok, reason = probe_ollama(settings)
    assert not ok and settings.ollama_url in reason


def test_auto_picks_ollama_when_it_is_up(stub):
    backend = resolve_backend(settings_for(stub.url, llm="auto"), "auto")
    assert backend.name == "ollama"
    assert "using Ollama" in backend.note and stub.url in backend.note
    assert DEFAULT_MODEL in backend.label and stub.url in backend.label
    assert backend.complete(MESSAGES) == REPLY


def test_address_without_scheme_is_accepted(stub):
    # OLLAMA_HOST is usually written as host:port; the probe must not call that unreachable.
    ok, reason = probe_ollama(settings_for(stub.url.replace("http://", "")))
    assert ok, reason
