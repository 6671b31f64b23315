"""The checkpoint file: an append-only text file of checksummed JSON records.

Layout: a magic line, then one record per line, each the CRC-32 of its JSON
text as 8 hexadecimal digits, a space, the JSON text (an object) and a
newline. The first record is the header; every later one is a finished batch.
Reading parses JSON only, so opening a checkpoint never runs code, whoever
wrote it.

A record is appended in one write, flushed and fsynced before the search goes
on, so a process killed at any moment leaves at worst one incomplete line at
the end. What reading makes of damage:

- an incomplete last line, or a last line whose checksum fails, is the trace
  of a kill: it is dropped with a warning and cut off before anything new is
  appended;
- a damaged header, or a damaged record followed by intact ones, cannot come
  from a kill: the file is refused with a ``ValueError`` naming the path and
  the record, and left as it is;
- a file that does not start with the magic line (another file, a checkpoint
  of the pickle format of skhyper 0.1) is refused and left as it is.
"""

from __future__ import annotations

import json
import math
import os
import stat
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "CheckpointContents",
    "CheckpointFile",
    "read_checkpoint",
    "to_plain_data",
]

MAGIC = b"skhyper checkpoint, format 2 (JSON lines)\n"
#: The magic line of the pickle format (format 1), refused unread.
PICKLE_MAGIC = b"skhyper checkpoint\n"
_CRC_DIGITS = 8


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


def to_plain_data(value: Any, where: str = "value") -> Any:
    """``value`` as JSON-ready plain data: None, bool, int, float, str, and
    lists and string-keyed dicts of them. numpy scalars and arrays become
    their Python values; anything else is a ``TypeError`` naming ``where``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError(f"A checkpoint cannot record {where}: non-string keys.")
        return {k: to_plain_data(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain_data(v, f"{where}[{i}]") for i, v in enumerate(value)]
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist) and type(value).__module__ == "numpy":
        return to_plain_data(tolist(), where)
    raise TypeError(
        f"A checkpoint records plain data only; {where} is a "
        f"{type(value).__name__} ({value!r:.80})."
    )


def frame(payload: dict) -> bytes:
    """The bytes of one record: checksum, JSON text, newline."""
    plain = to_plain_data(payload, "the record")
    text = json.dumps(plain, separators=(",", ":"), allow_nan=True).encode()
    return b"%08x " % zlib.crc32(text) + text + b"\n"


def _unframe(line: bytes) -> dict | None:
    """The payload of one complete line, or None if it is damaged."""
    if len(line) < _CRC_DIGITS + 1 or line[_CRC_DIGITS : _CRC_DIGITS + 1] != b" ":
        return None
    try:
        crc = int(line[:_CRC_DIGITS], 16)
    except ValueError:
        return None
    text = line[_CRC_DIGITS + 1 :]
    if zlib.crc32(text) != crc:
        return None
    try:
        payload = json.loads(text, parse_constant=_json_constant)
    except (ValueError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def _json_constant(name: str) -> float:
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


class CheckpointFile:
    """A checkpoint file opened for reading its records and appending more.

    Opening takes an exclusive lock (on POSIX systems), so two searches never
    write one file, and reads every complete record. An incomplete or
    damaged last record is reported with a :class:`RuntimeWarning` and cut
    off by :meth:`begin`.

    Parameters
    ----------
    path : str or path-like
        A regular file; created if missing.

    Attributes
    ----------
    contents : CheckpointContents
        What the file held when opened.

    Raises
    ------
    ValueError
        If the path is not a regular file (a directory, ``os.devnull``, a
        pipe), the file is not a skhyper checkpoint of this format, or its
        records are damaged anywhere but at the end.
    OSError
        If the file cannot be opened (the message names the path).
    RuntimeError
        If another process holds the file open as a checkpoint.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.n_appended = 0
        created = not _check_regular_file(self.path)
        try:
            self._file: BinaryIO | None = open(self.path, "a+b")
        except OSError as exc:
            message = f"Cannot open the checkpoint file ({exc.strerror})"
            raise type(exc)(exc.errno, message, str(path)) from exc
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


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device (such as os.devnull)"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular_file(path: Path) -> bool:
    """Whether ``path`` exists; raise ``ValueError`` if it exists and is not
    a regular file (following symbolic links)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise type(exc)(
            exc.errno, f"Cannot use the checkpoint file ({exc.strerror})", str(path)
        ) from exc
    if stat.S_ISREG(mode):
        return True
    kind = next((k for test, k in _FILE_KINDS if test(mode)), "not a regular file")
    raise ValueError(
        f"The checkpoint {str(path)!r} is {kind}; a checkpoint must be a regular "
        "file that the search can read, append to and truncate. Pass the path "
        "of a checkpoint file, or of a new file to create."
    )


def _parse(blob: bytes, path: Path) -> CheckpointContents:
    """The complete records of a checkpoint's bytes."""
    if not blob.startswith(MAGIC):
        if MAGIC.startswith(blob):  # empty, or killed while writing the magic line
            return CheckpointContents()
        if blob.startswith(PICKLE_MAGIC):
            raise ValueError(
                f"{str(path)!r} is a checkpoint in the pickle format of an older "
                "skhyper. It is not loaded, since loading a pickle can run any "
                "code it holds, and it is left as it is. Resume it with the "
                "skhyper version that wrote it, or pass a new checkpoint path."
            )
        raise ValueError(
            f"{str(path)!r} exists and is not a skhyper checkpoint; refusing to "
            "use or overwrite it. Pass the path of a checkpoint or of a new file."
        )
    *lines, _tail = blob[len(MAGIC) :].split(b"\n")
    payloads = [_unframe(line) for line in lines]
    damaged = [i for i, payload in enumerate(payloads) if payload is None]
    # Only damage with no intact record after it can be a torn last write.
    intact_after = bool(damaged) and any(
        payload is not None for payload in payloads[damaged[0] + 1 :]
    )
    if damaged and (damaged[0] == 0 or intact_after):
        record = "its header" if damaged[0] == 0 else f"record {damaged[0]}"
        raise ValueError(
            f"The checkpoint {str(path)!r} is damaged: {record} (line "
            f"{damaged[0] + 2}) fails its checksum or is not a JSON object"
            + (
                ", and intact records follow it, so this is not the trace of a "
                "search killed while writing."
                if intact_after
                else "."
            )
            + " It is left as it is and not used: restore it from a copy, or "
            "pass a new checkpoint path to start afresh."
        )
    contents = CheckpointContents(valid_length=len(MAGIC))
    for line, payload in zip(lines, payloads, strict=True):
        if payload is None:
            break
        if contents.header is None:
            contents.header = payload
        else:
            contents.batches.append(payload)
        contents.valid_length += len(line) + 1
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
    if not _check_regular_file(path):
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
