"""Accounts: logging in and its limits, passwords, names, and per-client throttles."""
