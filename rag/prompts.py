"""Prompt templates are plain text files in prompts/, loaded by name.

The folder sits at the top of the repository and is installed as the package data
`rag.prompt_files` (pyproject.toml), so the same lookup works in an editable and a normal install.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .errors import RagError


@lru_cache(maxsize=64)
def load_prompt(name: str) -> str:
    try:
        return (resources.files("rag.prompt_files") / f"{name}.txt").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):
        raise RagError(f"Prompt template {name}.txt is missing from prompts/; restore it from the repository "
                       "and reinstall (pip install -e .).") from None
