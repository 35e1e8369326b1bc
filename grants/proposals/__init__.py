"""Proposals: pre-registration, eligibility, versions and the queue for the next meeting."""
