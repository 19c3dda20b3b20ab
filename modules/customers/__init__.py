"""A business's customers: who owes it money, how to reach them, in which language."""
