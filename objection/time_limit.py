"""A time limit for one piece of work in this process: a row's letter must not run for
ever, whatever its input does (issue 12, item 1)."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """The work took longer than its limit and was stopped. Like KeyboardInterrupt, not an
    Exception: the work's own `except Exception` (a library's, or a row's) must not catch
    it and carry on."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the work inside (TimeLimitExceeded) after `seconds`, with a real-time timer
    (SIGALRM). Only a process's main thread receives signals: in a thread (e.g. a Dask
    worker's) the work runs without a limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
