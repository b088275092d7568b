"""Reading and writing the user's files without ever losing a byte.

Input is decoded as UTF-8 (a byte-order mark is remembered and written back); binary or
undecodable input is refused with a clear message. Writes go to a temporary file in the same
folder, are flushed to disk, and replace the original in one step, keeping its permissions.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """Input that cannot be checked: missing, unreadable, binary or undecodable."""


@dataclass(frozen=True)
class Loaded:
    text: str
    bom: bool


def decode(raw: bytes, name: str) -> Loaded:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(f"{name}: UTF-32 text; convert it to UTF-8 first, e.g. `iconv -f utf-32 -t utf-8`")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text; convert it to UTF-8 first, e.g. `iconv -f utf-16 -t utf-8`")
    head = raw[:8192]
    if head.count(b"\x00") * 3 > len(head) and (
        head[1::2].count(b"\x00") > len(head) // 3 or head[0::2].count(b"\x00") > len(head) // 3
    ):
        raise InputError(f"{name}: looks like UTF-16 without a byte-order mark; convert it to UTF-8 first")
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes); mtcheck checks UTF-8 text")
    bom = raw.startswith(BOM)
    try:
        text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}, line {line}); "
            "convert it first, e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    return Loaded(text, bom)


def read(path: str) -> Loaded:
    if path == "-":
        if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
            raise InputError("<stdin>: standard input is closed")
        return decode(sys.stdin.buffer.read(), "<stdin>")
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory")
    if not p.is_file():
        raise InputError(f"{path}: not a regular file (a pipe or a device); use - to read standard input")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(raw, path)


def write_atomic(path: str, text: str, bom: bool = False) -> None:
    """Replace ``path`` with ``text`` atomically: readers see the old file or the new one."""
    # Through a symbolic link to the file itself: replacing the link would leave the real
    # file unchanged and turn the link into a copy.
    p = Path(path).resolve()
    data = (BOM if bom else b"") + text.encode("utf-8")
    st = p.stat() if p.exists() else None
    if st is not None and not st.st_mode & 0o222:
        raise PermissionError(13, "the file is read-only (make it writable to fix it)")
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".mtcheck-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            mode = stat.S_IMODE(st.st_mode)
            try:  # keep the owner (when run as root); else never keep set-id bits for another owner
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                mode &= ~(stat.S_ISUID | stat.S_ISGID)
            os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
