"""The rule document, the pure decision engine, frequency caps, hold-out and schedules.

Public interface: `rules.parse_rule` (raising `validation.DocumentError`) / `Rule.to_document`,
`engine.evaluate` / `engine.StoredRule` / `engine.holdout_bucket`,
`defaults.default_rule_documents`, `localise.pick_text` / `localise.format_money`,
`texts.normalise_tag`, `vocabulary.PAGE_TYPES` / `vocabulary.DEVICES`. Inputs and outputs are the
plain values of `context.py`.
"""
