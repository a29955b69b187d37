"""The signals that stop a run (Ctrl-C, SIGTERM, SIGHUP), and one handler for them a while."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def handling(
    on_signal: Callable[[int, Any], None], signals: tuple[int, ...] = STOP_SIGNALS
) -> Iterator[None]:
    """`on_signal` handles `signals` while inside, the previous handlers after (main thread
    only: elsewhere Python cannot set handlers, and the main thread's stay)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, on_signal) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
