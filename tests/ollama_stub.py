"""A local HTTP server that speaks Ollama's REST wire format, for testing the real client code.

No Ollama server can be installed on the test machines, yet the project's Ollama path
(llama-index `Ollama` -> `ollama` package -> httpx) must be exercised for real: request
encoding, NDJSON streaming, HTTP errors and broken connections. So this stub is a real
server on 127.0.0.1 (a free port, a daemon thread) that answers like Ollama 0.12 does:

- `GET  /api/version` -> `{"version": "0.12.0"}`
- `GET  /api/tags`    -> the configured models, with `details`
- `POST /api/show`    -> `details`, `model_info` (with `<family>.context_length`), `template`,
                         `parameters`; 404 `{"error": "model 'x' not found"}` for unknown models
- `POST /api/chat`    -> streamed `application/x-ndjson` (chunked, one JSON object per line,
                         a final `done: true` line with timings), or one JSON object when
                         `stream` is false; 404 `model "x" not found, try pulling it first`
- `POST /api/generate`-> the same shapes with `response` in place of `message`

Formats follow github.com/ollama/ollama docs/api.md and server/routes.go (error strings are
Ollama's own). Failure modes a test can ask for:

- `cut_after=N`: send N content lines, then drop the connection without the terminating
  chunk (what a crashed or killed server looks like to the client).
- `error_after=N`: send N content lines, then an `{"error": ...}` line and end the stream
  cleanly; this is how Ollama reports a failure once streaming has begun.
- `fail_with=(status, message)`: answer chat/generate with that HTTP status and
  `{"error": message}` before any content (how Ollama reports e.g. out-of-memory loads).
- `delay`: seconds slept before each content line (slow generation, client timeouts).

`abandoned` lists, for each stream whose client went away mid-way, how many pieces it had been
sent: what a test checks to see that a stopped answer stops the model too.

Usage:

    with OllamaStub(reply="Paris is the capital.") as stub:
        settings = load_settings(ollama_url=stub.url)
        ...
        assert stub.requests[-1]["options"]["num_ctx"] == 8192
"""
from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_MODEL = "qwen2.5:3b-instruct"
OLLAMA_VERSION = "0.12.0"

# A reply is the whole text, or the exact pieces to stream; a callable gets the request body.
Reply = str | Sequence[str] | Callable[[dict], "str | Sequence[str]"]

# Qwen2.5's ChatML template as Ollama ships it (abridged); only its presence matters to clients.
_CHATML_TEMPLATE = (
    "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}"
    "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}"
    "<|im_start|>assistant\n"
)
_PARAMETERS = 'stop                           "<|im_start|>"\nstop                           "<|im_end|>"'


def split_reply(text: str) -> list[str]:
    """Cut text into token-like pieces, as a model streams it.

    Words keep their leading whitespace (" world"), and each CJK character is its own piece,
    so both English and Chinese replies arrive in several deltas. Joining the pieces gives
    the text back exactly.
    """
    cjk = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
    pieces = re.findall(rf"\s*[{cjk}]|\s*[^\s{cjk}]+", text)
    rest = text[len("".join(pieces)):]  # trailing whitespace the pattern leaves out
    if rest:
        pieces.append(rest)
    return pieces


def _full_name(name: str) -> str:
    """Ollama treats a name without a tag as `name:latest`."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


def _now() -> str:
    """Ollama's created_at: RFC 3339 with nanoseconds, UTC."""
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1e9):09d}Z"


class OllamaStub:
    """An Ollama-compatible server on 127.0.0.1; use as a context manager or start()/stop().

    Attributes set at construction may be changed between requests by a test (e.g.
    `stub.cut_after = 2`); the handler reads them on every request.
    """

    def __init__(
        self,
        models: Sequence[str] = (DEFAULT_MODEL,),
        reply: Reply = "The answer is 42, as the source states.",
        *,
        family: str = "qwen2",
        context_length: int = 32768,
        cut_after: int | None = None,
        error_after: int | None = None,
        error_message: str = "an error was encountered while running the model: unexpected EOF",
        fail_with: tuple[int, str] | None = None,
        delay: float = 0.0,
        version: str = OLLAMA_VERSION,
    ):
        self.models = list(models)
        self.reply = reply
        self.family = family
        self.context_length = context_length
        self.cut_after = cut_after
        self.error_after = error_after
        self.error_message = error_message
        self.fail_with = fail_with
        self.delay = delay
        self.version = version
        # What the server received, in order: JSON bodies of POSTs (for assertions on what
        # the client sent), and every (method, path, body-or-None) including GETs.
        self.requests: list[dict] = []
        self.calls: list[tuple[str, str, dict | None]] = []
        self._lock = threading.Lock()
        # For each stream the client walked away from: how many pieces had been sent by then.
        self.abandoned: list[int] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None

    # ----- lifecycle

    @property
    def url(self) -> str:
        """Base URL, e.g. http://127.0.0.1:40123; still readable after stop() for assertions."""
        if self._url is None:
            raise RuntimeError("OllamaStub is not started")
        return self._url

    def start(self) -> "OllamaStub":
        stub = self

        class Handler(_OllamaHandler):
            owner = stub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True  # a hung stream must not block interpreter exit
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="ollama-stub", daemon=True)
        self._thread.start()
        host, port = self._server.server_address[:2]
        self._url = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "OllamaStub":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ----- helpers for tests

    def chat_requests(self) -> list[dict]:
        """Bodies of the /api/chat requests received."""
        with self._lock:
            return [body for method, path, body in self.calls if path == "/api/chat" and body is not None]

    def has_model(self, name: str) -> bool:
        return _full_name(name) in {_full_name(m) for m in self.models}

    def _record(self, method: str, path: str, body: dict | None) -> None:
        with self._lock:
            self.calls.append((method, path, body))
            if body is not None:
                self.requests.append(body)

    def _pieces(self, body: dict) -> list[str]:
        reply = self.reply(body) if callable(self.reply) else self.reply
        return split_reply(reply) if isinstance(reply, str) else list(reply)

    def _details(self) -> dict:
        return {
            "parent_model": "",
            "format": "gguf",
            "family": self.family,
            "families": [self.family],
            "parameter_size": "3.1B",
            "quantization_level": "Q4_K_M",
        }


class _OllamaHandler(BaseHTTPRequestHandler):
    """One request; `owner` (set on a per-stub subclass) holds configuration and the log."""

    owner: OllamaStub
    # HTTP/1.1 so that streams use chunked transfer encoding, as Ollama (Go net/http) does.
    # That matters: with HTTP/1.0 and no length, a dropped connection would look like a
    # normal end of body and a cut stream could not be told from a finished one.
    protocol_version = "HTTP/1.1"
    server_version = "ollama-stub"

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
        pass

    # ----- plumbing

    def _send_json(self, status: int, obj: Any) -> None:
        data = json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self) -> dict | None:
        """The JSON body, or None after answering 400 as Ollama does for bad JSON."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            self._send_json(400, {"error": "missing request body"})
            return None
        try:
            body = json.loads(raw)
        except ValueError as e:
            self._send_json(400, {"error": f"invalid character in request body: {e}"})
            return None
        return body

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send_line(self, obj: dict) -> None:
        """One NDJSON line as one HTTP chunk, flushed at once (Ollama flushes per token)."""
        data = json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop_connection(self) -> None:
        """Close mid-body, with no terminating chunk: the client sees an incomplete read."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ----- routes

    def do_GET(self) -> None:
        stub = self.owner
        stub._record("GET", self.path, None)
        if self.path == "/api/version":
            self._send_json(200, {"version": stub.version})
        elif self.path == "/api/tags":
            self._send_json(200, {"models": [self._tag_entry(m) for m in stub.models]})
        elif self.path in ("/", ""):
            # Ollama's root answers plain text; some tools use it as a liveness check.
            data = b"Ollama is running"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            self._send_json(404, {"error": "404 page not found"})

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        stub = self.owner
        body = self._read_body()
        if body is None:
            return
        stub._record("POST", self.path, body)
        if self.path == "/api/show":
            self._show(body)
        elif self.path == "/api/chat":
            self._generate(body, chat=True)
        elif self.path == "/api/generate":
            self._generate(body, chat=False)
        else:
            self._send_json(404, {"error": "404 page not found"})

    def _tag_entry(self, name: str) -> dict:
        full = _full_name(name)
        return {
            "name": full,
            "model": full,
            "modified_at": "2025-09-18T10:12:31.532165861Z",
            "size": 1929912432,
            "digest": "357c53fb659c5076de1d65ccb0b397446227b71a42be9d1603d46168015c9e4b",
            "details": self.owner._details(),
        }

    def _requested_model(self, name: str | None, not_found: str, quote=str) -> str | None:
        """The model a request names, or None once Ollama's error for a missing or unknown
        model has been sent (400, or 404 with the endpoint's own `not_found` text)."""
        if not name:
            self._send_json(400, {"error": "model is required"})
            return None
        if not self.owner.has_model(name):
            self._send_json(404, {"error": not_found.format(quote(name))})
            return None
        return name

    def _show(self, body: dict) -> None:
        stub = self.owner
        name = self._requested_model(body.get("model") or body.get("name"), "model '{}' not found")
        if name is None:
            return
        fam = stub.family
        self._send_json(200, {
            "license": "Apache License 2.0",
            "modelfile": f"# Modelfile generated by \"ollama show\"\nFROM {_full_name(name)}\n"
                         f"TEMPLATE \"\"\"{_CHATML_TEMPLATE}\"\"\"\n{_PARAMETERS}\n",
            "parameters": _PARAMETERS,
            "template": _CHATML_TEMPLATE,
            "details": stub._details(),
            "model_info": {
                "general.architecture": fam,
                "general.basename": "Qwen2.5",
                "general.parameter_count": 3085938688,
                "general.quantization_version": 2,
                f"{fam}.attention.head_count": 16,
                f"{fam}.attention.head_count_kv": 2,
                f"{fam}.block_count": 36,
                f"{fam}.context_length": stub.context_length,
                f"{fam}.embedding_length": 2048,
                f"{fam}.feed_forward_length": 11008,
                f"{fam}.rope.freq_base": 1000000,
            },
            "capabilities": ["completion", "tools"],
            "modified_at": "2025-09-18T10:12:31.532165861Z",
        })

    def _generate(self, body: dict, chat: bool) -> None:
        """/api/chat (chat=True) and /api/generate: the same flow, different content field."""
        stub = self.owner
        # routes.go handleScheduleError: os.ErrNotExist -> 404 with this exact text.
        name = self._requested_model(body.get("model"), "model {} not found, try pulling it first", quote=json.dumps)
        if name is None:
            return
        if stub.fail_with is not None:
            status, message = stub.fail_with
            self._send_json(status, {"error": message})
            return

        started = time.monotonic()

        def line(text: str, done: bool = False) -> dict:
            out: dict[str, Any] = {"model": name, "created_at": _now()}
            if chat:
                out["message"] = {"role": "assistant", "content": text}
            else:
                out["response"] = text
            out["done"] = done
            return out

        pieces = stub._pieces(body)

        def final() -> dict:
            out = line("" if body.get("stream", True) else "".join(pieces), done=True)
            prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", [])) \
                if chat else len(str(body.get("prompt", "")).split())
            elapsed = int((time.monotonic() - started) * 1e9)
            out.update({
                "done_reason": "stop",
                "total_duration": elapsed + 1_000_000,
                "load_duration": 1_000_000,
                "prompt_eval_count": prompt_tokens,
                "prompt_eval_duration": 2_000_000,
                "eval_count": len(pieces),
                "eval_duration": elapsed,
            })
            if not chat:
                out["context"] = [151644, 872, 198]  # /api/generate returns token context
            return out

        # Ollama's default is to stream: only an explicit `"stream": false` turns it off.
        if body.get("stream", True) is False:
            if stub.delay:
                time.sleep(stub.delay * len(pieces))
            self._send_json(200, final())
            return

        self._start_stream()
        for i, piece in enumerate(pieces):
            if stub.cut_after is not None and i >= stub.cut_after:
                self._drop_connection()
                return
            if stub.error_after is not None and i >= stub.error_after:
                self._send_line({"error": stub.error_message})
                self._end_stream()
                return
            if stub.delay:
                time.sleep(stub.delay)
            try:
                self._send_line(line(piece))
            except OSError:  # the client went away (timed out, stopped): nothing more to send
                self.close_connection = True
                with stub._lock:
                    stub.abandoned.append(i)
                return
        if stub.cut_after is not None:  # cut_after >= len(pieces): drop before the done line
            self._drop_connection()
            return
        if stub.error_after is not None:
            self._send_line({"error": stub.error_message})
            self._end_stream()
            return
        self._send_line(final())
        self._end_stream()
