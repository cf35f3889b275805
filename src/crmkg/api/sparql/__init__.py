"""The SPARQL 1.1 Protocol endpoint's parts: policy, content negotiation, result writers, workers."""
