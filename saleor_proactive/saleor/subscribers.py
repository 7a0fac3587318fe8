"""Receivers of domain events for the saleor area (see saleor_proactive.domain_events)."""
