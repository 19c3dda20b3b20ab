"""The tenant: a business, its owner and staff numbers."""
