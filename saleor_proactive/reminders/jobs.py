"""The reminder tasks on the app's queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..jobs.tasks import Jobs


def register_reminder_tasks(jobs: Jobs) -> None:
    del jobs
