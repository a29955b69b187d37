"""Runs preflight's reading of a PDF in a child process, under time and memory budgets.

A hostile PDF can make the PDF readers loop for ever, take gigabytes (a compression bomb)
or recurse without end, and a library caught in a loop may not even stop for SIGTERM. So
the file is read in a child process: forked on Linux (a few milliseconds; the child has
every module the parent imported), started afresh elsewhere. The child may use
MEMORY_BUDGET_MB of address space beyond what it starts with (RLIMIT_AS) and
TIME_BUDGET_SECONDS of CPU time (RLIMIT_CPU); the parent waits TIME_BUDGET_SECONDS of
wall-clock time for its answer. Past either budget the child is killed and the error says
which budget, with its number. Ctrl-C, SIGTERM or SIGHUP kill the child at once and
raise Stopped (exit code 128 + N). The answer (a report, or a BulletinError's problems)
comes back whole through a pipe.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from pathlib import Path

from bulletin import signals
from bulletin.errors import BuildError, BulletinError, Stopped
from bulletin.i18n import _, current_language, set_language

# Time: 150 times the 0.8 s the 8-page sample issue takes, room for issues of 100 pages
# and more on a slow machine; a file still reading then is hostile or beyond checking.
TIME_BUDGET_SECONDS = 120
# Memory: the sample issue needs about 30 MB beyond the program itself; 1024 MB is room for
# some 300 pages (pdfplumber keeps every page's characters), far below a compression bomb.
MEMORY_BUDGET_MB = 1024


def run_limited(path: Path, function, *args):
    """`function(*args)` in a child process under the budgets: its result, or its error."""
    import multiprocessing

    method = "fork" if sys.platform == "linux" else "spawn"
    context = multiprocessing.get_context(method)
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(writer, current_language(), function, args), daemon=True
    )
    received: list[int] = []
    with _stop_signals(received):
        try:
            process.start()
            writer.close()
            outcome = _wait(path, process, reader)
        except _Stop:
            raise Stopped(received[0]) from None
        finally:
            # A signal now is one more reason to end; it must not interrupt the clean-up.
            received.append(0)
            if process.is_alive():
                process.kill()
            process.join()
            reader.close()
    kind, value = outcome
    if kind == "error":
        error_class, problems = value
        error = error_class.__new__(error_class)
        error._set(problems)
        raise error
    if kind == "memory":
        raise BuildError(path, "pdf", over_budget("memory"))
    if kind == "bug":
        raise RuntimeError(value)
    return value


def over_budget(budget: str) -> str:
    if budget == "memory":
        return _(
            "preflight stopped: reading the file needed more than its memory budget of "
            "{megabytes} MB (a compression bomb, or a file too large to check)"
        ).format(megabytes=MEMORY_BUDGET_MB)
    return _(
        "preflight stopped: reading the file took longer than its time budget of {seconds} s"
    ).format(seconds=TIME_BUDGET_SECONDS)


def caused_by(error: BaseException, kind: type) -> bool:
    """Whether `error`, or one it wraps (cause, context, or an argument), is a `kind`."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        pending += [current.__cause__, current.__context__, *current.args]
    return False


class _Stop(BaseException):
    """A stop signal while the parent waits (not Exception: nothing may catch it)."""


def _stop_signals(received: list[int]):
    """Ctrl-C, SIGTERM and SIGHUP raise _Stop once while inside (main thread only)."""

    def stop(number, frame):
        if not received:
            received.append(number)
            raise _Stop

    return signals.handling(stop)


def _wait(path: Path, process, reader):
    """The child's outcome; BuildError past the time budget or if the child died."""
    from multiprocessing.connection import wait

    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BuildError(path, "pdf", over_budget("time"))
        ready = wait([reader, process.sentinel], remaining)
        if reader in ready or (ready and reader.poll()):
            try:
                return reader.recv()
            except EOFError:  # the child ended without an answer
                break
        elif ready:
            break
    process.join()
    code = process.exitcode
    if code == -getattr(signal, "SIGXCPU", 0):
        raise BuildError(path, "pdf", over_budget("time"))
    reason = _(
        "preflight stopped: its reading process ended unexpectedly (exit code {code}: out of "
        "memory, or killed)"
    ).format(code=code)
    raise BuildError(path, "pdf", reason)


def _child(writer, language: str, function, args) -> None:
    """In the child: the parent handles the signals, the budgets apply, the outcome is sent."""
    for number in signals.STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN if number == signal.SIGINT else signal.SIG_DFL)
    set_language(language)
    relax = _limit()
    try:
        outcome = ("done", function(*args))
    except BulletinError as error:
        outcome = ("error", (type(error), error.problems))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:  # a bug, not the file's fault: the parent says so
        outcome = ("bug", f"{type(error).__name__}: {error}")
    if outcome[0] == "memory":
        relax()  # room to say so
    writer.send(outcome)
    writer.close()


def _limit():
    """Applies the budgets to this process; returns what lifts the memory budget again."""
    try:
        import resource
    except ImportError:  # no such limits here: the parent's wall clock still applies
        return lambda: None
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump core
    # CPU time: SIGXCPU at the budget, SIGKILL two seconds later (an orphan ends too).
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    infinite = resource.RLIM_INFINITY
    seconds = TIME_BUDGET_SECONDS if soft == infinite else min(soft, TIME_BUDGET_SECONDS)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(
            resource.RLIMIT_CPU, (seconds, seconds + 2 if hard == infinite else hard)
        )
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    budget = _mapped(resource, soft, hard) + MEMORY_BUDGET_MB * 2**20
    if hard != infinite:
        budget = min(budget, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (budget, hard))

    def relax() -> None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

    return relax


def _mapped(resource, soft, hard) -> int:
    """The address space this process has mapped, found without reading anything: the
    smallest limit (to a page) under which one more page can still be mapped."""
    import mmap

    page = mmap.PAGESIZE
    low, high = 0, 1 << 44
    try:
        while high - low > page:
            middle = (low + high) // 2
            resource.setrlimit(resource.RLIMIT_AS, (middle, hard))
            try:
                mmap.mmap(-1, page).close()
            except OSError:
                low = middle
            else:
                high = middle
    except (ValueError, OSError):  # the limit cannot be set here: no budget then
        return 1 << 44
    finally:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return high - page
