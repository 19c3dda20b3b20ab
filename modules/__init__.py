"""Domain modules, one folder per domain: models, repository (queries, never commits), service."""
