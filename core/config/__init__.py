"""Where PhotoSeek keeps its data, and the user's settings."""
