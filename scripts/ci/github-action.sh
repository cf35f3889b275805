#!/usr/bin/env bash
# The validate step of action.yml: one `crmkg validate` run that writes SARIF to $CRMKG_SARIF and
# appends the Markdown summary to $GITHUB_STEP_SUMMARY. The step itself always succeeds, so the
# SARIF upload after it runs; crmkg's exit code goes to $GITHUB_OUTPUT (exit-code) and the
# action's last step fails with it. Inputs arrive as CRMKG_* variables (see action.yml).
set -u

read -r -a paths <<< "${CRMKG_PATHS:-.}"
read -r -a extra <<< "${CRMKG_ARGS:-}"
args=(validate "${paths[@]}" --format sarif --output "${CRMKG_SARIF:-crmkg.sarif}" --fail-on "${CRMKG_FAIL_ON:-violation}")
if [ -n "${CRMKG_AS_OF:-}" ]; then args+=(--as-of "$CRMKG_AS_OF"); fi
if [ -n "${CRMKG_ACTION_LANG:-}" ]; then args+=(--lang "$CRMKG_ACTION_LANG"); fi
if [ -n "${CRMKG_BASELINE:-}" ]; then args+=(--baseline "$CRMKG_BASELINE"); fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then args+=(--summary "$GITHUB_STEP_SUMMARY"); fi
args+=("${extra[@]}")

code=0
crmkg "${args[@]}" || code=$?
echo "crmkg validate exited with $code"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$code" >> "$GITHUB_OUTPUT"; fi
exit 0
