"""The checkpoint file: an append-only sequence of checksummed records.

Layout: a magic line, then records. Each record is a frame (payload length
as 8 bytes big-endian, CRC-32 of the payload as 4 bytes) followed by the
payload, a pickled dict. The first record is the header; every later one is
a finished batch. A record is appended in one write, flushed and fsynced
before the search goes on, so a process killed at any moment leaves at worst
one incomplete record at the end. Reading stops at the first record that is
incomplete or whose checksum fails; that tail is dropped with a warning and
cut off before anything new is appended.
"""

from __future__ import annotations

import os
import pickle
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

__all__ = ["CheckpointContents", "CheckpointFile", "read_checkpoint"]

MAGIC = b"skhyper checkpoint\n"
_LENGTH_BYTES, _CRC_BYTES = 8, 4
_FRAME_BYTES = _LENGTH_BYTES + _CRC_BYTES


@dataclass
class CheckpointContents:
    """What a checkpoint file holds, up to its last complete record.

    Attributes
    ----------
    header : dict or None
        The first record; ``None`` for a new or empty file.
    batches : list of dict
        The batch records, in the order they were appended.
    valid_length : int
        Bytes up to the end of the last complete record (0 if none).
    """

    header: dict | None = None
    batches: list[dict] = field(default_factory=list)
    valid_length: int = 0


def frame(payload: dict) -> bytes:
    """The bytes of one record."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    crc = zlib.crc32(data)
    return (
        len(data).to_bytes(_LENGTH_BYTES, "big")
        + crc.to_bytes(_CRC_BYTES, "big")
        + data
    )


def _records(blob: bytes, start: int) -> Iterator[tuple[dict, int]]:
    """Complete, intact records of ``blob`` from ``start``, each with the
    offset where it ends; stops at the first one that is not."""
    position = start
    while position + _FRAME_BYTES <= len(blob):
        length = int.from_bytes(blob[position : position + _LENGTH_BYTES], "big")
        crc = int.from_bytes(
            blob[position + _LENGTH_BYTES : position + _FRAME_BYTES], "big"
        )
        end = position + _FRAME_BYTES + length
        data = blob[position + _FRAME_BYTES : end]
        if end > len(blob) or zlib.crc32(data) != crc:
            return
        try:
            payload = pickle.loads(data)
        except Exception:
            return
        if not isinstance(payload, dict):
            return
        yield payload, end
        position = end


class CheckpointFile:
    """A checkpoint file opened for reading its records and appending more.

    Opening takes an exclusive lock (on POSIX systems), so two searches never
    write one file, and reads every complete record. An incomplete or
    corrupted tail is reported with a :class:`RuntimeWarning` and cut off by
    :meth:`begin`.

    Parameters
    ----------
    path : str or path-like
        Created if missing.

    Attributes
    ----------
    contents : CheckpointContents
        What the file held when opened.

    Raises
    ------
    ValueError
        If the file exists but is not a skhyper checkpoint.
    RuntimeError
        If another process holds the file open as a checkpoint.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.n_appended = 0
        created = not self.path.exists()
        self._file: BinaryIO | None = open(self.path, "a+b")
        try:
            _lock(self._file, self.path)
            self._file.seek(0)
            self.contents = _parse(self._file.read(), self.path)
            if created:
                _fsync_directory(self.path.parent)
        except BaseException:
            self.close()
            raise

    def begin(self, header: dict) -> None:
        """Cut off any incomplete tail; write ``header`` if the file holds no
        batch (replacing an older header: there is nothing to mix)."""
        file = self._opened()
        if not self.contents.batches:
            file.truncate(0)
            self._write(MAGIC + frame(header))
            self.contents = CheckpointContents(header, [], file.tell())
        else:
            file.truncate(self.contents.valid_length)
            file.flush()
            os.fsync(file.fileno())

    def append(self, payload: dict) -> None:
        """Append one record; it is on disk when this returns."""
        self._write(frame(payload))
        self.n_appended += 1

    def _write(self, data: bytes) -> None:
        file = self._opened()
        file.write(data)
        file.flush()
        os.fsync(file.fileno())

    def _opened(self) -> BinaryIO:
        if self._file is None:
            raise RuntimeError(f"The checkpoint {str(self.path)!r} is closed.")
        return self._file

    def close(self) -> None:
        """Release the lock and close the file."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _parse(blob: bytes, path: Path) -> CheckpointContents:
    """The complete records of a checkpoint's bytes."""
    if not blob.startswith(MAGIC):
        if MAGIC.startswith(blob):  # empty, or killed while writing the magic line
            return CheckpointContents()
        raise ValueError(
            f"{str(path)!r} exists and is not a skhyper checkpoint; refusing to "
            "use or overwrite it. Pass the path of a checkpoint or of a new file."
        )
    contents = CheckpointContents(valid_length=len(MAGIC))
    for payload, end in _records(blob, len(MAGIC)):
        if contents.header is None:
            contents.header = payload
        else:
            contents.batches.append(payload)
        contents.valid_length = end
    if contents.header is None:
        contents.valid_length = 0
    dropped = len(blob) - contents.valid_length
    if dropped and contents.header is not None:
        warnings.warn(
            f"The checkpoint {str(path)!r} ends with {dropped} bytes that do not "
            "form a complete record (the search was probably killed while "
            f"writing it); they are dropped and the {len(contents.batches)} "
            "complete batch(es) before them are used.",
            RuntimeWarning,
            stacklevel=3,
        )
    return contents


def read_checkpoint(path: str | os.PathLike) -> CheckpointContents:
    """Read the complete records of a checkpoint without locking or changing
    it (a missing file reads as empty)."""
    path = Path(path)
    if not path.exists():
        return CheckpointContents()
    return _parse(path.read_bytes(), path)


def _lock(file: BinaryIO, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory lock
        return
    try:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise RuntimeError(
            f"The checkpoint {str(path)!r} is in use by another running search; "
            "two searches cannot share one checkpoint."
        ) from None


def _fsync_directory(directory: Path) -> None:
    """Make a new file's directory entry durable (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
