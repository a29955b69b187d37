"""WeasyPrint's warnings: collected for the build result, said once, each with a reason."""

from __future__ import annotations

import contextlib
import logging

from ..i18n import _

# WeasyPrint's warnings (unsupported CSS, missing fonts, failed loads) pass through here.
# They reach the user once, through the build result; the NullHandler keeps Python from
# also printing them raw on stderr (its last-resort handler), while tests still see them.
ENGINE_LOGGER = logging.getLogger("bulletin.engine")
ENGINE_LOGGER.addHandler(logging.NullHandler())


class _WarningCollector(logging.Handler):
    """Keeps WeasyPrint's warnings for the build result and passes them to our logger."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = _described(record)
        self.records.append(message)
        ENGINE_LOGGER.warning(message)


def _described(record: logging.LogRecord) -> str:
    """The record's message, with a reason where WeasyPrint's exception has no text."""
    args = record.args
    if not isinstance(args, tuple) or not any(_silent(a) for a in args):
        return record.getMessage()
    return str(record.msg) % tuple(_reason(a) if _silent(a) else a for a in args)


def _silent(value) -> bool:
    return isinstance(value, BaseException) and not str(value).strip()


def _reason(error: BaseException) -> str:
    """What failed, in words, for an exception whose own text is empty."""
    cause = error.__cause__ or error.__context__
    detail = ""
    if cause is not None and type(cause).__name__ != "UnidentifiedImageError":
        detail = str(cause).strip() or type(cause).__name__
    if type(error).__name__ == "ImageLoadingError":
        unreadable = _("not an image the engine can read (damaged, cut short, or another file)")
        return f"{unreadable}: {detail}" if detail else unreadable
    return detail or type(error).__name__


@contextlib.contextmanager
def collected_warnings():
    """WeasyPrint's warnings (bad CSS, failed loads) land in a list instead of stderr."""
    logger = logging.getLogger("weasyprint")
    collector = _WarningCollector()
    previous = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
        logger.propagate = previous
