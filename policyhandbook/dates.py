"""Dates: the build date (reproducible), and dates written the British way, with no locale involved."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
STALE_AFTER_DAYS = 365  # a council's document not checked for longer is flagged


def build_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the project's last commit, else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=10)
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return int(result.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return 0


def build_date(root: Path) -> date:
    return datetime.fromtimestamp(build_epoch(root), UTC).date()


def long_date(moment: date | datetime) -> str:
    """22 November 2026."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def day(value: str) -> date | None:
    """A YYYY-MM-DD field as a date; None for 'not recorded'."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def shown(value: str) -> str:
    """A YYYY-MM-DD field for readers ('3 December 2026'), or the field as it is ('not recorded')."""
    parsed = day(value)
    return long_date(parsed) if parsed else value


def stale(checked: str, built: date) -> bool:
    """Whether a document was last checked more than a year before the build (or never)."""
    parsed = day(checked)
    return parsed is None or (built - parsed).days > STALE_AFTER_DAYS
