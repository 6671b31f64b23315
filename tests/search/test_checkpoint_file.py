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


def record_spans(blob):
    """(start, end) of the magic line and of every record line."""
    spans, start = [], 0
    while start < len(blob):
        end = blob.index(b"\n", start) + 1
        spans.append((start, end))
        start = end
    return spans


@settings(max_examples=80, deadline=None)
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_a_flipped_byte_never_reads_as_data(flip_dir, position, flip):
    """A flipped byte in the last record drops that record (a kill can leave
    that); anywhere else (magic line, header, a record followed by intact
    ones) the file is refused, naming it, and left unchanged."""
    directory, original = flip_dir
    path = directory / "flipped.ckpt"
    blob = bytearray(original)
    position %= len(blob)
    blob[position] ^= flip
    path.write_bytes(bytes(blob))
    last_record = record_spans(original)[-1]
    # The newline before the last record belongs to both: flipped, it merges
    # the last two records into one damaged last line.
    if position < last_record[0] - 1:
        with pytest.raises(ValueError, match="not a skhyper checkpoint|is damaged"):
            CheckpointFile(path)
        assert path.read_bytes() == bytes(blob)
        return
    contents = read_quietly(path)
    assert contents.batches == BATCHES[: len(contents.batches)]
    n_dropped = 2 if position == last_record[0] - 1 else 1
    assert len(contents.batches) == len(BATCHES) - n_dropped
    assert contents.header == HEADER


@pytest.mark.parametrize("record", [0, 2], ids=["header", "middle_record"])
def test_damage_before_the_last_record_is_refused_and_never_overwritten(
    tmp_path, record
):
    path = tmp_path / "c.ckpt"
    blob = bytearray(write(path))
    start, end = record_spans(bytes(blob))[1 + record]
    blob[(start + end) // 2] ^= 0x01
    path.write_bytes(bytes(blob))
    what = "its header" if record == 0 else f"record {record}"
    with pytest.raises(ValueError, match=f"is damaged: {what}") as info:
        CheckpointFile(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == bytes(blob)


@pytest.mark.parametrize(
    "special", ["devnull", "directory"], ids=["devnull", "directory"]
)
def test_a_special_file_is_refused_naming_it(tmp_path, special):
    import os

    path = os.devnull if special == "devnull" else str(tmp_path)
    kind = "character device" if special == "devnull" else "directory"
    with pytest.raises(ValueError, match=kind) as info:
        CheckpointFile(path)
    assert repr(path) in str(info.value) and "checkpoint" in str(info.value)


def test_a_missing_directory_names_the_checkpoint(tmp_path):
    path = tmp_path / "no" / "such" / "c.ckpt"
    with pytest.raises(FileNotFoundError, match="checkpoint file") as info:
        CheckpointFile(path)
    assert str(path) in str(info.value)


def test_a_pickle_checkpoint_is_refused_without_running_its_code(tmp_path):
    """skhyper 0.1 wrote pickles; a crafted one must not run on opening."""
    import pickle
    import zlib

    marker = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    data = pickle.dumps({"format": 1, "evil": Payload()})
    frame = len(data).to_bytes(8, "big") + zlib.crc32(data).to_bytes(4, "big")
    path = tmp_path / "old.ckpt"
    blob = b"skhyper checkpoint\n" + frame + data
    path.write_bytes(blob)
    with pytest.raises(ValueError, match="pickle format"):
        CheckpointFile(path)
    with pytest.raises(ValueError, match="pickle format"):
        read_checkpoint(path)
    assert not marker.exists()
    assert path.read_bytes() == blob


def test_records_are_json_text_and_numpy_values_become_plain(tmp_path):
    import json

    import numpy as np

    path = tmp_path / "c.ckpt"
    checkpoint = CheckpointFile(path)
    checkpoint.begin(HEADER)
    checkpoint.append({"x": np.float32(0.5), "n": np.int64(3), "v": np.arange(2)})
    checkpoint.close()
    lines = path.read_bytes().splitlines()
    assert json.loads(lines[-1].split(b" ", 1)[1]) == {"x": 0.5, "n": 3, "v": [0, 1]}
    with pytest.raises(TypeError, match="plain data"):
        CheckpointFile(path).append({"x": object()})


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
