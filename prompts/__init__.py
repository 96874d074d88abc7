"""Prompt templates, installed as the package data `rag.prompt_files` (see rag/prompts.py)."""
