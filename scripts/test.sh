#!/usr/bin/env bash
# The test command: installs what a fresh machine lacks, builds everything, runs every test.
# Nothing is skipped: a missing dependency fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
swift build --build-tests
# A real Synapse for the Matrix tests, stopped however the run ends.
bash scripts/matrix-test-server.sh start
trap 'bash scripts/matrix-test-server.sh stop' EXIT
swift test --skip-build --parallel --num-workers 2
# Each parser of outside input under libFuzzer for a few seconds: a crash, leak or hang fails the run.
bash scripts/fuzz.sh 3
