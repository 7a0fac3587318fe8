"""Receivers of domain events for the storefront area (see saleor_proactive.domain_events)."""
