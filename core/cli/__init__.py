"""The `photoseek` command line."""
