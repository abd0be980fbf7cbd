"""File-system helpers: locks shared between processes, and opening files safely."""
