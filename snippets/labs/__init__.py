"""Helpers for the lab notebooks (docs/labs/): `from labs.circles import make_circles`."""
