"""Read a file the user named: a regular file only, bounded by size before reading, and
without ever blocking (issue 12, items 1 and 12).

A device reports size 0 and never ends (/dev/zero), a pipe blocks until someone writes, a
directory is not a file: each is refused with one line naming the path, as bad input.
"""

import os
import stat

from objection.errors import InputError

KIB = 1024
MIB = 1024 * KIB


def read_user_file(path: str | os.PathLike[str], field: str, limit: int) -> bytes:
    """The content of the regular file at `path`, at most `limit` bytes; InputError if it
    does not exist, cannot be read, is not a regular file or is larger."""
    shown = os.fspath(path)
    fd = open_regular(path, field)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise InputError(field, shown, f"is {describe_size(size)}; at most "
                             f"{describe_size(limit)}")
        chunks, total = [], 0
        while chunk := os.read(fd, min(limit + 1 - total, MIB)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise InputError(field, shown, f"is larger than {describe_size(limit)}")
        return b"".join(chunks)
    except OSError as error:
        raise InputError(field, shown, f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)


def open_regular(path: str | os.PathLike[str], field: str) -> int:
    """A read-only descriptor of the regular file at `path` (the caller closes it).

    Opened without blocking (a pipe would wait for a writer), then checked: only a regular
    file is read, whatever the path names.
    """
    shown = os.fspath(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(field, shown, "no such file") from None
    except OSError as error:
        raise InputError(field, shown, f"cannot be read ({error.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a device or a pipe)"
        raise InputError(field, shown, f"is {kind}; expected a file")
    os.set_blocking(fd, True)
    return fd


def check_regular(path: str | os.PathLike[str], field: str) -> None:
    """Refuse a path that is not a regular file before a library opens it by name."""
    os.close(open_regular(path, field))


def describe_size(size: int) -> str:
    """`2 MiB`, `64 KiB`, `512 bytes`: how limits and sizes are said in messages."""
    for unit, name in ((MIB, "MiB"), (KIB, "KiB")):
        if size >= unit:
            value = size / unit
            return f"{value:.0f} {name}" if value >= 10 or value.is_integer() \
                else f"{value:.1f} {name}"
    return f"{size} bytes"
