"""Rewriting a SHACL-SPARQL ``sh:select`` so it runs for all focus nodes at once.

The reference engine runs the query once per focus node with ``$this`` pre-bound. Here ``$this``
becomes the variable ``?this`` and a pattern that binds it to every focus node is put first in the
outermost WHERE group: each ``FILTER NOT EXISTS { $this … }`` and ``OPTIONAL`` later in that group
then sees ``?this`` bound, as with pre-binding. The rewritten SELECT is used as a sub-query, so the
user's other variables stay inside it.

- :mod:`.scan` reads the query's structure (strings, IRIs and comments masked; brace groups);
- :mod:`.filters` moves FILTERs to the end of their groups;
- :mod:`.anti_join` turns top-level ``FILTER NOT EXISTS`` into set-based anti-joins;
- :mod:`.rewrite` checks what SHACL forbids and splices the focus pattern in.
"""
