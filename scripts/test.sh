#!/usr/bin/env bash
# The whole test suite: checks formatting, builds, runs unit and integration tests.
# Works on a fresh Debian machine with the .NET SDK: it installs (apt-get, as root) and starts private
# PostgreSQL, Redis and RabbitMQ servers on 127.0.0.1 for the tests, and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet restore LinkTracker.slnx
dotnet format LinkTracker.slnx --verify-no-changes --no-restore
dotnet build LinkTracker.slnx --no-restore -c Release

env_file="$(bash scripts/services.sh)"
# shellcheck disable=SC1090
. "$env_file"
trap 'bash scripts/services.sh stop "$LINKTRACKER_SERVICES_DIR" || true' EXIT

# Test results (trx files, and the dashboard tests' screenshots under dashboard/) land here; keep it for CI artefacts.
# A folder given in LINKTRACKER_TEST_RESULTS gets one subfolder per run, so the count below is this run's only.
if [[ -n ${LINKTRACKER_TEST_RESULTS:-} ]]; then
    results="$LINKTRACKER_TEST_RESULTS/$(date -u +%Y%m%dT%H%M%SZ)"
else
    results="$(mktemp -d)"
fi
mkdir -p "$results"
export LINKTRACKER_TEST_RESULTS="$results"
status=0
dotnet test LinkTracker.slnx --no-build -c Release --logger "trx" --results-directory "$results" || status=$?

# docs/deploy.md's walk-through, pasted block by block against servers of its own (so the doc cannot drift).
walkthrough=passed
bash scripts/deploy-walkthrough.sh || { status=1; walkthrough=FAILED; }

# One closing line for every runner: "N passed, N failed".
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).getroot().find("{*}ResultSummary/{*}Counters")
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error")); skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
echo "deploy walk-through: $walkthrough"
echo "test results and screenshots: $results"
exit $status
