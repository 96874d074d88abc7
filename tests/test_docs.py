"""The README documents every setting, with the default the code really uses."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from rag.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"
COMPUTED = {"data_dir", "cache_dir"}  # defaults that depend on the machine; described in words


def documented() -> dict[str, str]:
    rows = re.findall(r"^\| `(RAG_[A-Z_0-9]+)`(?: / `(RAG_[A-Z_0-9]+)`)? \| ([^|]*) \|", README.read_text(), re.M)
    out = {}
    for first, second, default in rows:
        values = [v.strip().strip("`") for v in default.split(" / ")]
        for name, value in zip([first, second] if second else [first], values if second else [default.strip().strip("`")]):
            out[name] = value
    return out


def test_every_setting_is_in_the_readme_with_its_real_default():
    docs = documented()
    for f in dataclasses.fields(Settings):
        name = f"RAG_{f.name.upper()}"
        assert name in docs, f"{name} is not documented in the README's settings table"
        if f.name in COMPUTED:
            continue
        written, real = docs[name], f.default
        if isinstance(real, bool):
            assert written == str(real).lower(), name
        elif isinstance(real, (int, float)):
            assert float(written) == float(real), f"{name}: README says {written}, code uses {real}"
        else:
            assert written == (real or "empty"), f"{name}: README says {written!r}, code uses {real!r}"
    names = {f"RAG_{f.name.upper()}" for f in dataclasses.fields(Settings)}
    assert not set(docs) - names, f"documented but not settings: {set(docs) - names}"
