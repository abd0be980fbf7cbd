"""Queries and how they are answered."""
