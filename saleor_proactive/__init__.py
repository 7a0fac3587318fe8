"""Saleor Proactive: proactive chat prompts and free-shipping notices for Saleor storefronts."""

__version__ = "0.1.0"
