"""How well a model searches a folder of photos: retrieval metrics, side by side."""
