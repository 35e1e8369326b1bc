"""Shared pieces every domain package uses."""
