"""Background work through huey: the queue's storage, the tasks, the consumer.

Nothing here decides anything; the tasks call plain functions of the areas that own the work
(`analytics.maintenance`, `saleor.upgrade`, `reminders.delivery`).
"""
