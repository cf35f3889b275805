"""SPARQL texts for the hostile suite, shared by the policy, live and fuzz tests (loaded by path)."""

from __future__ import annotations

T = "http://127.0.0.1:9/sparql"
P = "PREFIX ex: <http://e/>\n"

#: Texts in which the engine would see a SERVICE call: every one must be refused as SERVICE.
SERVICE_HIDDEN = {
    "issue-repro-escaped-hash": P + f"SELECT * WHERE {{ BIND(ex:a\\# AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "escaped-quote-in-name": P + f"SELECT * WHERE {{ BIND(ex:a\\' AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "escaped-hash-then-quote": P + f"SELECT * WHERE {{ ?s ex:a\\#\\' ?o . SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "percent-escape": P + f"SELECT * WHERE {{ ?s ex:a%23 ?o SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "percent-escape-hash-after": P + f"SELECT * WHERE {{ ?s ?p ex:a%2F#x\n SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "string-with-escaped-quote-and-hash": f'SELECT * WHERE {{ BIND("a\\"#" AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}',
    "string-with-escaped-backslash": f'SELECT * WHERE {{ BIND("a\\\\" AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}',
    "single-quoted-escapes": f"SELECT * WHERE {{ BIND('\\'#' AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "long-string-with-quotes": f'SELECT * WHERE {{ BIND("""a""b"#""" AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}',
    "long-single-with-quotes": f"SELECT * WHERE {{ BIND('''a''b'#''' AS ?x) SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "hash-in-iri": f"SELECT * WHERE {{ ?s <http://e/#x> ?o SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "no-spaces": f"SELECT*WHERE{{SERVICE<{T}>{{?s?p?o}}}}",
    "lower-case": f"select * where {{ service <{T}> {{ ?s ?p ?o }} }}",
    "mixed-case-silent": f"SELECT * WHERE {{ sErViCe SiLeNt <{T}> {{ ?s ?p ?o }} }}",
    "variable-endpoint": "SELECT * WHERE { BIND(<" + T + "> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "dollar-variable-endpoint": "SELECT * WHERE { VALUES $e { <" + T + "> } SERVICE $e { ?s ?p ?o } }",
    "prefixed-endpoint": f"PREFIX r: <{T[:-6]}>\nSELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
    "comment-then-newline": f"SELECT * WHERE {{ # a comment }}\n SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "comment-with-cr": f"SELECT * WHERE {{ # a comment\r SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "in-optional": f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-union": f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-minus": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-graph": f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-exists": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-not-exists": f"ASK {{ FILTER NOT EXISTS {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "in-subselect": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }} }}",
    "in-construct-where": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "in-describe": f"DESCRIBE ?s WHERE {{ SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "nested-service": f"SELECT * WHERE {{ SERVICE <{T}> {{ SERVICE <{T}> {{ ?s ?p ?o }} }} }}",
    "after-values": f"SELECT * WHERE {{ VALUES ?x {{ 1 }} SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "less-than-not-iri": f"SELECT * WHERE {{ FILTER(1<2) SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "operator-lt-looks-like-iri": f"SELECT * WHERE {{ FILTER(?a<?b&&?c>?d) SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "blank-node-label-dot": f"SELECT * WHERE {{ ?s <x:p> _:b. SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "name-ending-in-dot": P + f"SELECT * WHERE {{ ?s ex:p ex:o. SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "escaped-dot-at-end": P + f"SELECT * WHERE {{ ?s ex:p ex:o\\. SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "unicode-names": "PREFIX ä: <http://e/>\n" + f"SELECT * WHERE {{ ?s ä:ö ?o SERVICE <{T}> {{ ?s ?p ?o }} }}",
}

#: Updates, however dressed: refused as updates (never run, never parsed as a query).
UPDATES = {
    "insert-data": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "load": f"LOAD <{T[:-6]}data.ttl>",
    "load-silent-into": f"load silent <{T}> into graph <urn:g>",
    "delete-where": "PREFIX ex: <urn:x> DELETE WHERE { ?s ?p ?o }",
    "clear": "CLEAR ALL",
    "drop": "DROP SILENT DEFAULT",
    "with": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "after-comment": "# SELECT * WHERE {}\nINSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "after-base-and-prefix": "BASE <http://e/> PREFIX a: <x> CREATE GRAPH <g>",
    "copy": "COPY DEFAULT TO <urn:g>",
}

#: Not SPARQL 1.1 queries: refused with a syntax error (fail closed), never admitted.
NOT_QUERIES = {
    "query-then-update": "SELECT * WHERE {} ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "two-queries": "ASK {} ASK {}",
    "update-keyword-later": "SELECT * WHERE { LOAD <http://127.0.0.1:9/x> }",
    "illegal-escape": P + f"SELECT * WHERE {{ ?s ex:a\\\\ ?o SERVICE <{T}> {{ ?s ?p ?o }} }}",
    "unterminated-string": 'SELECT * WHERE { BIND("abc AS ?x) }',
    "string-over-newline": 'SELECT * WHERE { BIND("a\nb" AS ?x) }',
    "sparql12-triple-term": "SELECT * WHERE { <<( <a:a> <a:b> <a:c> )>> ?p ?o }",
    "lateral": "SELECT * WHERE { LATERAL { ?s ?p ?o } }",
    "double-negation": "SELECT (!!true AS ?x) {}",
    "undeclared-junk": "SELECT * WHERE { ?s ?p ?o } GARBAGE",
    "nul-byte": "SELECT * WHERE { ?s ?p ?o }\x00",
}

#: Legal texts the old token scan misread or that hold the word SERVICE only as data.
ADMITTED = {
    "escaped-hash-name": P + "SELECT * WHERE { BIND(ex:a\\# AS ?x) }",
    "escaped-quote-name": P + "SELECT * WHERE { ?s ex:it\\'s ?o }",
    "percent-name": P + "SELECT * WHERE { ?s ex:a%20b ?o }",
    "service-in-string": f"SELECT ?service WHERE {{ ?service ?p 'SERVICE <{T}>' }}",
    "service-in-long-string": f'SELECT * WHERE {{ ?s ?p """\nSERVICE <{T}> {{ }}\n""" }}',
    "service-in-comment": f"# SERVICE <{T}>\nASK {{ ?s ?p ?o }}",
    "service-as-prefix": "PREFIX service: <urn:service:> SELECT * WHERE { ?s service:x ?o }",
    "service-in-iri": "SELECT * WHERE { ?s <urn:SERVICE> ?o }",
    "service-as-variable": "SELECT ?SERVICE WHERE { ?SERVICE ?p ?o }",
    "insert-in-string": "SELECT * WHERE { ?s ?p 'INSERT DATA { }' }",
    "operators-without-spaces": "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b&&?c>?d) }",
}
