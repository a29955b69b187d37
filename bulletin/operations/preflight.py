"""Preflight a PDF as its receivers read it (the checks live in bulletin/preflight/)."""

from __future__ import annotations

from bulletin.preflight.preflight import preflight
from bulletin.preflight.report import RULES, Report, Violation

__all__ = ["RULES", "Report", "Violation", "preflight"]
