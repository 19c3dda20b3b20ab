"""Benchmarks: each prints what it measured. Run one with `python -m bench.<name>`."""
