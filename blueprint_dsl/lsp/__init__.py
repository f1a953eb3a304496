"""``blueprint lsp``: the language server, over stdio, on pygls.

``positions`` converts between the tool's spans and LSP positions, ``document`` holds
what is known about one open file, ``navigation`` finds names (definition, references,
highlight) and ``renaming`` renames them, ``workspace`` finds the blueprints that take
an actor from a shared file, ``completions`` says what may be written at the cursor,
``assist`` answers the rest (diagnostics, symbols, quick fixes) and ``hover`` what the
pointer is over. ``analyses`` keeps the open documents' analyses, ``drafts`` what a
request answered at once reads, and ``server`` wires all of these to pygls;
``protocol`` sets the terms it speaks in (positions in UTF-16 units, refusals as
answers) and ``stdio`` bounds what it reads.
"""
