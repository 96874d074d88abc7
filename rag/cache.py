"""Files derived from packaged data (a parsed dictionary, the embedder's graph and tokenizer),
kept in the cache folder under names that carry the source file's size and mtime.

Every reinstall of a package gives its file a new mtime, so a new cache file; `store` writes one
atomically and removes the older ones of the same kind, keeping the few newest (two virtual
environments sharing one cache folder each keep theirs rather than rebuilding in turn).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

KEEP = 3  # cache files of one kind kept, the one just written included


def versioned_name(prefix: str, source: Path, suffix: str) -> str:
    """`prefix-SIZE-MTIME.suffix` for a cache file derived from `source`."""
    stat = source.stat()
    return f"{prefix}-{stat.st_size}-{int(stat.st_mtime)}{suffix}"


def store(path: Path, write: Callable[[object], None], prefix: str) -> bool:
    """Write `path` through `write(binary_file)` atomically, then prune the older cache files
    named `prefix*` beside it (`prefix` up to the version number, as "cedict-v", so that the
    files of older versions go too). False when the folder cannot be written (a read-only home)."""
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    prune(path.parent, prefix, path.suffix)
    return True


def prune(folder: Path, prefix: str, suffix: str, keep: int = KEEP) -> list[Path]:
    """Remove all but the `keep` most recently written `prefix*suffix` files; the removed ones."""
    def written(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    files = sorted(folder.glob(f"{prefix}*{suffix}"), key=written, reverse=True)
    removed = []
    for old in files[keep:]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:  # another process removed it, or a read-only file
            pass
    return removed
