"""Attribution of orders to prompts, uplift against the hold-out group, reports."""
