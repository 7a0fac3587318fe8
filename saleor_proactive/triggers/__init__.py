"""The rule document, the pure decision engine, frequency caps, hold-out and schedules."""
