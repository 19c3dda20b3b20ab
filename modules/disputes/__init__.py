"""Disputes a customer raises about an invoice, and how the owner settles them."""
