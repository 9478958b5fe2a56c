"""Run the sandbox on uvicorn in a background thread (the app's sandbox mode, tests).

    with SandboxServer(SandboxConfig(seed=1)) as server:
        base_url = server.base_url            # e.g. http://127.0.0.1:41873
        server.set_faults(drop_after=1.0)     # change faults at run time
        server.state.issue_billing_key("cu_1", card_name="신한카드")

The socket is bound (127.0.0.1 only) before the thread starts, so `start()` returns a working
URL even with port 0 ("pick a free one"). uvicorn runs with its own event loop in a thread named
``kpadmin-sandbox``; the access log is off (URLs are not secrets, but there is nothing to gain
from logging them) and no request header or body is ever logged, so tokens and secrets cannot
leak through it.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from kpadmin.sandbox.app import SandboxRuntime, create_app
from kpadmin.sandbox.config import SandboxConfig
from kpadmin.sandbox.state import SandboxState

_DROPPED = "ASGI callable returned without completing response."


class _DropFaultFilter(logging.Filter):
    """Hide uvicorn's complaint about the connections the drop_after fault cuts on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _DROPPED


_filter_installed = False


def _install_log_filter() -> None:
    global _filter_installed
    if not _filter_installed:
        logging.getLogger("uvicorn.error").addFilter(_DropFaultFilter())
        _filter_installed = True


class SandboxServer:
    """A running sandbox: `.start() -> base_url`, `.stop()`, usable as a context manager."""

    def __init__(
        self,
        config: SandboxConfig | None = None,
        state_path: str | Path | None = None,
        *,
        port: int = 0,
        state: SandboxState | None = None,
    ) -> None:
        self.config = config or SandboxConfig()
        self.state = state if state is not None else SandboxState(state_path)
        self.port = port
        self.app: Starlette = create_app(self.config, self.state)
        self.runtime: SandboxRuntime = self.app.state.sandbox
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the sandbox is not running")
        return self._base_url

    def start(self) -> str:
        """Bind, start serving in the background and return the base URL."""
        if self._thread is not None:
            return self.base_url
        _install_log_filter()
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only when the
        # listening socket says so, and without it every answer waits ~40 ms (Nagle + delayed ACK).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(128)
        sock.setblocking(False)
        port = sock.getsockname()[1]
        self._base_url = f"http://127.0.0.1:{port}"
        self.state.base_url = self._base_url
        uv_config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            # Don't hang on stop() behind a delay_after answer the client has not given up on.
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(uv_config)
        started = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            async def main() -> None:
                task = asyncio.create_task(server.serve(sockets=[sock]))
                while not server.started and not task.done():
                    await asyncio.sleep(0.005)
                started.set()
                await task

            try:
                asyncio.run(main())
            except BaseException as exc:  # reported to start() if it happens before start-up
                failure.append(exc)
            finally:
                started.set()
                sock.close()

        self._server = server
        self._thread = threading.Thread(target=serve, name="kpadmin-sandbox", daemon=True)
        self._thread.start()
        started.wait()
        if failure or not server.started:
            self._thread.join()
            self._thread = None
            raise RuntimeError("the sandbox server did not start") from (
                failure[0] if failure else None
            )
        return self._base_url

    def stop(self) -> None:
        """Stop serving and wait for the thread (the state stays open and readable)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None
        self._base_url = None

    def close(self) -> None:
        """Stop and close the state's database."""
        self.stop()
        self.state.close()

    def set_faults(self, **rates: Any) -> None:
        """Change faults at run time: error_before, error_after, drop_after, delay_after (0..1),
        delay_s, endpoints (names from config.FAULT_ENDPOINTS), decline_rate."""
        self.runtime.faults.configure(**rates)

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
