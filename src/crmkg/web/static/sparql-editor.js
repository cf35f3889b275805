// The SPARQL editor: CodeMirror on the query textarea; results from /sparql as a table.
// Without JavaScript the form still posts to /sparql (results as CSV).
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  var area = document.getElementById("sparql-query");
  var out = document.getElementById("sparql-results");
  if (!form || !area || !out) { return; }
  var editor = null;
  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(area, { mode: "application/sparql-query", lineNumbers: true });
    editor.getWrapperElement().setAttribute("aria-label", area.labels && area.labels[0] ? area.labels[0].textContent : "SPARQL");
    var input = editor.getInputField();
    input.setAttribute("aria-labelledby", "sparql-query-label");
  }
  var label = form.querySelector("label[for=sparql-query]");
  if (label) { label.id = "sparql-query-label"; }

  function text(tag, content) {
    var el = document.createElement(tag);
    el.textContent = content;
    return el;
  }

  function show(data) {
    out.replaceChildren();
    if (typeof data.boolean === "boolean") {
      out.appendChild(text("p", String(data.boolean)));
      return;
    }
    var vars = data.head.vars;
    var rows = data.results.bindings;
    var count = text("p", rows.length + " rows" + (data.truncated ? " (truncated)" : ""));
    count.id = "sparql-row-count";
    out.appendChild(count);
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    vars.forEach(function (v) { var th = text("th", v); th.scope = "col"; head.appendChild(th); });
    var body = table.createTBody();
    rows.forEach(function (b) {
      var tr = body.insertRow();
      vars.forEach(function (v) { tr.insertCell().textContent = b[v] ? b[v].value : ""; });
    });
    out.appendChild(table);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = editor ? editor.getValue() : area.value;
    out.replaceChildren(text("p", "…"));
    fetch("/sparql", {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        return response.text().then(function (body) {
          var detail = body;
          try { detail = JSON.parse(body).detail || body; } catch (e) { /* plain text */ }
          out.replaceChildren(text("p", response.status + ": " + detail));
          out.firstChild.className = "error";
        });
      }
      if (type.indexOf("json") >= 0) { return response.json().then(show); }
      return response.text().then(function (body) { out.replaceChildren(text("pre", body)); });
    }).catch(function (error) { out.replaceChildren(text("p", String(error))); });
  });
}());
