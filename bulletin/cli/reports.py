"""The lines commands print about what they made: counts in words, outcomes, summaries."""

from __future__ import annotations

from bulletin.counts import articles, files_written, pages, regions, seconds
from bulletin.i18n import _, n_

__all__ = ["articles", "files_written", "pages", "regions", "seconds"]


def kind_named(name: str):
    # The output kinds load with their modules, when a command has made something.
    from bulletin.outputs import kind_named

    return kind_named(name)


def built(result) -> str:
    """One output made: its kind's own line (`out/x.pdf: 8 pages, 1.2 s`)."""
    return kind_named(result.kind).result_line(result)


def batch_summary(result, kind: str, total: int) -> str:
    """The last line of a build of several issues: what was made, how long it took."""
    done = len(result.outcomes) - len(result.failed)
    made = kind_named(kind).batch_made(done, result.pages)
    workers = n_("{n} worker", "{n} workers", result.jobs).format(n=result.jobs)
    line = _("{made}, {seconds} ({workers})").format(
        made=made, seconds=seconds(result.seconds), workers=workers
    )
    if result.failed:
        line += _(", {n} failed").format(n=len(result.failed))
    return line


def stopped_summary(result, by: str, total: int) -> str:
    """A build of several issues stopped by a signal: what was done, what was not."""
    done = len(result.outcomes) - len(result.failed)
    line = n_(
        "stopped by {signal}: {done} of {total} issue built",
        "stopped by {signal}: {done} of {total} issues built",
        total,
    ).format(signal=by, done=done, total=total)
    if result.failed:
        line += _(", {n} failed").format(n=len(result.failed))
    return line + _(", the other {n} cancelled").format(n=len(result.cancelled))


def published(result) -> str:
    """One output of `bulletin publish`: its kind's own line."""
    return kind_named(result.kind).published_line(result)


def publish_summary(done) -> str:
    made = len(done.results)
    line = n_("{n} file in {seconds}", "{n} files in {seconds}", made).format(
        n=made, seconds=seconds(done.seconds)
    )
    if done.failures:
        line += _(", {n} failed").format(n=len(done.failures))
    return line
