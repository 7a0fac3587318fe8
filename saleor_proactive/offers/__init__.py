"""Offers (CONTRACT §4.1): a Saleor voucher per offer trigger, a pool of single-use codes made
ahead of demand (`pool`), claims that hand one out per visitor (`claims`)."""
