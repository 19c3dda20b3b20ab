"""HTTP routes, one file per resource; they hold no SQL and call services."""
