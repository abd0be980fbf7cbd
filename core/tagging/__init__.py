"""Photo to words: zero-shot tags with prompt ensembles, and short descriptions.

``vocabulary`` holds the built-in categories (English keys, Chinese names) and the prompt
templates; ``prompts`` turns each tag into one text vector and caches it in the data folder;
``thresholds`` is the rule that chooses a photo's few tags from its scores; ``tagger`` tags a
whole library from its stored vectors after indexing; ``own`` manages a person's own tags;
``describe`` composes short descriptions ("a dog on the beach at sunset") for one photo. The
rows live in the catalog (``core.catalog.tags``); ``Library`` is the API.
"""
