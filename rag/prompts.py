"""Prompt templates are plain text files in prompts/, loaded by name."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import RagError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=64)
def load_prompt(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise RagError(f"Prompt template {path} is missing; restore it from the repository.") from None
