"""The reminder tasks on the app's queue: the scan every minute, and deliveries in batches.

huey's own retries are not used: a failed send is retried by the scan from the row's
`next_attempt_at`, so the database alone decides whether a reminder may still go.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from huey import crontab

from .delivery import deliver
from .scan import scan

if TYPE_CHECKING:
    from ..jobs.tasks import Jobs

logger = logging.getLogger(__name__)


def register_reminder_tasks(jobs: Jobs) -> None:
    huey = jobs.huey

    @huey.task(name="proactive.reminders.deliver")
    def deliver_reminders(delivery_ids: list[int]) -> None:
        counts = deliver(jobs.database, jobs.settings, delivery_ids)
        logger.debug("reminders delivered: %s", counts)

    @huey.periodic_task(crontab(minute="*"), name="proactive.reminders.scan")
    def scan_reminders() -> None:
        counts = scan(jobs.database, jobs.settings, deliver_reminders)
        if counts.created or counts.uncertain or counts.enqueued:
            logger.info("reminder scan: %s", counts)

    jobs.tasks.update(reminders_deliver=deliver_reminders, reminders_scan=scan_reminders)
