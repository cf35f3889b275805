// Runs Apache Jena's SHACL engine for bench/bench_fast_validate.py: the data files are read into one
// graph (blank nodes apart per file, as crmkg loads them), the shapes validated against it, and
// every result written as a tab-separated line (focus, path, component, value in N-Triples, shape).
// Prints one JSON line: {"load_s": …, "validate_s": …, "results": …}.
//
//   java -cp <jena classpath> JenaShacl SHAPES.ttl RESULTS.tsv DATA...

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.out.NodeFmtLib;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.graph.GraphFactory;

public class JenaShacl {
    /** N-Triples, literals always in full ("7"^^<…#integer>, never the short form 7). */
    private static String nt(Node node) {
        if (node == null) {
            return "";
        }
        if (!node.isLiteral()) {
            return NodeFmtLib.strNT(node);
        }
        String lexical = NodeFmtLib.strNT(NodeFactory.createLiteral(node.getLiteralLexicalForm()));
        String lang = node.getLiteralLanguage();
        String datatype = node.getLiteralDatatypeURI();
        if (lang != null && !lang.isEmpty()) {
            return lexical + "@" + lang;
        }
        if (datatype == null || datatype.equals("http://www.w3.org/2001/XMLSchema#string")) {
            return lexical;
        }
        return lexical + "^^<" + datatype + ">";
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Graph shapesGraph = RDFDataMgr.loadGraph(args[0]);
        Graph data = GraphFactory.createDefaultGraph();
        for (int i = 2; i < args.length; i++) {
            RDFDataMgr.read(data, args[i]);
        }
        long loaded = System.nanoTime();
        Shapes shapes = Shapes.parse(shapesGraph);
        ValidationReport report = ShaclValidator.get().validate(shapes, data);
        long validated = System.nanoTime();
        int count = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8))) {
            for (ReportEntry e : report.getEntries()) {
                String path = e.resultPath() == null ? "" : e.resultPath().toString();
                out.println(nt(e.focusNode()) + "\t" + path + "\t" + nt(e.sourceConstraintComponent()) + "\t"
                        + nt(e.value()) + "\t" + nt(e.source()));
                count++;
            }
        }
        System.out.printf("{\"load_s\": %.3f, \"validate_s\": %.3f, \"results\": %d}%n",
                (loaded - start) / 1e9, (validated - loaded) / 1e9, count);
    }
}
