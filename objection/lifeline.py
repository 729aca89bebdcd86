"""Processes of a batch end with the batch: a worker must not go on making letters (holding
personal data, writing temporary files) after the batch that started it was killed.

The batch's pool starts its workers through a fork server. The fork server imports the
`objection.lifeline_preload` module when it starts, which makes it die with the batch; each
worker calls `die_with_parent` at its start, which makes it die with the fork server.
"""

import ctypes
import os
import signal

from objection.output import libc

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent exits. Elsewhere nothing."""
    prctl = getattr(libc(), "prctl", None)
    if prctl is None:
        return
    parent = os.getppid()
    prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent was gone before the call took effect
        os._exit(1)
