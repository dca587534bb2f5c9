"""Files are only ever deleted from inside STORAGE_DIR."""

from __future__ import annotations

from backend.services.storage import delete_files, is_inside


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
