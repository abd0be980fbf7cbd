"""Exact copies, re-encoded copies and bursts of near-identical shots."""
