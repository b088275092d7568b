"""Reading and writing the user's files without ever losing a byte.

Input is decoded as UTF-8 (a byte-order mark is remembered and written back); binary or
undecodable input is refused with a clear message. A fixed file is written to a temporary
file in the same folder, flushed to disk, and put in place of the original in one step,
keeping its permissions, and only if the original is still what was read: a change made by
another program in the meantime is never overwritten (``FileChanged``). Reports (``-o``)
go to regular files the same way, or are written through to a device or pipe.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """Input that cannot be checked: missing, unreadable, binary or undecodable."""


class OutputError(Exception):
    """Output that cannot be written where it was asked: a folder, a read-only file, a full disk."""


class FileChanged(Exception):
    """The file changed between being read and being replaced: writing would discard it.
    ``kept``: where another program's version was saved, when the change came too late to
    stop the replacement (then trying again would be wrong: the fixed file is in place)."""

    def __init__(self, message: str, kept: Path | None = None) -> None:
        super().__init__(message)
        self.kept = kept


@dataclass(frozen=True)
class Stamp:
    """What identifies one version of a file: the same inode, size, times and content."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int
    digest: str

    @classmethod
    def of(cls, st: os.stat_result, raw: bytes) -> Stamp:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, _digest(raw))

    def same_file_state(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) == (
            self.device,
            self.inode,
            self.size,
            self.mtime_ns,
            self.ctime_ns,
        )


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Loaded:
    text: str
    bom: bool
    stamp: Stamp | None = None  # None for standard input


# The first bytes of common binary formats: naming the format is a better message than
# "not valid UTF-8" (or, for an ELF file full of NUL bytes, a guess at UTF-16).
_MAGIC = (
    (b"\x7fELF", "an ELF executable or library"),
    (b"MZ", "a Windows executable"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document: export it as text)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"(\xb5/\xfd", "a zstd-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (export it as text)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\x00asm", "a WebAssembly module"),
)


def _binary_kind(raw: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if raw.startswith(magic) and (magic != b"MZ" or b"\x00" in raw[:512]):
            return kind
    return None


def _utf16_without_bom(head: bytes) -> bool:
    """Text in UTF-16 has a NUL in (nearly) every other byte and text in the others; a
    binary file has NUL bytes everywhere or in no pattern."""
    if len(head) < 16:
        return False
    even, odd = head[0::2], head[1::2]
    for zeros, other in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.05 * len(other):
            printable = sum(1 for b in other if 32 <= b < 127 or b in (9, 10, 13))
            if printable >= 0.9 * len(other):
                return True
    return False


def decode(raw: bytes, name: str) -> Loaded:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(f"{name}: UTF-32 text; convert it to UTF-8 first, e.g. `iconv -f utf-32 -t utf-8`")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text; convert it to UTF-8 first, e.g. `iconv -f utf-16 -t utf-8`")
    kind = _binary_kind(raw)
    if kind:
        raise InputError(f"{name}: a binary file ({kind}), not text; mtcheck checks UTF-8 text")
    head = raw[:8192]
    if _utf16_without_bom(head):
        raise InputError(f"{name}: looks like UTF-16 without a byte-order mark; convert it to UTF-8 first")
    if b"\x00" in head:
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


def why(exc: OSError) -> str:
    """An OSError as a few words a user can act on."""
    return {
        errno.ENOENT: "no such file",
        errno.ELOOP: "a loop of symbolic links",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EISDIR: "is a directory",
        errno.ENOSPC: "no space left on the device",
        errno.EROFS: "the file system is read-only",
        errno.EDQUOT: "over the disk quota",
        errno.EIO: "an input/output error",
    }.get(exc.errno or 0, exc.strerror or str(exc))


def read(path: str) -> Loaded:
    if path == "-":
        if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
            raise InputError("<stdin>: standard input is closed")
        try:
            return decode(sys.stdin.buffer.read(), "<stdin>")
        except OSError as exc:
            raise InputError(f"<stdin>: cannot read: {why(exc)}") from None
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise InputError(f"{path}: a symbolic link to a file that does not exist") from None
        raise InputError(f"{path}: {why(exc)}") from None
    except ValueError:  # a NUL byte in the name
        raise InputError(f"{path!r}: not a valid file name") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not a regular file (a pipe or a device); use - to read standard input")
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())  # the version actually read, not the one stat saw
            raw = fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {why(exc)}") from None
    loaded = decode(raw, path)
    return Loaded(loaded.text, loaded.bom, Stamp.of(st, raw))


def write_atomic(path: str, text: str, bom: bool = False, expected: Stamp | None = None) -> None:
    """Replace ``path`` with ``text`` atomically: readers see the old file or the new one.

    With ``expected`` (the stamp of the version that was read and fixed), the file is
    replaced only if it is still that version, checked once more just before the rename;
    otherwise ``FileChanged``. Should another program write into the old file in the instant
    between that check and the rename, its version is kept beside the file as
    ``<name>.mtcheck-conflict`` and ``FileChanged`` says so: nothing is ever discarded."""
    # Through a symbolic link to the file itself: replacing the link would leave the real
    # file unchanged and turn the link into a copy.
    p = Path(path).resolve()
    data = (BOM if bom else b"") + text.encode("utf-8")
    st = p.stat() if p.exists() else None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: not a regular file; nothing written")
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
        if expected is None:
            os.replace(tmp, p)
        else:
            _replace_if_unchanged(tmp, p, expected)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _replace_if_unchanged(tmp: str, p: Path, expected: Stamp) -> None:
    try:
        old = open(p, "rb")  # noqa: SIM115 - held across the rename, closed below
    except FileNotFoundError:
        raise FileChanged(f"{p}: was removed or renamed while mtcheck was fixing it") from None
    with old:
        before = os.fstat(old.fileno())
        if not expected.same_file_state(before) or _digest(old.read()) != expected.digest:
            raise FileChanged(f"{p}: was changed by another program while mtcheck was fixing it")
        os.replace(tmp, p)
        after = os.fstat(old.fileno())
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
            # Written in the instant before the rename: that write is in the old file only.
            old.seek(0)
            conflict = p.with_name(p.name + ".mtcheck-conflict")
            conflict.write_bytes(old.read())
            raise FileChanged(
                f"{p}: another program wrote to it while mtcheck replaced it; its version is kept in {conflict}",
                conflict,
            )


def write_output(path: str, text: str) -> None:
    """Write a report to ``path``: a regular file (new or not) is replaced atomically; a
    device or a pipe (/dev/stdout, /dev/null, a FIFO) is written through, never replaced by
    a regular file. Every failure is an ``OutputError`` with a message a user can act on."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {why(exc)}") from None
    try:
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{path}: is a directory; give a file name")
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_through(path, text, stat.S_ISFIFO(st.st_mode))
            return
        parent = Path(path).resolve().parent
        if not parent.is_dir():
            raise OutputError(f"{path}: the folder {parent} does not exist")
        # A lone surrogate (from a corpus's JSON) cannot be UTF-8: one "?" costs less than the report.
        write_atomic(path, text.encode("utf-8", "replace").decode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {why(exc)}") from None


def _write_through(path: str, text: str, fifo: bool) -> None:
    """Write into a device or a named pipe as it is. A pipe nothing reads would block the
    open for ever: opened without blocking, it is an error instead."""
    try:
        fd = os.open(path, os.O_WRONLY | (os.O_NONBLOCK if fifo else 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{path}: a named pipe that no program is reading; nothing written") from None
        raise
    os.set_blocking(fd, True)
    with open(fd, "w", encoding="utf-8", errors="replace") as fh:
        fh.write(text)
