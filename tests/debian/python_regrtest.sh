# One module of Python's own regression tests (Debian's
# libpython3.11-testsuite), `bash python_regrtest.sh test_json`, run in an
# empty directory.
#
# Normalised: regrtest's own output holds timings, load averages and
# pids, so it is kept aside (its last lines are shown when the result is
# not a success) and what is printed is regrtest's JUnit record made
# timeless: one line per test case with its outcome (and a skip's reason),
# sorted, then regrtest's exit status; a failure's or an error's message
# goes to standard error.
set -u
module=$1
python3 -m test --junit-xml result.xml --timeout 900 "$module" > regrtest.log 2>&1
status=$?
python3 - result.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET

lines = []
problems = []
for case in ET.parse(sys.argv[1]).iter("testcase"):
    # test.support.testresult: the test id in `name`, a skip's reason as
    # the text of <skipped>, <failure> and <error> children.
    name = case.get("name")
    outcome = "ok"
    for child in case:
        if child.tag == "skipped":
            outcome = "skipped: " + (child.text or "").strip().replace("\n", " ")
        elif child.tag in ("failure", "error"):
            outcome = child.tag.upper()
            message = (child.get("message") or "").strip().splitlines()
            problems.append(f"{name}: {child.tag} {child.get('type')}: {message[0] if message else ''}")
    lines.append(f"{name}: {outcome}")
for line in sorted(lines):
    print(line)
counts = {}
for line in lines:
    key = line.split(": ", 1)[1].split(":")[0]
    counts[key] = counts.get(key, 0) + 1
print("cases:", len(lines), ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
# For the reader, on standard error (compared too): what failed and why.
for problem in sorted(problems):
    print(problem, file=sys.stderr)
EOF
echo "regrtest status $status"
if [ "$status" != 0 ]; then
    # regrtest's own last words (a crash, a module that cannot be loaded).
    tail -n 5 regrtest.log >&2
fi
exit "$status"
