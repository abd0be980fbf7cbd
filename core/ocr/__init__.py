"""Words printed in photos, read offline (rapidocr), stored with a full-text index."""
