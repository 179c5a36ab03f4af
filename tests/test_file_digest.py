"""FileDigest: the background hash (normal or idle priority) can be stopped and resumed;
its value is always the sha256 of the whole file."""

import hashlib

import pytest

from greenpark.io import tabular
from greenpark.loaders.common import FileDigest


@pytest.fixture
def big_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "HASH_SLICE_BYTES", 1000)  # many slices in a small file
    data = bytes(range(256)) * 400  # 102,400 bytes
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("low_priority", [False, True])
def test_background_hash_is_the_whole_file(big_file, low_priority):
    path, expected = big_file
    digest = FileDigest(path)
    digest.start(low_priority=low_priority)
    assert digest.value == expected


def test_cancelled_hash_is_finished_when_asked_for(big_file):
    path, expected = big_file
    digest = FileDigest(path)
    digest.start(low_priority=True)
    digest.cancel()
    assert digest.value == expected


def test_empty_file_and_no_thread(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    digest = FileDigest(empty)
    digest.start()
    assert digest.value == hashlib.sha256(b"").hexdigest()
    other = tmp_path / "o.csv"
    other.write_bytes(b"a,b\n")
    assert FileDigest(other).value == hashlib.sha256(b"a,b\n").hexdigest()
