#!/usr/bin/python3
# sarif_check.py - what tests/e2e/sarif.sh asks of a SARIF log pkginit
# wrote.  Debian's python3 and python3-jsonschema (DEB_PACKAGES), and the
# SARIF 2.1.0 schema in tests/data/sarif/ (see its NOTICE).
#
#   sarif_check.py validate LOG    the log against the SARIF 2.1.0 schema,
#                                  and what the schema cannot say: each
#                                  result's ruleId and ruleIndex name one
#                                  rule, its uriBaseIds are defined.
#                                  Prints each problem, exits 1 if any.
#   sarif_check.py summary LOG     one line per result, then one per tool
#                                  notification, then the invocation:
#       result RULE LEVEL URI[:LINE[:COL]] | MESSAGE
#         related URI[:LINE[:COL]] | MESSAGE
#       notification LEVEL | MESSAGE
#       invocation exit=N successful=true|false
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "data", "sarif", "sarif-schema-2.1.0.json")


def where(loc):
    pl = loc["physicalLocation"]
    s = pl["artifactLocation"]["uri"]
    r = pl.get("region")
    if r:
        s += ":%d" % r["startLine"]
        if "startColumn" in r:
            s += ":%d" % r["startColumn"]
    return s


def validate(log):
    with open(SCHEMA) as f:
        schema = json.load(f)
    v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = ["schema: %s at /%s" % (e.message, "/".join(map(str, e.absolute_path)))
                for e in v.iter_errors(log)]
    for run in log.get("runs", []):
        rules = run["tool"]["driver"].get("rules", [])
        bases = run.get("originalUriBaseIds", {})
        for i, res in enumerate(run.get("results", [])):
            idx = res.get("ruleIndex")
            if idx is None or idx >= len(rules) or rules[idx]["id"] != res.get("ruleId"):
                problems.append("result %d: ruleId %r is not rule %r" % (i, res.get("ruleId"), idx))
            if not res.get("locations"):
                problems.append("result %d: no location" % i)
            for loc in res.get("locations", []) + res.get("relatedLocations", []):
                base = loc["physicalLocation"]["artifactLocation"].get("uriBaseId")
                if base is not None and base not in bases:
                    problems.append("result %d: uriBaseId %r is not defined" % (i, base))
    for p in problems:
        print(p)
    return 1 if problems else 0


def summary(log):
    for run in log["runs"]:
        for res in run.get("results", []):
            print("result %s %s %s | %s" % (res["ruleId"], res["level"],
                                            where(res["locations"][0]),
                                            res["message"]["text"].replace("\n", " / ")))
            for rel in res.get("relatedLocations", []):
                print("  related %s | %s" % (where(rel), rel["message"]["text"]))
        for inv in run.get("invocations", []):
            for n in inv.get("toolExecutionNotifications", []):
                print("notification %s | %s" % (n["level"], n["message"]["text"]))
            print("invocation exit=%d successful=%s" % (
                inv["exitCode"], "true" if inv["executionSuccessful"] else "false"))
    return 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("validate", "summary"):
        print("usage: sarif_check.py validate|summary LOG", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[2], encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: not a JSON file: %s" % (sys.argv[2], e))
        return 1
    return validate(log) if sys.argv[1] == "validate" else summary(log)


if __name__ == "__main__":
    sys.exit(main())
