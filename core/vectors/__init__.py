"""Vector storage: the per-model hnswlib index and the compact form vectors take in the catalog."""
