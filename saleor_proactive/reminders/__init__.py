"""Abandoned-cart reminders: which checkouts are due, the delivery state machine, the message,
its channels (email, signed webhook), consent and suppression."""
