"""SPARQL text: the one lexer, parser and policy every part of crmkg uses to read SPARQL."""
