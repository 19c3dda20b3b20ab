"""Front door and wiring: settings, database, clock, errors, the web app and the CLI."""
