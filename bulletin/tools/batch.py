"""Builds many issues at once in worker processes, one failure never stopping the others."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BulletinError


@dataclass
class IssueOutcome:
    issue_dir: Path
    output: Path | None = None
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class BatchResult:
    outcomes: list[IssueOutcome]
    seconds: float
    jobs: int

    @property
    def failed(self) -> list[IssueOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes)


def build_one(issue_dir: Path, options: dict) -> IssueOutcome:
    """Build one issue and describe what happened; runs in a worker process."""
    from ..build import build

    try:
        result = build(issue_dir, **options)
    except BulletinError as error:
        return IssueOutcome(issue_dir, errors=error.lines())
    except Exception as error:  # a bug in one issue's build must not sink the batch
        return IssueOutcome(issue_dir, errors=[f"{issue_dir}: internal error: {error!r}"])
    return IssueOutcome(issue_dir, result.output, result.pages, result.warnings)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def build_many(
    issue_dirs: list[Path],
    options: dict,
    *,
    jobs: int | None = None,
    on_done: Callable[[IssueOutcome], None] | None = None,
) -> BatchResult:
    """Build every issue, `jobs` at a time; outcomes come back in the order given."""
    jobs = max(1, min(jobs or default_jobs(), len(issue_dirs)))
    start = time.perf_counter()
    outcomes: dict[int, IssueOutcome] = {}
    if jobs == 1:
        for index, issue_dir in enumerate(issue_dirs):
            outcomes[index] = build_one(issue_dir, options)
            if on_done:
                on_done(outcomes[index])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(build_one, issue_dir, options): index
                for index, issue_dir in enumerate(issue_dirs)
            }
            for future in as_completed(futures):
                outcomes[futures[future]] = future.result()
                if on_done:
                    on_done(outcomes[futures[future]])
    ordered = [outcomes[i] for i in range(len(issue_dirs))]
    return BatchResult(ordered, time.perf_counter() - start, jobs)
