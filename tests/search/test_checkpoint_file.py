"""The checkpoint file format: a cut or damaged file never reads as data."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skhyper.search._checkpoint_file import CheckpointFile, read_checkpoint

HEADER = {"format": 1, "fingerprints": {}}
BATCHES = [{"out": [{"score": float(i)}] * (i + 1), "i": i} for i in range(4)]


def write(path, batches=BATCHES):
    checkpoint = CheckpointFile(path)
    checkpoint.begin(HEADER)
    for batch in batches:
        checkpoint.append(batch)
    checkpoint.close()
    return path.read_bytes()


def read_quietly(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return read_checkpoint(path)


def test_every_cut_reads_as_a_prefix_of_the_batches(tmp_path):
    """A kill can stop a write anywhere: every cut point must read back as
    the header and the batches completed before it, or as an empty file."""
    path = tmp_path / "c.ckpt"
    blob = write(path)
    seen = set()
    for cut in range(len(blob) + 1):
        path.write_bytes(blob[:cut])
        contents = read_quietly(path)
        assert contents.batches == BATCHES[: len(contents.batches)]
        assert contents.header in (None, HEADER)
        assert contents.valid_length <= cut
        seen.add(len(contents.batches))
    assert seen == set(range(len(BATCHES) + 1))


@pytest.fixture(scope="module")
def flip_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("flip")
    return directory, write(directory / "original.ckpt")


@settings(max_examples=60, deadline=None)
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_a_flipped_byte_never_reads_as_data(flip_dir, position, flip):
    directory, original = flip_dir
    path = directory / "flipped.ckpt"
    blob = bytearray(original)
    position %= len(blob)
    blob[position] ^= flip
    path.write_bytes(bytes(blob))
    try:
        contents = read_quietly(path)
    except ValueError as exc:  # the magic line was hit
        assert "is not a skhyper checkpoint" in str(exc)
        return
    assert contents.batches == BATCHES[: len(contents.batches)]
    assert contents.header in (None, HEADER)


def test_appending_after_a_torn_tail_cuts_it_off(tmp_path):
    path = tmp_path / "c.ckpt"
    blob = write(path)
    path.write_bytes(blob[:-3])
    with pytest.warns(RuntimeWarning, match="the 3 complete batch"):
        checkpoint = CheckpointFile(path)
    checkpoint.begin(HEADER)
    checkpoint.append({"i": "new"})
    checkpoint.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        contents = read_checkpoint(path)
    assert contents.batches == [*BATCHES[:3], {"i": "new"}]


def test_a_torn_header_starts_afresh(tmp_path):
    path = tmp_path / "c.ckpt"
    blob = write(path, batches=[])
    path.write_bytes(blob[:-1])
    checkpoint = CheckpointFile(path)
    assert checkpoint.contents.header is None
    checkpoint.begin(HEADER)
    checkpoint.close()
    assert path.read_bytes() == blob


def test_two_writers_cannot_share_a_checkpoint(tmp_path):
    pytest.importorskip("fcntl")
    path = tmp_path / "c.ckpt"
    first = CheckpointFile(path)
    try:
        with pytest.raises(RuntimeError, match="in use by another running search"):
            CheckpointFile(path)
    finally:
        first.close()
    CheckpointFile(path).close()
