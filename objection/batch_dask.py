"""`objection batch --scheduler ADDRESS`: the rows on an existing Dask cluster.

Only imported with --scheduler, so that nothing of Dask is loaded otherwise (it is an
optional extra: pip install 'objection[dask]'). The cluster's workers make the letters
(`batch.produce_all`, a pure function of its rows) and send their bytes back; this process
stages, commits and records them exactly as with the local pool, so resume, the manifest,
Ctrl-C and the state work the same. Workers need objection installed, and any signature
image a row names must be readable at the same path on them.
"""

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

from objection.errors import InputError


@contextmanager
def dask_executor(address: str) -> Iterator[tuple[Executor, int]]:
    """A `concurrent.futures` executor on the cluster at `address`, and how many rows it
    works on at once (its workers' threads); closed when the batch ends."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("scheduler", address, "needs Dask's distributed package; install "
                         "it with: pip install 'objection[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError("scheduler", address, "no Dask scheduler answers there "
                         f"({type(error).__name__}); expected e.g. tcp://host:8786") from None
    try:
        slots = sum(client.nthreads().values()) or 1
        with client.get_executor(pure=False) as executor:
            yield executor, slots
    finally:
        client.close()
