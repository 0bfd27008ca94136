"""Shared machinery for the site's snippets: `from nets.mlp import ...`."""
