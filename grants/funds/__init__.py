"""Funding periods, budget lines, grants: where the money comes from and where it goes."""
