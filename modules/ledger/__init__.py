"""Who owes what: outstanding balances per customer and business, and a customer's statement."""
