"""The default backend: pyoxigraph, in memory or on disk."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from crmkg.errors import Phrase, QuerySyntaxError, ReadOnlyError, StoreError, UsageError
from crmkg.formats import RdfFormat
from crmkg.inputcheck import check_document
from crmkg.store import generations
from crmkg.store.base import (
    AskResult,
    Bindings,
    Capabilities,
    GraphResult,
    QueryOptions,
    QueryResult,
    SelectResult,
    Store,
)
from crmkg.store.binding import substitute
from crmkg.store.parsing import (
    OX_FORMATS,
    check_open_document,
    open_document,
    parser_input,
    read_document,
    syntax_error,
)
from crmkg.store.terms import Term


@contextmanager
def _translated(what: str, document: tuple[bytes, RdfFormat, str] | None = None) -> Iterator[None]:
    """pyoxigraph's errors as crmkg's: the one place this backend's exceptions are mapped.

    ``document`` is the (data, format, source) being parsed, if any: its syntax errors name the
    source's line and column; other syntax errors are SPARQL's.
    """
    try:
        yield
    except SyntaxError as exc:
        if document is not None:
            raise syntax_error(exc, *document) from exc
        raise QuerySyntaxError(
            key="error.store_sparql_syntax", what=Phrase(f"store_op.{what}"), problem=str(exc)
        ) from exc
    except OSError as exc:  # I/O and evaluation errors (they also surface while iterating results)
        raise StoreError(key="error.store_failed", what=Phrase(f"store_op.{what}"), problem=str(exc)) from exc


def dataset_arguments(options: QueryOptions) -> dict[str, object]:
    """pyoxigraph's dataset arguments for ``options`` (see :class:`QueryOptions` for the rules)."""
    arguments: dict[str, object] = {}
    try:
        if options.default_graphs or options.named_graphs:
            arguments["default_graph"] = [ox.NamedNode(g) for g in options.default_graphs]
            if options.named_graphs:
                arguments["named_graphs"] = [ox.NamedNode(g) for g in options.named_graphs]
        elif not options.query_dataset:
            arguments["use_default_graph_as_union"] = True
    except ValueError as exc:
        raise UsageError(key="error.not_graph_iri", reason=str(exc)) from None
    return arguments


class OxigraphStore(Store):
    """A pyoxigraph store; ``path=None`` keeps it in memory.

    On disk, :attr:`root` is the store folder and :attr:`path` the Oxigraph folder actually open:
    read-only, the current generation (see :mod:`crmkg.store.generations`); writable, the writer's
    working copy, which :meth:`close` makes the current generation if anything was written and no
    write failed (a writer that met an error leaves the store as it was: all of it or none).
    """

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self._root = path
        self._read_only = read_only
        self._generation: str | None = None
        self._lease: generations.Lease | None = None
        self._staging: generations.Staging | None = None
        self._written = False
        self._failed = False
        try:
            if path is None:
                native = ox.Store()
            elif read_only:
                self._lease = generations.lease_current(path)
                if self._lease is not None:
                    self._generation = self._lease.name
                    path = self._lease.path
                native = ox.Store.read_only(str(path))
            else:
                self._staging = generations.Staging(path)
                path = self._staging.path
                native = ox.Store(str(path))
        except OSError as exc:
            self._release()
            raise StoreError(key="error.store_cannot_open", root=self._root, problem=str(exc)) from exc
        except BaseException:
            self._release()
            raise
        self._native: ox.Store | None = native
        self._path = path
        # Dropped without close(): still let go of the generation, or of the writer's lock.
        if self._lease is not None:
            weakref.finalize(self, self._lease.release)
        if self._staging is not None:
            weakref.finalize(self, self._staging.close)
        self._capabilities = Capabilities(
            lateral=True, forkable=path is None, bulk_load=True, snapshot=path is not None and read_only
        )

    @property
    def _store(self) -> ox.Store:
        if self._native is None:
            raise StoreError(key="error.store_closed", where=self._path or Phrase("error.store_in_memory"))
        return self._native

    @property
    def backend(self) -> str:
        return "oxigraph"

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def capabilities(self) -> Capabilities:
        return self._capabilities

    @property
    def path(self) -> Path | None:
        """The Oxigraph folder open (a generation, or a writer's working copy); ``None`` in memory."""
        return self._path

    @property
    def root(self) -> Path | None:
        """The store folder as it was named (``None`` in memory)."""
        return self._root

    @property
    def generation(self) -> str | None:
        """The generation open (read-only), or made current by :meth:`close` (written)."""
        return self._generation

    def __len__(self) -> int:
        return len(self._store)

    @contextmanager
    def _writing(self, what: str, document: tuple[bytes, RdfFormat, str] | None = None) -> Iterator[ox.Store]:
        """One write; if it fails (or is interrupted), :meth:`close` publishes nothing of this writer's."""
        if self._read_only:
            raise ReadOnlyError(key="error.store_read_only", root=self._root)
        self._written = True
        try:
            with _translated(what, document):
                yield self._store
        except BaseException:
            self._failed = True
            raise

    def add_quads(self, quads: Sequence[ox.Quad]) -> None:
        with self._writing("write") as store:
            store.extend(quads)  # transactional in pyoxigraph: all or nothing

    def load(self, data: bytes, fmt: RdfFormat, *, source: str = "<input>", checked: bool = False) -> None:
        with self._writing("load", (data, fmt, source)) as store:
            if not checked:
                check_document(data, fmt, source)  # deep nesting crashes or stalls the parser
            with parser_input(data, source) as document:
                store.load(document, format=OX_FORMATS[fmt])  # transactional; blank nodes fresh per load

    def load_files(self, files: Sequence[Path]) -> int:
        """All of ``files`` or none. In memory, every file is parsed before anything is written; on
        disk, each file goes straight into this writer's private working copy with the bulk loader
        (no quad is held in memory: 12 GiB less at 10M triples), and an error puts the copy back as
        it was before the first file. Returns the quads the store gained."""
        if self._staging is None:
            return super().load_files(files)
        with self._savepoint():
            before = len(self._store)
            for file in files:
                self._bulk_load(file)
            return len(self._store) - before

    def _bulk_load(self, file: Path) -> None:
        fmt, source = RdfFormat.from_path(file), str(file)
        with open_document(file) as opened:
            # Deep nesting crashes or stalls the parser: checked chunk by chunk over the open file,
            # which the loader then reads (its bytes never all held: 1.3 GB at 10M triples). Only
            # RDF/XML's syntax errors need them (expat finds the line pyoxigraph does not give).
            check_open_document(file, opened, fmt)
            kept = read_document(file, opened) if fmt is RdfFormat.RDF_XML else b""
            opened.seek(0)
            with self._writing("load", (kept, fmt, source)), parser_input(opened, source) as document:
                # Not transactional (it writes sorted files straight into the store): the savepoint
                # is the transaction. Blank nodes are fresh per call, so per file.
                self._store.bulk_load(document, format=OX_FORMATS[fmt])

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """On an error inside, the working copy goes back to what it held on entry, and this writer
        may go on (and publish) as if the failed writes had never been tried."""
        staging = self._staging
        assert staging is not None
        saved = staging.savepoint(self._store)
        written, failed = self._written, self._failed
        try:
            yield
        except Exception:
            # No reference to the old store may stay open: its folder is removed.
            self._native = None
            self._native = staging.restore(saved)
            self._path = staging.path
            self._written, self._failed = written, failed
            raise
        finally:
            staging.discard(saved)

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        options: QueryOptions | None = None,
    ) -> QueryResult:
        opts = options or QueryOptions()
        if bindings:
            sparql = substitute(sparql, dict(bindings))
        dataset = dataset_arguments(opts)
        with _translated("query"):
            result = self._store.query(sparql, **dataset)  # type: ignore[arg-type]
            if isinstance(result, ox.QueryBoolean):
                return AskResult(bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = tuple(v.value for v in result.variables)
                width = range(len(variables))
                rows = (tuple(solution[i] for i in width) for solution in result)
                return SelectResult.capped(variables, rows, opts.max_rows)
            return GraphResult.capped(result, opts.max_rows)

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        obj: Term | None,
    ) -> Iterator[ox.Quad]:
        with _translated("read"):
            yield from self._store.quads_for_pattern(subject, predicate, obj)

    def update(self, sparql: str) -> None:
        with self._writing("update") as store:
            store.update(sparql)

    def dump(self, fmt: RdfFormat = RdfFormat.N_QUADS) -> bytes:
        ox_fmt = OX_FORMATS[fmt]
        with _translated("dump"):
            if fmt.supports_datasets:
                data = self._store.dump(format=ox_fmt)
            else:
                data = self._store.dump(format=ox_fmt, from_graph=ox.DefaultGraph())
        return data or b""

    def flush(self) -> None:
        if self._path is not None and not self._read_only:
            with _translated("flush"):
                self._store.flush()  # read-only instances refuse flush()

    def close(self) -> None:
        """Release the store. A writable on-disk store that was written to (and whose writes all
        succeeded) first becomes the current generation, all of it at once, so that every reader
        switches to it together."""
        try:
            if self._native is not None and self._staging is not None and self._written and not self._failed:
                with _translated("save"):
                    self._generation = self._staging.publish(self._native)
        finally:
            self._native = None
            self._release()

    def _release(self) -> None:
        if self._staging is not None:
            self._staging.close()
            self._staging = None
        if self._lease is not None:
            self._lease.release()
            self._lease = None
