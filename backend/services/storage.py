"""Files the platform keeps under STORAGE_DIR: uploads by owner and content hash, outputs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` resolves to somewhere under ``root`` (no escaping with ``..``)."""
    return path.resolve().is_relative_to(root.resolve())


def delete_files(paths: Iterable[str], storage_dir: Path) -> int:
    """Delete the given files that live under ``storage_dir``; returns how many went."""
    removed = 0
    for raw in paths:
        path = Path(raw)
        if is_inside(path, storage_dir) and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
