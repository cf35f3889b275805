// Apache Jena (ARQ over a TDB2 database) behind the SPARQL 1.1 Protocol and Graph Store Protocol,
// for crmkg's remote-store tests. Debian packages Jena's libraries but neither Fuseki nor the
// command scripts, so this small server plays Fuseki's part on 127.0.0.1:
//
//   GET|POST /query   query (form, query string or application/sparql-query body),
//                     default-graph-uri, named-graph-uri; SPARQL JSON results or N-Triples
//   POST     /update  update (form or application/sparql-update body), one write transaction
//   GET|PUT|POST|DELETE /data?graph=IRI | ?default   Graph Store Protocol; a body is parsed
//                     whole before the write transaction starts, so a bad document changes nothing
//
//   java -cp <jena classpath>:<classes> JenaServer PORT TDB2_FOLDER TIMEOUT_SECONDS [--union-default-graph]
//
// --union-default-graph: a query naming no dataset sees the stored default graph and every named
// graph as its default graph (TDB2's own option hides the stored default graph).
//
// Prints "ready" when it listens. Timeouts answer 503 "query timeout" (as Fuseki does); syntax
// errors 400 with Jena's message; anything else 500.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryCancelledException;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.sparql.core.Quad;
import org.apache.jena.sparql.exec.QueryExec;
import org.apache.jena.sparql.exec.RowSet;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.DatabaseMgr;
import org.apache.jena.update.UpdateAction;
import org.apache.jena.update.UpdateFactory;
import org.apache.jena.update.UpdateRequest;

public class JenaServer {
    private static DatasetGraph dataset;
    private static long timeoutMillis;
    private static boolean unionDefaultGraph;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        dataset = DatabaseMgr.connectDatasetGraph(args[1]);
        timeoutMillis = Long.parseLong(args[2]) * 1000;
        unionDefaultGraph = args.length > 3 && args[3].equals("--union-default-graph");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/query", JenaServer::guarded);
        server.createContext("/update", JenaServer::guarded);
        server.createContext("/data", JenaServer::guarded);
        // Jena's update parser recurses per triple of an INSERT DATA: deep stacks for large updates
        server.setExecutor(Executors.newFixedThreadPool(4, r -> new Thread(null, r, "request", 256L << 20)));
        server.start();
        System.out.println("ready");
        System.out.flush();
    }

    private static void guarded(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/query")) {
                query(exchange);
            } else if (path.equals("/update")) {
                update(exchange);
            } else {
                graphStore(exchange);
            }
        } catch (QueryCancelledException e) {
            send(exchange, 503, "text/plain", "query timeout: " + e.getMessage());
        } catch (QueryParseException | RiotException | IllegalArgumentException e) {
            send(exchange, 400, "text/plain", "bad request: " + e.getMessage());
        } catch (RuntimeException e) {
            e.printStackTrace();  // into the server log the tests show when the server fails
            send(exchange, 500, "text/plain", "error: " + e);
        } finally {
            exchange.close();
        }
    }

    // ------------------------------------------------------------------ SPARQL 1.1 Protocol

    private static void query(HttpExchange exchange) throws IOException {
        Map<String, List<String>> params = params(exchange, "application/sparql-query", "query");
        String text = first(params, "query");
        if (text == null) {
            throw new IllegalArgumentException("no query");
        }
        Query query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
        List<String> defaults = params.getOrDefault("default-graph-uri", List.of());
        List<String> named = params.getOrDefault("named-graph-uri", List.of());
        DatasetDescription description = !defaults.isEmpty() || !named.isEmpty()
            ? DatasetDescription.create(defaults, named)
            : query.hasDatasetDescription() ? query.getDatasetDescription() : null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String media = Txn.calculateRead(dataset, () -> {
            DatasetGraph target = description != null
                ? DynamicDatasets.dynamicDataset(description, dataset, false)
                : unionDefaultGraph ? unionView() : dataset;
            try (QueryExec exec = QueryExec.dataset(target).query(query)
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS).build()) {
                if (query.isSelectType()) {
                    RowSet rows = exec.select();
                    ResultSetFormatter.outputAsJSON(out, org.apache.jena.query.ResultSet.adapt(rows));
                    return "application/sparql-results+json";
                }
                if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, exec.ask());
                    return "application/sparql-results+json";
                }
                Graph graph = query.isConstructType() ? exec.construct() : exec.describe();
                RDFDataMgr.write(out, graph, Lang.NTRIPLES);
                return "application/n-triples";
            }
        });
        send(exchange, 200, media, out.toByteArray());
    }

    private static void update(HttpExchange exchange) throws IOException {
        Map<String, List<String>> params = params(exchange, "application/sparql-update", "update");
        String text = first(params, "update");
        if (text == null) {
            throw new IllegalArgumentException("no update");
        }
        UpdateRequest request = UpdateFactory.create(text, Syntax.syntaxSPARQL_11);
        Txn.executeWrite(dataset, () -> UpdateAction.execute(request, dataset));
        send(exchange, 204, null, new byte[0]);
    }

    // ------------------------------------------------------------------ Graph Store Protocol

    private static void graphStore(HttpExchange exchange) throws IOException {
        Map<String, List<String>> params = queryString(exchange.getRequestURI().getRawQuery());
        String graphIri = first(params, "graph");
        boolean isDefault = params.containsKey("default");
        if ((graphIri == null) == !isDefault) {
            throw new IllegalArgumentException("name exactly one of ?graph=IRI and ?default");
        }
        Node name = isDefault ? null : NodeFactory.createURI(graphIri);
        String method = exchange.getRequestMethod();
        if (method.equals("GET")) {
            Graph copy = GraphFactory.createDefaultGraph();
            boolean found = Txn.calculateRead(dataset, () -> {
                if (name != null && !dataset.containsGraph(name)) {
                    return false;
                }
                target(name).find().forEachRemaining(copy::add);
                return true;
            });
            if (!found) {
                send(exchange, 404, "text/plain", "no graph " + graphIri);
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RDFDataMgr.write(out, copy, Lang.NTRIPLES);
            send(exchange, 200, "application/n-triples", out.toByteArray());
            return;
        }
        if (method.equals("DELETE")) {
            boolean existed = Txn.calculateWrite(dataset, () -> {
                boolean there = name == null || dataset.containsGraph(name);
                if (name == null) {
                    dataset.getDefaultGraph().clear();
                } else {
                    dataset.removeGraph(name);
                }
                return there;
            });
            send(exchange, existed ? 204 : 404, null, new byte[0]);
            return;
        }
        if (!method.equals("PUT") && !method.equals("POST")) {
            send(exchange, 405, "text/plain", "method not allowed");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        Lang lang = type == null ? null : RDFLanguages.contentTypeToLang(type.split(";")[0].trim());
        if (lang == null) {
            send(exchange, 415, "text/plain", "unsupported content type " + type);
            return;
        }
        Graph parsed = GraphFactory.createDefaultGraph();
        try (InputStream body = exchange.getRequestBody()) {
            RDFParser.source(body).lang(lang).parse(parsed);  // whole document first: a syntax error writes nothing
        }
        boolean replace = method.equals("PUT");
        boolean created = Txn.calculateWrite(dataset, () -> {
            boolean existed = name == null || dataset.containsGraph(name);
            Graph graph = target(name);
            if (replace) {
                graph.clear();
            }
            parsed.find().forEachRemaining(graph::add);
            return !existed;
        });
        send(exchange, created ? 201 : 204, null, new byte[0]);
    }

    /** Default graph = the stored default graph and every named graph (as oxigraph's --union-default-graph). */
    private static DatasetGraph unionView() {
        List<Node> all = new ArrayList<>();
        dataset.listGraphNodes().forEachRemaining(all::add);
        List<Node> defaults = new ArrayList<>(all);
        defaults.add(Quad.defaultGraphIRI);
        return DynamicDatasets.dynamicDataset(defaults, all, dataset, false);
    }

    private static Graph target(Node name) {
        return name == null ? dataset.getDefaultGraph() : dataset.getGraph(name);
    }

    // ------------------------------------------------------------------ HTTP plumbing

    private static Map<String, List<String>> params(HttpExchange exchange, String directType, String directName)
            throws IOException {
        Map<String, List<String>> params = queryString(exchange.getRequestURI().getRawQuery());
        if (exchange.getRequestMethod().equals("POST")) {
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            String media = type == null ? "" : type.split(";")[0].trim().toLowerCase();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            if (media.equals(directType)) {
                params.computeIfAbsent(directName, k -> new ArrayList<>()).add(text);
            } else if (media.equals("application/x-www-form-urlencoded")) {
                queryString(text).forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            } else {
                throw new IllegalArgumentException("unsupported content type " + type);
            }
        }
        return params;
    }

    private static Map<String, List<String>> queryString(String raw) {
        Map<String, List<String>> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        send(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        }
        if (status == 204 || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
