"""Receivers of domain events for the analytics area (see saleor_proactive.domain_events)."""
