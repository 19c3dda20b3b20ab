"""Getting the money in: promises to pay (reminders and their cadence come with the collections engine)."""
