"""Counts and durations in words, as every message that reports what was made says them."""

from __future__ import annotations

from bulletin.i18n import _, n_


def pages(count: int) -> str:
    return n_("{n} page", "{n} pages", count).format(n=count)


def articles(count: int) -> str:
    return n_("{n} article", "{n} articles", count).format(n=count)


def regions(count: int) -> str:
    return n_("{n} region", "{n} regions", count).format(n=count)


def files_written(count: int) -> str:
    return n_("{n} file written", "{n} files written", count).format(n=count)


def seconds(value: float) -> str:
    return _("{seconds} s").format(seconds=f"{value:.1f}")
