"""Photo to words: zero-shot tags with prompt ensembles, and short descriptions."""
