#!/usr/bin/env bash
# Installs the system packages the test suite needs, when they are missing:
#   Java (HermiT through owlready2, the OWL API profile checkers), Debian's OWL API jars,
#   Apache Jena (a second SHACL engine for the exported shapes, and with Virtuoso Open Source a real
#   remote SPARQL engine for the store contract tests), and Chromium
#   with ChromeDriver for the web app's browser tests.
# Safe to run repeatedly; does nothing when everything is present. Needs root (or sudo) for apt-get.
set -euo pipefail

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
ls /usr/share/java/owlapi*.jar >/dev/null 2>&1 || missing+=(libowlapi-java)
# Apache Jena: its SHACL engine runs the exported shapes in the differential test (scripts/jena_shacl.py);
# ARQ over TDB2 is the third SPARQL engine of the remote-store tests (tests/store_remote/jena).
ls /usr/share/java/jena-shacl*.jar >/dev/null 2>&1 || missing+=(libapache-jena-java)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
# Headless Chromium and its driver for the web app's browser tests (never a browser download).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
# Node.js and npm install the web app's pinned browser assets (make assets).
command -v npm >/dev/null 2>&1 || missing+=(npm)
# Apache Jena (its SHACL engine is a second reference in bench/bench_fast_validate.py).
ls /usr/share/java/jena-shacl*.jar >/dev/null 2>&1 || missing+=(libapache-jena-java)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing system packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: need root to apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
