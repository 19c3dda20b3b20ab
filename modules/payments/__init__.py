"""Money received: payments, their allocation to invoices, and payment links."""
