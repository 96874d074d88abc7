"""Generators behind llama-index's LLM interface, and the choice between them.

- `ollama`: llama-index's Ollama client against a running Ollama server (model, URL,
  `num_ctx` and timeout from settings; streaming).
- `embedded`: llama-cpp-python in-process with the packaged Qwen2.5-Coder-0.5B-Instruct GGUF,
  loaded once per process and serialised by a lock (llama.cpp contexts are not thread-safe).
- `extractive`: no LLM at all; the answerer composes the answer from source sentences.
- `auto`: Ollama if it answers within `ollama_probe_timeout` and has the model, else embedded.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator, Sequence

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
import httpx
from pydantic import PrivateAttr

from .errors import BackendError
from .settings import Settings

BACKENDS = ("auto", "ollama", "embedded", "extractive")
EMBEDDED_LABEL = "Qwen2.5-Coder-0.5B-Instruct Q4_K_M (embedded llama.cpp)"


class LlamaCppLLM(CustomLLM):
    """llama-cpp-python as a llama-index LLM, using the chat template stored in the GGUF."""

    model_path: str
    context_window: int = 4096
    max_new_tokens: int = 320
    temperature: float = 0.1
    n_threads: int = 0
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default=None)

    def __init__(self, **data: Any):
        super().__init__(**data)
        try:
            from llama_cpp import Llama
        except ImportError:
            raise BackendError("llama-cpp-python is not installed: pip install llama-cpp-python") from None
        import os

        threads = self.n_threads or os.cpu_count() or 2
        try:
            self._llama = Llama(model_path=self.model_path, n_ctx=self.context_window, n_threads=threads,
                                n_threads_batch=threads, verbose=False)
        except Exception as e:
            raise BackendError(f"Cannot load the embedded model {self.model_path}: {e}") from None
        self._lock = threading.Lock()

    @classmethod
    def class_name(cls) -> str:
        return "LlamaCppLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=self.context_window, num_output=self.max_new_tokens,
                           is_chat_model=True, model_name=EMBEDDED_LABEL)

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False))

    def _stream(self, messages: list[dict], **kwargs: Any) -> Iterator[str]:
        with self._lock:
            for chunk in self._llama.create_chat_completion(
                messages=messages,
                stream=True,
                max_tokens=kwargs.get("max_tokens", self.max_new_tokens),
                temperature=kwargs.get("temperature", self.temperature),
                repeat_penalty=1.15,
                top_p=0.9,
            ):
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        msgs = [{"role": m.role.value, "content": m.content or ""} for m in messages]

        def gen() -> ChatResponseGen:
            text = ""
            for delta in self._stream(msgs, **kwargs):
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        last = None
        for last in self.stream_chat(messages, **kwargs):
            pass
        return last or ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=""))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        def gen() -> CompletionResponseGen:
            text = ""
            for delta in self._stream([{"role": "user", "content": prompt}], **kwargs):
                text += delta
                yield CompletionResponse(text=text, delta=delta)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        last = None
        for last in self.stream_complete(prompt, **kwargs):
            pass
        return last or CompletionResponse(text="")


_LOAD_LOCK = threading.Lock()


def embedded_llm(model_path: str, n_ctx: int, n_threads: int, max_new_tokens: int, temperature: float) -> LlamaCppLLM:
    """One loaded model per process (loading maps 0.5 GB); two first callers load it once."""
    with _LOAD_LOCK:
        return _embedded_llm(model_path, n_ctx, n_threads, max_new_tokens, temperature)


@lru_cache(maxsize=2)
def _embedded_llm(model_path: str, n_ctx: int, n_threads: int, max_new_tokens: int, temperature: float) -> LlamaCppLLM:
    return LlamaCppLLM(model_path=model_path, context_window=n_ctx, n_threads=n_threads,
                       max_new_tokens=max_new_tokens, temperature=temperature)


@dataclass
class Backend:
    """A chosen generator: `llm` is any llama-index LLM, or None for the extractive backend.

    What the answerer needs to know of a generator is said here, not read from its name:
    whether it rewrites follow-up questions reliably (`rewrites`), and how a failure is
    explained to the user (`explain`)."""

    name: str  # shown to the user and in `rag ask --json` as "backend"
    label: str
    note: str = ""
    llm: Any = None
    settings: Settings | None = None
    rewrites: bool = True  # a 0.5B model rewrites unreliably: follow-ups are then concatenated
    explain: Callable[[Exception, bool], str] | None = None

    @property
    def generates(self) -> bool:
        """Whether a model writes text (false for the extractive backend, which quotes)."""
        return self.llm is not None

    def stream_chat(self, messages: list[tuple[str, str]], max_tokens: int | None = None) -> Iterator[str]:
        """Text deltas; connection failures become one clear BackendError."""
        chat = [ChatMessage(role=MessageRole(role), content=content) for role, content in messages]
        llm, kwargs = limited(self.llm, max_tokens)
        started = False
        try:
            for r in llm.stream_chat(chat, **kwargs):
                started = True
                if r.delta:
                    yield r.delta
        except BackendError:
            raise
        except Exception as e:
            raise BackendError(self.explain(e, started) if self.explain else f"The {self.label} failed: {e}") from None

    def complete(self, messages: list[tuple[str, str]], max_tokens: int | None = None) -> str:
        return "".join(self.stream_chat(messages, max_tokens))


def limited(llm: Any, max_tokens: int | None) -> tuple[Any, dict]:
    """The LLM (or a copy) and call arguments that cap a reply at `max_tokens`, in the way each
    client takes it: llama.cpp per call, Ollama as its num_predict option, most llama-index LLMs
    as their max_tokens field."""
    if not max_tokens:
        return llm, {}
    if isinstance(llm, LlamaCppLLM):
        return llm, {"max_tokens": max_tokens}
    extra = getattr(llm, "additional_kwargs", None)
    if type(llm).__name__ == "Ollama" and isinstance(extra, dict):
        return llm.model_copy(update={"additional_kwargs": {**extra, "num_predict": max_tokens}}), {}
    if "max_tokens" in getattr(type(llm), "model_fields", {}):
        return llm.model_copy(update={"max_tokens": max_tokens}), {}
    return llm, {}


def ollama_explainer(s: Settings) -> Callable[[Exception, bool], str]:
    def explain(e: Exception, started: bool) -> str:
        text = str(e)
        if "not found" in text.lower() and "model" in text.lower():
            return f"Ollama at {s.ollama_url} has no model {s.ollama_model!r}: run `ollama pull {s.ollama_model}`."
        if started:
            return (f"The answer stream from Ollama at {s.ollama_url} (model {s.ollama_model}) broke off "
                    f"mid-answer ({type(e).__name__}: {text[:200]}); check that `ollama serve` is still running "
                    f"and ask again.")
        if isinstance(e, httpx.TimeoutException):
            return (f"Ollama at {s.ollama_url} (model {s.ollama_model}) did not answer within "
                    f"{s.ollama_timeout:g}s ({type(e).__name__}); the model may still be loading or too slow for this machine. "
                    f"Raise RAG_OLLAMA_TIMEOUT or choose a smaller model.")
        status = getattr(e, "status_code", None)
        if isinstance(status, int) and status >= 400:
            return f"Ollama at {s.ollama_url} (model {s.ollama_model}) refused the request: {text[:300]}"
        return (f"Cannot get an answer from Ollama at {s.ollama_url} (model {s.ollama_model}): {type(e).__name__}: "
                f"{text[:200]}. Start it with `ollama serve` and `ollama pull {s.ollama_model}`, "
                f"or choose RAG_LLM=embedded.")

    return explain


def custom_backend(llm: Any, settings: Settings | None = None) -> Backend:
    """Any llama-index LLM given as `RAG(llm=...)`."""
    model = getattr(getattr(llm, "metadata", None), "model_name", "") or getattr(llm, "model", "") or ""
    label = f"{type(llm).__name__}{f' {model}' if model else ''} (llama-index LLM)"
    return Backend(type(llm).__name__, label, "", llm, settings)


def normalise_url(url: str) -> str:
    """'127.0.0.1:11434' (the usual OLLAMA_HOST spelling) means http://127.0.0.1:11434."""
    url = url.strip().rstrip("/")
    return url if "://" in url else f"http://{url}"


def probe_ollama(settings: Settings, timeout: float | None = None) -> tuple[bool, str]:
    """(usable, reason): whether the server answers and has the configured model."""
    url = normalise_url(settings.ollama_url)
    try:
        r = httpx.get(f"{url}/api/tags", timeout=timeout or settings.ollama_probe_timeout)
        r.raise_for_status()
        names = {m.get("name", "") for m in r.json().get("models", [])} | {m.get("model", "") for m in r.json().get("models", [])}
    except Exception as e:
        return False, f"Ollama not reachable at {url} ({type(e).__name__})"
    want = settings.ollama_model
    if want in names or f"{want}:latest" in names:
        return True, f"Ollama at {url} has {want}"
    return False, f"Ollama at {url} has no model {want!r} (run `ollama pull {want}`)"


def ollama_backend(settings: Settings, note: str = "") -> Backend:
    from llama_index.llms.ollama import Ollama

    llm = Ollama(
        model=settings.ollama_model,
        base_url=normalise_url(settings.ollama_url),
        temperature=settings.temperature,
        context_window=settings.ollama_num_ctx,  # explicit: -1 would query the server on every metadata read
        request_timeout=settings.ollama_timeout,
        additional_kwargs={"num_predict": settings.max_new_tokens},
    )
    return Backend("ollama", f"Ollama {settings.ollama_model} at {settings.ollama_url}", note, llm, settings,
                   explain=ollama_explainer(settings))


def embedded_backend(settings: Settings, note: str = "") -> Backend:
    from .model_files import packaged_gguf

    path = settings.gguf_path or str(packaged_gguf(settings.cache_dir))
    label = EMBEDDED_LABEL if not settings.gguf_path else f"{path} (embedded llama.cpp)"
    llm = embedded_llm(path, settings.n_ctx, settings.n_threads, settings.max_new_tokens, settings.temperature)
    return Backend("embedded", label, note, llm, settings, rewrites=False)


def extractive_backend(note: str = "") -> Backend:
    return Backend("extractive", "extractive (no LLM: answers are source sentences)", note)


def resolve_backend(settings: Settings, requested: str | None = None) -> Backend:
    choice = (requested or settings.llm or "auto").lower()
    if choice not in BACKENDS:
        raise BackendError(f"Unknown backend {choice!r}; use one of {', '.join(BACKENDS)} (RAG_LLM).")
    if choice == "extractive":
        return extractive_backend()
    if choice == "embedded":
        return embedded_backend(settings)
    if choice == "ollama":
        ok, reason = probe_ollama(settings, timeout=max(settings.ollama_probe_timeout, 3.0))
        if not ok:
            raise BackendError(f"{reason}. Start it with `ollama serve` and `ollama pull {settings.ollama_model}`, "
                               f"or choose RAG_LLM=embedded.")
        return ollama_backend(settings, reason)
    ok, reason = probe_ollama(settings)
    if ok:
        return ollama_backend(settings, f"{reason} — using Ollama")
    try:
        return embedded_backend(settings, f"{reason} — using the embedded model")
    except BackendError as e:
        return extractive_backend(f"{reason}; embedded model unavailable ({e}) — answering extractively")
