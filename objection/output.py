"""Write letters so that a reader never sees half a file, and only the owner can read it."""

import contextlib
import ctypes
import functools
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from objection.errors import InputError


def check_writable(path: Path, replace: bool = False) -> None:
    """Fail before any work if the letter could not be written there. An existing path must
    be a regular file: the letter replaces the path, which would turn a device (as root,
    /dev/null), a pipe or a symbolic link into a regular file (issue 12, item 2). An
    existing file is replaced only when asked (`replace`): it may be a signed letter, which
    cannot be made again (issue 12, item 19)."""
    if path.is_dir():
        raise InputError("output", str(path),
                         "is a directory; expected a file name, e.g. letter.pdf")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise InputError("output", str(path), "is not a regular file (a device, a pipe or a "
                         "link); give a file name, or '-' for standard output")
    if mode is not None and not replace:
        raise InputError("output", str(path), "exists; give --force to replace it, or "
                         "another file name")
    parent = path.parent
    if not parent.is_dir():
        raise InputError("output", str(path), "its directory does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("output", str(path), "its directory is not writable")


def write_private(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Atomically replace `path` with `data` (bytes, or pieces of it written as they come:
    a large manifest is never whole in memory): temp file beside it, mode 0600, fsync,
    rename."""
    commit_staged([(stage_private(path, data), path)])


def stage_private(path: Path, data: bytes | Iterable[bytes]) -> str:
    """Write `data` to a private temporary file beside `path`; `commit_staged` puts it there."""
    # mkstemp creates the file readable and writable by the owner only (0600).
    fd, tmp_name = tempfile.mkstemp(prefix=".objection-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                fh.writelines(data)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def commit_staged(staged: list[tuple[str, Path]]) -> None:
    """Group commit: every staged file reaches the disk (one syncfs on Linux, else an fsync
    each) before any is renamed into place, then the renames are made durable. The same
    guarantee as `write_private` for each file, at a fraction of the flushes."""
    if not staged:
        return
    directory = staged[0][1].parent
    try:
        _flush_to_disk([tmp for tmp, _ in staged], directory)
        for tmp_name, path in staged:
            os.replace(tmp_name, path)
    except BaseException:
        for tmp_name, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        raise
    for folder in sorted({path.parent for _tmp, path in staged}):  # a large batch's subfolders
        fsync_directory(folder)


def _flush_to_disk(names: list[str], directory: Path) -> None:
    """One fsync for one file; for many, one syncfs of the file system where it exists."""
    syncfs = getattr(libc(), "syncfs", None) if len(names) > 1 else None
    if syncfs is not None:
        fd = os.open(directory, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for name in names:  # no syncfs (not Linux) or it failed: one fsync per file
        fd = os.open(name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@functools.cache
def libc() -> object:
    """The C library (for syncfs and prctl), or None where it cannot be loaded."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def fsync_directory(directory: Path) -> None:
    """Make the renames in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
