"""Apache Jena SHACL as a second reference for ``bench_fast_validate.py`` (Debian ``libapache-jena-java``).

Debian's package ships the jars without launcher scripts, so the classpath is built from the
package's and its dependencies' file lists. Its jena-core relocates Xerces to the package ``xerces``
but keeps the message resources under ``org/apache/jena/ext/xerces/…``, so the first XSD datatype
fails to initialise ("internal error"); copies of those resources under ``xerces/…`` on the
classpath fix it. Jena 4.5 also accepts only one ``sh:message`` per SPARQL constraint, so its shapes
file keeps the English one (messages do not change which results there are).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPE_ID = "https://w3id.org/crmkg/shapes#shapeId"
_SLF4J_EXTRAS = ("slf4j-jcl", "slf4j-jdk14", "slf4j-log4j12", "slf4j-migrator", "slf4j-simple", "over-slf4j", "jul-to")


def _package_jars(package: str) -> list[str]:
    proc = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=False)
    return [line for line in proc.stdout.splitlines() if line.endswith(".jar")] if proc.returncode == 0 else []


def jena_classpath() -> list[str] | None:
    """The jars of libapache-jena-java and its dependencies (one SLF4J binding, the silent one)."""
    jars = _package_jars("libapache-jena-java")
    if not jars:
        return None
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", "libapache-jena-java"], capture_output=True, text=True, check=False
    )
    for dep in proc.stdout.split(","):
        jars.extend(_package_jars(dep.split("(")[0].strip()))
    resolved = sorted({str(Path(j).resolve()) for j in jars})
    return [j for j in resolved if not any(x in Path(j).name for x in _SLF4J_EXTRAS)]


def _xerces_resources(folder: Path, jena_core: str) -> None:
    """The message resources Debian's relocated Xerces looks for, where it looks for them."""
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(jena_core) as jar:
        for entry in jar.namelist():
            if entry.startswith(prefix) and entry.endswith(".properties"):
                target = folder / "xerces" / entry.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(entry))


def _jena_shapes(path: Path, as_of: dt.date) -> dict[str, str]:
    """crmkg's shapes for ``as_of`` as Jena reads them; returns shape IRI → shape id."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import SH

    from crmkg.validation.parameters import ValidationParameters, substitute
    from crmkg.validation.run import load_shapes

    graph = substitute(load_shapes(None), ValidationParameters.for_date(as_of))
    for constraint in set(graph.subjects(SH.select, None)):
        messages = list(graph.objects(constraint, SH.message))
        if len(messages) > 1:
            for m in messages:
                if not (isinstance(m, Literal) and m.language == "en"):
                    graph.remove((constraint, SH.message, m))
    graph.serialize(path, format="turtle")
    return {str(s): str(o) for s, o in graph.subject_objects(URIRef(SHAPE_ID))}


@dataclass
class JenaRunner:
    classpath: str
    shapes: str
    shape_ids: dict[str, str]
    ontology: list[str]
    version: str

    @classmethod
    def prepare(cls, folder: Path, as_of: dt.date) -> JenaRunner | None:
        """Compile the driver and write the shapes; None when Jena or a JDK is not installed."""
        jars = jena_classpath()
        if not jars or shutil.which("javac") is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        core = next((j for j in jars if Path(j).name.startswith("jena-core")), None)
        if core is None:
            return None
        _xerces_resources(folder / "resources", core)
        subprocess.run(
            ["javac", "-d", str(folder / "classes"), "-cp", ":".join(jars), str(HERE / "jena" / "JenaShacl.java")],
            check=True,
        )
        shapes = folder / "shapes.ttl"
        ids = _jena_shapes(shapes, as_of)
        from crmkg.validation.run import ontology_paths

        classpath = ":".join([*jars, str(folder / "resources"), str(folder / "classes")])
        version = Path(core).name.removeprefix("jena-core-").removesuffix(".jar")
        return cls(classpath, str(shapes), ids, [str(p) for p in ontology_paths()], f"Jena {version}")

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> JenaRunner:
        return cls(**json.loads(text))

    def run(self, data: Path, out: Path) -> dict[str, object]:
        """Jena on ``data`` plus the ontology: the java process's wall time and peak memory."""
        cmd = ["java", "-cp", self.classpath, "JenaShacl", self.shapes, str(out), str(data), *self.ontology]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            return {"seconds": None, "note": (proc.stderr.strip().splitlines() or ["failed"])[-1][:200]}
        inner = json.loads(proc.stdout.strip().splitlines()[-1])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return {"seconds": seconds, "peak_mib": peak, **inner}

    def keys(self, out: Path) -> set[tuple[str, str, str, str]]:
        """Jena's results as (shape id, focus, component, value)."""
        found = set()
        for line in out.read_text(encoding="utf-8").splitlines():
            focus, _path, component, value, shape = line.split("\t")
            found.add((self.shape_ids.get(shape.strip("<>"), shape), focus.strip("<>"), component.strip("<>"), value))
        return found


if __name__ == "__main__":
    runner = JenaRunner.prepare(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]))
    print(runner.version if runner else "Jena is not installed")
