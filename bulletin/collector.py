"""The cycle collector, paused while one issue is built."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def without_cycle_collection():
    """Python's cycle collector paused for the block (or the decorated function); nesting is free.

    A build makes hundreds of thousands of objects (the engine's boxes, the imports it
    needs) that live until the PDF is written; the collector would walk them again and
    again and find little to free: about a tenth of a second of a one-second build. What
    it would have freed waits for the end of the block: peak memory is the same on the
    sample and 8 % higher on a 364-page issue (558 MB instead of 518 MB). `publish` keeps
    only the engine's pauses, one per layout and per file: one across its four outputs
    cost 17 %.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
