"""The lines commands print about what they made: counts in words, outcomes, summaries."""

from __future__ import annotations

from bulletin.i18n import N_, _, n_

ARCHIVE_NOTES = {
    "archived": N_("archived"),
    "unchanged": N_("already archived, identical: nothing to do"),
    "restored": N_("restored the catalogued copy that was missing (identical bytes)"),
    "recorded": N_("archived (the identical copy already in the folder is now catalogued)"),
    "completed": N_("archived (completed the run that was interrupted)"),
    "written": N_("written"),
}
PUBLISHED_KINDS = {
    "office": N_("office PDF"),
    "press": N_("press PDF"),
    "booklet": N_("booklet"),
    "archive": N_("archive copy"),
    "web": N_("e-edition"),
}


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


def built(result, kind: str) -> str:
    """One issue built: `out/x.pdf: 8 pages, 1.2 s` (the booklet adds its sheets)."""
    took = seconds(sum(result.seconds.values()))
    if kind == "web":
        return _("{output}: e-edition, {seconds}").format(output=result.output, seconds=took)
    made = pages_made(result, kind)
    return _("{output}: {made}, {seconds}").format(output=result.output, made=made, seconds=took)


def pages_made(result, kind: str) -> str:
    """`8 pages`, or for the booklet `8 pages on 2 A3 sheets`."""
    if kind != "booklet":
        return pages(result.pages)
    sheets = -(-result.pages // 4)
    return n_("{pages} on {n} A3 sheet", "{pages} on {n} A3 sheets", sheets).format(
        pages=pages(result.pages), n=sheets
    )


def archived(result, note: str) -> str:
    return _("{output}: {pages}, {note}").format(
        output=result.output, pages=pages(result.pages), note=note
    )


def archive_note(result) -> str:
    """What archiving one issue did, in words."""
    if result.status == "replaced":
        if result.kept:
            return _("replaced; the previous copy is kept as {file}").format(file=result.kept)
        return _("replaced; the previous copy was missing, the catalogue keeps its record")
    note = ARCHIVE_NOTES.get(result.status)
    return _(note) if note else result.status


def batch_summary(result, kind: str, total: int) -> str:
    """The last line of a build of several issues: what was made, how long it took."""
    done = len(result.outcomes) - len(result.failed)
    if kind == "web":
        made = n_("{n} e-edition written", "{n} e-editions written", done).format(n=done)
    else:
        made = n_("{n} issue built", "{n} issues built", done).format(n=done)
        made = _("{made}, {pages}").format(made=made, pages=pages(result.pages))
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


def published(name: str, result) -> str:
    """One output of `bulletin publish`."""
    if name == "web":
        return _("{output}: e-edition").format(output=result.output)
    if name == "archive":
        return _("{output}: archive copy, {note}").format(
            output=result.output, note=archive_note(result)
        )
    return _("{output}: {pages} ({kind})").format(
        output=result.output,
        pages=pages_made(result, name),
        kind=_(PUBLISHED_KINDS.get(name, name)),
    )


def publish_summary(done) -> str:
    made = len(done.results)
    line = n_("{n} file in {seconds}", "{n} files in {seconds}", made).format(
        n=made, seconds=seconds(done.seconds)
    )
    if done.failures:
        line += _(", {n} failed").format(n=len(done.failures))
    return line
