"""The formats ``render`` writes, by name and file suffix, and the longest Graphviz run.

What the command line needs to declare its options, without creating a renderer:
``render`` pairs each format with its backend, and ``check`` need not load it.
"""

#: Each format ``render -f`` writes, and the suffix of its files.
SUFFIXES = {"json": ".json", "html": ".html", "svg": ".svg", "png": ".png", "pdf": ".pdf", "dot": ".dot"}

#: The longest a Graphviz run may be allowed (``--dot-timeout``, BLUEPRINT_DOT_TIMEOUT): a day.
MAX_DOT_TIMEOUT = 24 * 3600.0
