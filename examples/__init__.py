"""Runnable examples of pii_mapper (not part of the installed package)."""
