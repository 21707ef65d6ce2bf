"""The process's one boto3 session and the clients made from it: every AWS call of the app starts here.

boto3 loads on the first client, never at import, so the local backend never pays for it.
"""
from __future__ import annotations

import threading
from typing import Any, Callable


class LazyClient:
    """A boto3 client made on first use and only once, even when threads ask for it at the same moment."""

    def __init__(self, make: Callable[[], Any]):
        self._make = make
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def made(self) -> bool:
        """True once the client exists."""
        return self._client is not None

    def get(self) -> Any:
        """The client, made now if this is the first call."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make()
        return self._client


def _trimmed_loader() -> Any:
    """A botocore data loader that reads only the trimmed copy of botocore's data (icp.store.botocore_trim)."""
    from botocore.loaders import Loader

    from icp.store.botocore_trim import BOTOCORE_DATA

    class TrimmedLoader(Loader):
        # the copy is botocore's own data, cut (tests/test_botocore_data.py): botocore must treat it as its
        # own, or it would take the endpoints it resolves from it for custom ones and address S3 differently
        def is_builtin_path(self, path: str) -> bool:
            return path.startswith(str(BOTOCORE_DATA))

    return TrimmedLoader(extra_search_paths=[str(BOTOCORE_DATA)], include_default_search_paths=False)


_session: Any = None
_session_handlers = 0
_session_lock = threading.Lock()


def boto_session() -> Any:
    """The one boto3 Session of this process, made on first use; every client of the app comes from it."""
    global _session, _session_handlers
    from botocore.handlers import BUILTIN_HANDLERS

    # a session copies botocore's built-in handlers when made; one registered later (moto's stub, in
    # tests) would be missed, and that client would go to the real endpoint: make a new session then
    if _session is None or _session_handlers != len(BUILTIN_HANDLERS):
        with _session_lock:
            if _session is None or _session_handlers != len(BUILTIN_HANDLERS):
                import boto3
                import botocore.session

                core = botocore.session.Session()
                # the five services the app calls, not botocore's 450 (~45 ms a client: icp.store.botocore_trim)
                core.register_component("data_loader", _trimmed_loader())
                # one session loads the endpoint, partition and retry data once (35-40 ms a session)
                _session = boto3.session.Session(botocore_session=core)
                _session_handlers = len(BUILTIN_HANDLERS)
    return _session


def boto_client(service: str, *, region: str | None, endpoint_url: str | None = None, **config: Any) -> Any:
    """Return a new boto3 client with standard retries, from the process's one session (boto3 loads here)."""
    from botocore.config import Config

    session = boto_session()
    # a session is not thread-safe while it makes a client (credential and loader caches); clients are
    with _session_lock:
        return session.client(
            service,
            region_name=region,
            endpoint_url=endpoint_url,
            config=Config(retries={"mode": "standard"}, **config),
        )
