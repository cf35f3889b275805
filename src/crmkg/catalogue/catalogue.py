"""The catalogue: the queries under a ``queries/`` folder, found by id, prefix or CQ number, and run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from crmkg import resources
from crmkg.catalogue.binding import RawValue, bind
from crmkg.catalogue.spec import CQ_ID, QueryKind, QuerySpec, parse_query_file
from crmkg.errors import QueryNotFound, QuerySyntaxError
from crmkg.store import QueryOptions, QueryResult, Store, Term


class Catalogue:
    """The queries under a ``queries/`` folder (the packaged one by default), by id."""

    def __init__(self, root: Path | None = None, *, data_dir: Path | None = None) -> None:
        self.root = root if root is not None else resources.data_path("queries", data_dir)
        self._specs: dict[str, QuerySpec] = {}
        for kind in QueryKind:
            if kind is QueryKind.ADHOC:
                continue
            folder = self.root / kind.value
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.rq")):
                spec = parse_query_file(path)
                if spec.kind is QueryKind.ADHOC or spec.kind.value != kind.value:
                    spec = replace(spec, kind=kind)
                if kind is QueryKind.QC and spec.severity is None:
                    raise QuerySyntaxError(key="error.qc_needs_severity", path=str(path))
                if spec.id in self._specs:
                    raise QuerySyntaxError(key="error.query_id_twice", path=str(path), query=spec.id)
                self._specs[spec.id] = spec

    def __iter__(self) -> Iterator[QuerySpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._specs

    def list(self, kind: QueryKind | str | None = None) -> list[QuerySpec]:
        """Queries of one kind (all if ``None``), sorted by id."""
        wanted = (QueryKind.RULE if kind == "rule" else QueryKind(kind)) if isinstance(kind, str) else kind
        return sorted((s for s in self._specs.values() if wanted is None or s.kind is wanted), key=lambda s: s.id)

    def get(self, query_id: str) -> QuerySpec:
        """A query by id (``cq-011-current-owner``), by unique id prefix (``cq-011``) or by CQ (``CQ11``)."""
        if query_id in self._specs:
            return self._specs[query_id]
        key = query_id.strip()
        cq = CQ_ID.match(key.upper())
        if cq:
            hits = [s for s in self._specs.values() if s.kind is QueryKind.CQ and s.cq_number == int(cq.group(1))]
        else:
            hits = [s for s in self._specs.values() if s.id.startswith(key + "-") or s.id == key]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = ", ".join(sorted(s.id for s in hits))
            raise QueryNotFound(key="error.query_ambiguous", query=query_id, names=names)
        raise QueryNotFound(key="error.no_query", query=query_id)

    def resolve(self, id_or_file: str) -> QuerySpec:
        """A catalogue query by id, or a ``.rq`` file on disk (for ``crmkg query FILE``)."""
        path = Path(id_or_file)
        if id_or_file.endswith(".rq") or path.is_file():
            if not path.is_file():
                raise QueryNotFound(key="error.no_query_file", path=id_or_file)
            return parse_query_file(path)
        return self.get(id_or_file)

    def bind(self, spec: QuerySpec | str, raw_params: Mapping[str, RawValue] | None = None) -> dict[str, Term]:
        """See :func:`bind`."""
        return bind(self.get(spec) if isinstance(spec, str) else spec, raw_params)

    def run(
        self,
        query: QuerySpec | str,
        store: Store,
        params: Mapping[str, RawValue] | None = None,
        *,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        """Bind ``params`` and run the query on ``store``."""
        spec = self.get(query) if isinstance(query, str) else query
        return store.query(spec.text, bindings=bind(spec, params), options=options)
