"""Places: photos' GPS positions named offline (city, region, country) and kept in the catalog.

``geocoder`` turns positions into names; ``naming`` names the positions of a catalog that have
none yet, in short batches, after indexing. Searches read the names through
``core.catalog.places``.
"""
