"""Errors a user can cause. Each carries one clear message naming the thing and what to do."""


class RagError(Exception):
    """Base class: the message is meant to be shown to the user as it is."""


class InputError(RagError):
    """A file that cannot be ingested (missing, empty, binary, corrupt, unsupported)."""


class QueryError(RagError):
    """A question that cannot be asked (empty, too long)."""


class BackendError(RagError):
    """An LLM backend that cannot answer (unreachable Ollama, unknown model, broken stream)."""


class StoreError(RagError):
    """The index cannot be reached or read (Chroma server down, corrupt data folder)."""
