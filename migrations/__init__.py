"""Alembic migrations; run them with `tagada db upgrade` (or `alembic upgrade head` from the repo root)."""
