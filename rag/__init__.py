"""Grounded question answering over a local document collection.

Public API: `RAG` (ingest, search, ask, stream), the result types `Answer`, `Citation`,
`SearchResult`, `Passage`, settings via `load_settings`, and `RagError` for user errors.
"""
from .api import RAG
from .errors import RagError
from .settings import Settings, load_settings
from .types import Answer, Check, CheckedSentence, Citation, Passage, SearchResult

__all__ = ["RAG", "Answer", "Check", "CheckedSentence", "Citation", "Passage", "SearchResult", "Settings", "load_settings", "RagError"]
__version__ = "0.1.0"
