"""Running the app under uvicorn (``spinecare serve``), with one fix for several workers."""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import socket
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

# The factory each worker process imports by name and calls: the application object from
# the environment, the app around it. This module stays light on purpose: a worker
# unpickles its config (NoDelayConfig, PathOnlyAccessLog) from here before it can answer
# the supervisor's health pings, and a worker silent for 5 s is killed and restarted.
APP = "spinecare.entrypoints.web.app:app_from_env"


class PathOnlyAccessLog(logging.Filter):
    """The access log keeps the path and drops the query string.

    A query can hold health words: the site-wide search sends "I cannot control my bladder"
    as ``/search?q=…``, and logs have wider access and longer retention than the database
    (security review finding 5). Secrets in a path (a calendar feed key, a stop-reminders
    link) are replaced too (``redact_secrets``). uvicorn logs each request as ``(client, method,
    path?query, http version, status)``; only that argument is rewritten.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path = redact_secrets(args[2].partition("?")[0])
            record.args = (args[0], args[1], path, args[3], args[4])
        return True


# Paths whose last segment is a secret: the reminders' calendar feed key and the one-click
# "stop reminders" link (anyone holding them reads the feed or stops the reminders). The
# access log keeps the route and replaces the secret, e.g. ``/reminders/calendar/[redacted].ics``.
REDACTED = "[redacted]"
# Everything after the route is replaced (a longer or odd path too: it may still hold one).
_SECRET_PATH = re.compile(r"^(?P<route>/reminders/(?:calendar|stop)/).+?(?P<suffix>\.ics)?$",
                          re.DOTALL)


def redact_secrets(path: str) -> str:
    """``path`` with a secret path segment replaced by ``[redacted]``."""
    found = _SECRET_PATH.match(path)
    if found is None:
        return path
    return f"{found['route']}{REDACTED}{found['suffix'] or ''}"


def log_config() -> dict[str, Any]:
    """uvicorn's logging, with the query string removed from every access-log line. Applied
    by uvicorn in each worker process, so the filter holds with ``--workers`` too."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["path_only"] = {"()": PathOnlyAccessLog}
    config["loggers"]["uvicorn.access"]["filters"] = ["path_only"]
    return config


class ServerNotStarted(RuntimeError):
    """uvicorn gave up before serving (it has logged why, e.g. the port is in use)."""


class NoDelayConfig(uvicorn.Config):
    """uvicorn's Config, binding a socket that gets TCP_NODELAY on every connection.

    With ``workers > 1`` uvicorn binds the listening socket as ``socket.socket(AF_INET)``,
    whose ``proto`` is 0, and asyncio then skips TCP_NODELAY on accepted connections (it
    checks ``proto == IPPROTO_TCP``). The h11 parser writes headers and body separately,
    so every response then waits ~40 ms for the client's delayed ACK. Re-wrapping the
    bound socket from its file descriptor lets the kernel report the real protocol.
    (Module level: the workers unpickle it.)
    """

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            sock = socket.socket(fileno=sock.detach())  # proto read from the kernel
            sock.set_inheritable(True)
        return sock


def run_server(
    *, host: str, port: int, workers: int, forwarded_allow_ips: str, http: str, loop: str
) -> None:
    config = NoDelayConfig(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        log_config=log_config(),
        log_level=os.environ.get("SPINECARE_LOG_LEVEL", "info"),
        access_log=os.environ.get("SPINECARE_ACCESS_LOG", "1") != "0",
        server_header=False,
        http=http,
        loop=loop,
    )
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    server = uvicorn.Server(config=config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        raise ServerNotStarted(f"{host}:{port}")
