"""Files are only ever deleted from inside STORAGE_DIR, and what is kept there is its
user's alone."""

from __future__ import annotations

import os
import stat

from backend.services.storage import IncomingPdf, delete_files, is_inside, place


def test_paths_escaping_the_storage_dir_are_not_inside(tmp_path):
    root = tmp_path / "storage"
    root.mkdir()
    assert is_inside(root / "u1" / "a.pdf", root)
    assert not is_inside(root / ".." / "elsewhere.pdf", root)
    assert not is_inside(tmp_path / "storage-evil" / "a.pdf", root)


def test_delete_files_skips_outside_and_missing_files(tmp_path):
    root = tmp_path / "storage"
    root.mkdir()
    inside, outside = root / "a.pdf", tmp_path / "b.pdf"
    inside.write_bytes(b"x")
    outside.write_bytes(b"x")
    assert delete_files([str(inside), str(outside), str(root / "gone.pdf")], root) == 1
    assert not inside.exists() and outside.exists()


def test_stored_uploads_and_their_folders_are_the_user_s_alone_under_a_usual_umask(tmp_path):
    # `make up` runs everything under umask 077; `celery worker` or uvicorn started by
    # hand (the guide's production commands) usually run under 022, which left the
    # folders 0755: anyone on the host could list each owner's statement hashes.
    before = os.umask(0o022)
    try:
        root = tmp_path / "storage"
        upload = IncomingPdf(root, max_bytes=1 << 20)
        upload.write(b"%PDF-1.7\n" + b"x" * 2048)
        stored = upload.store(owner_id=7)
        place(stored)
    finally:
        os.umask(before)
    modes = {path.relative_to(tmp_path).as_posix(): stat.S_IMODE(path.stat().st_mode)
             for path in (root, root / "incoming", root / "7", stored.path)}
    assert modes == {"storage": 0o700, "storage/incoming": 0o700, "storage/7": 0o700,
                     f"storage/7/{stored.sha256}.pdf": 0o600}
