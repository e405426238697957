#!/usr/bin/env bash
# The benchmark: builds the service, the bare redirect and the bench (Release), then runs the bench.
# Arguments go to the bench: bash bench/run.sh --quick | --scenario a,b | --set Writer:BatchSize=2000 | --help
# Results: bench/results/<UTC time>-<mode>.md/.json and bench/results/latest.md/.json.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for project in src/LinkTracker bench/BareRedirect bench/LinkTracker.Bench; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly
done

exec dotnet bench/LinkTracker.Bench/bin/Release/net10.0/LinkTracker.Bench.dll "$@"
