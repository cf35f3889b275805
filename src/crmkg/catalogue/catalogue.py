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
    """The queries under a ``queries/`` folder (the packaged one by default), by id.

    A query's id is its file's name, so the catalogue indexes the files by name and reads (and
    checks) a query only when it is asked for: a command that runs one query reads one file. What
    goes through every query (iterating, :meth:`list`, a ``CQ12`` look-up) reads them all.
    """

    def __init__(self, root: Path | None = None, *, data_dir: Path | None = None) -> None:
        self.root = root if root is not None else resources.data_path("queries", data_dir)
        self._files: dict[str, tuple[QueryKind, Path]] = {}
        self._specs: dict[str, QuerySpec] = {}
        for kind in QueryKind:
            if kind is QueryKind.ADHOC:
                continue
            folder = self.root / kind.value
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.rq")):
                if path.stem in self._files:
                    raise QuerySyntaxError(key="error.query_id_twice", path=str(path), query=path.stem)
                self._files[path.stem] = (kind, path)

    def _spec(self, query_id: str) -> QuerySpec:
        """The query called ``query_id`` (a key of ``_files``), read on first use."""
        spec = self._specs.get(query_id)
        if spec is None:
            kind, path = self._files[query_id]
            spec = parse_query_file(path)
            if spec.kind is not kind:
                spec = replace(spec, kind=kind)  # the folder says what a query is for
            if kind is QueryKind.QC and spec.severity is None:
                raise QuerySyntaxError(key="error.qc_needs_severity", path=str(path))
            self._specs[query_id] = spec
        return spec

    def __iter__(self) -> Iterator[QuerySpec]:
        return (self._spec(query_id) for query_id in self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, query_id: object) -> bool:
        return query_id in self._files

    def list(self, kind: QueryKind | str | None = None) -> list[QuerySpec]:
        """Queries of one kind (all if ``None``), sorted by id."""
        wanted = (QueryKind.RULE if kind == "rule" else QueryKind(kind)) if isinstance(kind, str) else kind
        ids = sorted(i for i, (k, _) in self._files.items() if wanted is None or k is wanted)
        return [self._spec(i) for i in ids]

    def get(self, query_id: str) -> QuerySpec:
        """A query by id (``cq-011-current-owner``), by unique id prefix (``cq-011``) or by CQ (``CQ11``)."""
        if query_id in self._files:
            return self._spec(query_id)
        key = query_id.strip()
        cq = CQ_ID.match(key.upper())
        if cq:  # the number is the header's ``cq``, so this reads every competency question
            hits = [s for s in self.list(QueryKind.CQ) if s.cq_number == int(cq.group(1))]
        else:
            hits = [self._spec(i) for i in self._files if i.startswith(key + "-") or i == key]
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
