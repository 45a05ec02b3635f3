import os

import pytest

from apps.core.paths import PathOutsideRoot, confine


def test_paths_inside_the_root_resolve(tmp_path):
    (tmp_path / "a").mkdir()
    assert confine(tmp_path, "a/b.jpg") == tmp_path.resolve() / "a" / "b.jpg"


@pytest.mark.parametrize("sneaky", ["../etc/passwd", "a/../../x", "/etc/passwd"])
def test_escapes_are_refused(tmp_path, sneaky):
    (tmp_path / "a").mkdir()
    with pytest.raises(PathOutsideRoot):
        confine(tmp_path / "a", sneaky)


def test_a_symlink_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "library"
    root.mkdir()
    os.symlink("/etc", root / "link")
    with pytest.raises(PathOutsideRoot):
        confine(root, "link/passwd")
