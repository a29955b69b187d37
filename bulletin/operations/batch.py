"""Builds many issues at once in worker processes, one failure never stopping the others."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin import atomic, signals
from bulletin.errors import BulletinError
from bulletin.i18n import _, current_language, set_language
from bulletin.outputs.base import BuildResult, folder_output

# How often the waiting loop looks whether Ctrl-C or SIGTERM arrived.
POLL_SECONDS = 0.1
# How long a terminated worker gets to remove its temporary files before it is killed.
GRACE_SECONDS = 1.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass
class IssueOutcome:
    """One issue of a batch: the result of its build, or the lines of its failure."""

    issue_dir: Path
    result: BuildResult | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def output(self) -> Path | None:
        return self.result.output if self.result is not None else None

    @property
    def pages(self) -> int:
        return self.result.pages if self.result is not None else 0

    @property
    def warnings(self) -> list[str]:
        return self.result.warnings if self.result is not None else []


@dataclass
class BatchResult:
    outcomes: list[IssueOutcome]  # the issues that were built or failed, in the order given
    seconds: float
    jobs: int
    cancelled: list[Path] = field(default_factory=list)  # not built: the batch was stopped
    stopped_by: int | None = None  # the signal that stopped the batch

    @property
    def failed(self) -> list[IssueOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes)


class _Stop(BaseException):
    """Ctrl-C or SIGTERM while issues are built in this process (not Exception: no build
    may catch it)."""

    def __init__(self, number: int):
        super().__init__(number)
        self.number = number


def build_one(issue_dir: Path, options: dict[str, Any]) -> IssueOutcome:
    """Build one issue and describe what happened; runs in a worker process."""
    from bulletin.operations.build import build

    try:
        result = build(issue_dir, **options)
    except BulletinError as error:
        return IssueOutcome(issue_dir, errors=error.lines())
    except Exception as error:  # a bug in one issue's build must not sink the batch
        failed = _("failed: {reason}").format(reason=repr(error))
        return IssueOutcome(issue_dir, errors=[f"{issue_dir}: build: {failed}"])
    return IssueOutcome(issue_dir, result)


def default_jobs() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _worker_started(language: str = "en", scratch: str | None = None) -> None:
    """In each worker: Ctrl-C is the parent's to handle; SIGTERM ends the worker at once,
    without a traceback, after removing the temporary file it was writing. Messages are in
    the parent's language; the engine's scratch files go in the parent's folder for them,
    which the parent removes (a worker ends without cleaning up after the engine)."""
    set_language(language)
    if scratch is not None:
        tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminated)


def _worker_terminated(number: int, frame: object) -> None:
    atomic.discard_unfinished()
    os._exit(128 + number)


def _stop_signals(on_signal: Callable[[int, Any], None]) -> contextlib.AbstractContextManager[None]:
    """Ctrl-C and SIGTERM call `on_signal` while inside (main thread only)."""
    return signals.handling(on_signal, STOP_SIGNALS)


def build_many(
    issue_dirs: list[Path],
    options: dict[str, Any],
    *,
    jobs: int | None = None,
    on_done: Callable[[IssueOutcome], None] | None = None,
) -> BatchResult:
    """Build every issue, `jobs` at a time; outcomes come back in the order given.

    Ctrl-C or SIGTERM stops the batch within a second or two: issues not started are
    cancelled, the worker processes building are terminated and their temporary files
    removed; the result names the cancelled issues and the signal.
    """
    if options.get("output") is not None:  # refused once, before any issue is built
        folder_output(Path(options["output"]))
    jobs = max(1, min(jobs or default_jobs(), len(issue_dirs)))
    start = time.perf_counter()
    if jobs == 1:
        outcomes, stopped_by = _in_this_process(issue_dirs, options, on_done)
    else:
        outcomes, stopped_by = _in_workers(issue_dirs, options, jobs, on_done)
    if stopped_by is not None:
        atomic.sweep_stale(_output_folder(options))
    done = [outcomes[i] for i in range(len(issue_dirs)) if i in outcomes]
    cancelled = [d for i, d in enumerate(issue_dirs) if i not in outcomes]
    return BatchResult(done, time.perf_counter() - start, jobs, cancelled, stopped_by)


def _output_folder(options: dict[str, Any]) -> Path:
    from bulletin.outputs.base import DEFAULT_OUTPUT_DIR

    output = options.get("output")
    return DEFAULT_OUTPUT_DIR if output is None else Path(output)


Outcomes = tuple[dict[int, IssueOutcome], int | None]
OnDone = Callable[[IssueOutcome], None] | None


def _in_this_process(issue_dirs: list[Path], options: dict[str, Any], on_done: OnDone) -> Outcomes:
    def stop(number: int, frame: object) -> None:
        raise _Stop(number)

    outcomes: dict[int, IssueOutcome] = {}
    try:
        with _stop_signals(stop):
            for index, issue_dir in enumerate(issue_dirs):
                outcomes[index] = build_one(issue_dir, options)
                if on_done:
                    on_done(outcomes[index])
    except _Stop as stopped:
        return outcomes, stopped.number
    return outcomes, None


def _in_workers(
    issue_dirs: list[Path], options: dict[str, Any], jobs: int, on_done: OnDone
) -> Outcomes:
    received: list[int] = []
    outcomes: dict[int, IssueOutcome] = {}
    futures: dict[Future[IssueOutcome], int] = {}
    lost: list[int] = []  # issues whose worker died: a crash, or the stop signal came first

    def record(future: Future[IssueOutcome]) -> None:
        index = futures[future]
        if isinstance(future.exception(), BrokenProcessPool):
            lost.append(index)
            return
        outcomes[index] = future.result()
        if on_done:
            on_done(outcomes[index])

    with _stop_signals(lambda number, frame: received.append(number)), _scratch() as scratch:
        pool = ProcessPoolExecutor(
            max_workers=jobs, initializer=_worker_started, initargs=(current_language(), scratch)
        )
        try:
            for index, issue_dir in enumerate(issue_dirs):
                futures[pool.submit(build_one, issue_dir, options)] = index
            pending = set(futures)
            while pending and not received:
                finished, pending = wait(pending, POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    record(future)
        finally:
            if received or pending:
                _stop_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)
        # An issue finished while the batch was being stopped: its file is there, say so.
        for future, index in futures.items():
            unrecorded = index not in outcomes and index not in lost
            if unrecorded and future.done() and not future.cancelled() and not future.exception():
                record(future)
    if not received:
        for index in sorted(lost):
            message = _("its worker process stopped unexpectedly (out of memory, or killed)")
            outcomes[index] = IssueOutcome(
                issue_dirs[index], errors=[f"{issue_dirs[index]}: build: {message}"]
            )
            if on_done:
                on_done(outcomes[index])
    return outcomes, (received[0] if received else None)


@contextlib.contextmanager
def _scratch() -> Iterator[str | None]:
    """A folder for the workers' scratch files, removed with what they left in it."""
    try:
        folder = tempfile.mkdtemp(prefix="bulletin-workers-")
    except OSError:  # no usable temporary folder: the workers fall back to their own
        yield None
        return
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the workers and wait until they are gone.

    The executor then fails the issues not finished (BrokenProcessPool), and its shutdown
    cancels the queued ones; cancelling here too would race with it.
    """
    # The executor has no public way to stop its workers before Python 3.14.
    processes = list((pool._processes or {}).values())
    for process in processes:
        with contextlib.suppress(OSError):
            process.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.kill()
            process.join()
