"""Files the platform keeps under STORAGE_DIR: uploads by owner and content hash, outputs."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path`` resolves to somewhere under ``root`` (no escaping with ``..``)."""
    return path.resolve().is_relative_to(root.resolve())


def private_dir(path: Path) -> None:
    """Make ``path`` and each missing folder above it readable by this user only (0700),
    whoever started the process and with whatever umask: a folder lists its owner's id
    and the content hashes of their statements. (``mkdir(parents=True)`` gives the
    parents it makes the default mode.)"""
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)


def delete_files(paths: Iterable[str], storage_dir: Path) -> int:
    """Delete the given files that live under ``storage_dir``; returns how many went."""
    removed = 0
    for raw in paths:
        path = Path(raw)
        if is_inside(path, storage_dir) and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# A PDF's header may sit anywhere in its first kilobyte (PDF 1.7, annex H.3).
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024


class FileTooLarge(Exception):
    """The upload passed the size limit; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit")
        self.max_bytes = max_bytes


class NotAPdf(Exception):
    """The upload's bytes are not a PDF, whatever its name says."""


@dataclass
class StoredFile:
    """An upload received whole: ``path`` is where it lives once its task is recorded.

    Until then its bytes wait in ``staged``, a file of its own under ``incoming/``: the
    same content of the same owner has one ``path``, which a request removing that file
    (another upload of the same bytes refused, the deletion of a finished task that had
    it, the nightly cleanup) may delete whenever no task row refers to it. The upload
    moves its copy there (:func:`place`) in the transaction that records its task, under
    the lock those removals take (``retention.place_uploads``), so that a removal comes
    either before (and the upload puts the file back) or after (and sees the row).
    """

    path: Path
    sha256: str
    size: int
    staged: Path | None = None
    # Whether placing it created ``path`` (False: the same content was there already,
    # for another task, or not placed yet).
    created: bool = False


def place(upload: StoredFile) -> None:
    """Move the upload's own copy to its ``path`` (the same content there already is
    replaced by the same bytes); nothing once placed."""
    if upload.staged is None:
        return
    private_dir(upload.path.parent)
    upload.created = not upload.path.exists()
    os.replace(upload.staged, upload.path)
    upload.staged = None


def drop_staged(upload: StoredFile) -> None:
    """Remove the upload's own copy if it was never placed (its task was not recorded)."""
    staged, upload.staged = upload.staged, None
    if staged is not None:
        staged.unlink(missing_ok=True)


class IncomingPdf:
    """An upload written to disk chunk by chunk: size-limited, hashed, checked to be a PDF.

    Use ``write()`` for each chunk as it arrives, then ``store()`` to keep it for
    ``<storage>/<owner>/<sha256>.pdf`` (never the client's file name), or ``discard()``.
    """

    def __init__(self, storage_dir: Path, max_bytes: int) -> None:
        self.storage_dir = storage_dir
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        self._head = b""
        incoming = storage_dir / "incoming"
        private_dir(incoming)
        handle, name = tempfile.mkstemp(dir=incoming, suffix=".part")
        self._file = os.fdopen(handle, "wb")
        self._path = Path(name)
        self._handed_over = False

    def write(self, chunk: bytes) -> None:
        """Append a chunk; raises FileTooLarge or NotAPdf as soon as that is known."""
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise FileTooLarge(self.max_bytes)
        if len(self._head) < PDF_HEADER_WINDOW:
            self._head += chunk[: PDF_HEADER_WINDOW - len(self._head)]
            if len(self._head) >= PDF_HEADER_WINDOW and PDF_MAGIC not in self._head:
                raise NotAPdf()
        self._hash.update(chunk)
        self._file.write(chunk)

    def store(self, owner_id: int) -> StoredFile:
        """Finish the upload; raises NotAPdf for a non-PDF. The file stays staged (its
        own name under ``incoming/``) until its task is recorded: ``StoredFile``."""
        self._file.close()
        if PDF_MAGIC not in self._head:
            raise NotAPdf()
        digest = self._hash.hexdigest()
        target = self.storage_dir / str(owner_id) / f"{digest}.pdf"
        self._handed_over = True  # the StoredFile owns the staged copy from now on
        return StoredFile(path=target, sha256=digest, size=self.size, staged=self._path)

    def discard(self) -> None:
        """Drop the partial upload (nothing once stored: ``drop_staged`` then)."""
        self._file.close()
        if not self._handed_over:
            self._path.unlink(missing_ok=True)
