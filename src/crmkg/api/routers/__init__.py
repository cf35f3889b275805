"""The API's routers: relationships, terms, queries (catalogue), sparql, validate."""
