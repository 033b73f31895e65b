"""Scenario files (data) and their loader."""
