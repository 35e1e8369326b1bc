"""Organisations, memberships, people, roles and join requests."""
