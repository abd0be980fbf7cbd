"""CLIP models: names, weights (download and safe reading), devices, and the Embedder."""
