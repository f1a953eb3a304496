"""``blueprint lsp``: the language server, over stdio, on pygls.

``positions`` converts between the tool's spans and LSP positions, ``document`` holds
what is known about one open file, ``navigation`` finds names (definition, references,
rename), ``workspace`` finds the blueprints a rename in a shared file must reach,
``assist`` answers the rest (hover, completion, symbols, quick fixes), ``server``
wires them to the protocol and ``stdio`` bounds what it reads.
"""
