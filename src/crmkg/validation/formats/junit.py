"""JUnit XML for CI dashboards (Jenkins, GitLab, Azure DevOps…): one test case per check.

A check fails when it has findings at or above ``--fail-on`` that are not in the baseline; its
other findings are listed in ``system-out``. Every check that ran is a test case, so a dashboard
shows passes too. Input that could not be read is an ``<error>`` test case (``input-error``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from crmkg.i18n import counted
from crmkg.validation.formats._common import (
    RenderOptions,
    grouped,
    location_text,
    rules_of,
    severity_word,
    subject_text,
)
from crmkg.validation.input_errors import INPUT_ERROR
from crmkg.validation.report import ValidationReport, ValidationResult


def _line(result: ValidationResult, options: RenderOptions) -> str:
    head = f"{location_text(result.location, options.srcroot)}: {severity_word(result.severity, options.lang)}:"
    subject = subject_text(result, options.prefixes)
    message = result.message(options.lang)
    return " ".join(b for b in (head, subject) if b) + (f" — {message}" if message else "")


def junit_tree(report: ValidationReport, options: RenderOptions) -> ET.Element:
    groups = grouped(report, options)
    rules = rules_of(report)
    suite_name = options.title
    classname = options.title.replace(" ", ".")
    root = ET.Element("testsuites", name=suite_name)
    suite = ET.SubElement(root, "testsuite", name=suite_name)
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("engine", report.engine),
        ("asOf", report.as_of.isoformat() if report.as_of else ""),
        ("failOn", options.fail_on.value),
        *sorted(report.parameters.items()),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    failures = 0
    errors = 0
    for rule in rules:
        results = groups.get(rule.id, [])
        case = ET.SubElement(
            suite, "testcase", classname=classname, name=f"{rule.id} {rule.label(options.lang)}", time="0"
        )
        failing = [r for r in results if r in report.failing(options.fail_on)]
        if rule.id == INPUT_ERROR and results:
            errors += 1
            error = ET.SubElement(case, "error", message=results[0].message(options.lang), type=INPUT_ERROR)
            error.text = "\n".join(_line(r, options) for r in results)
            continue
        if failing:
            failures += 1
            worst = max(r.severity for r in failing)
            level = severity_word(options.fail_on, options.lang)
            failure = ET.SubElement(
                case,
                "failure",
                message=counted("report.junit_failure", options.lang, len(failing), level=level),
                type=worst.value,
            )
            failure.text = "\n".join(_line(r, options) for r in failing)
        others = [r for r in results if r not in failing]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(_line(r, options) for r in others)
    for element in (root, suite):
        element.set("tests", str(len(rules)))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
        element.set("time", "0")
    suite.set("skipped", "0")
    return root


def render(report: ValidationReport, options: RenderOptions) -> str:
    root = junit_tree(report, options)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
