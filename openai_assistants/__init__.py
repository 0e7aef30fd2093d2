"""Async client for the Assistants API."""
