"""A small Saleor stand-in speaking the real protocol, for the demo and for tests."""
