"""Attribution of orders to prompts, uplift against the hold-out group, reports.

How the figures are defined (one place for the merchant-facing semantics):

- Days are UTC calendar days; report ranges are inclusive on both ends.
- Exposure: when the engine first decides a trigger for a visitor, the visitor joins the
  trigger's cohort — the *exposed* group when the action was issued (`issued`; an `impression`
  also counts), the *control* group when held out (`control`). Both groups join at the same
  moment, so visitors who leave before a delayed prompt shows count in both alike (intention to
  treat). A visitor belongs to the cohort from the day of their first exposure.
- Attribution (`attribution.py`): an order's checkout leads to the visitor; the order is credited
  to the most recent exposure within the merchant's attribution window (1-30 days, default 7)
  before it — last touch wins — once per order, however often Saleor delivers it.
- Uplift (`stats.py`, `uplift.py`): per trigger, converters / visitors of the cohort in each group,
  where a converter ordered within the window after an exposure to that trigger (whichever
  trigger got the credit); difference with Newcombe's hybrid score 95 % interval; "not enough
  data yet" below 100 visitors in a group or 5 converters in total.
- Revenue is kept and shown per currency, never summed across currencies.
- Storage (`rollup.py`): settled days are stored as daily aggregates by the periodic job
  (`maintenance.py`, hourly in each process, or `saleor-proactive purge`); today and yesterday are
  computed live from the raw rows. Raw visitor data is purged after the retention period
  (`retention.py`); aggregates and conversions stay.
"""
