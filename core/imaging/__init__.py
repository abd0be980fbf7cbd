"""Reading photos safely: formats, decoding, EXIF, and why a file could not be read."""
