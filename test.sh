#!/usr/bin/env bash
# Runs every test in the solution and prints "N passed, N failed[, N skipped]" as the last line,
# computed from the TRX results that dotnet test writes. Exit code is non-zero when a test fails.
set -uo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
results="$(pwd)/TestResults"
rm -rf "$results"
dotnet test HardwareMaster.sln -c Release --logger "trx" --results-directory "$results" \
  --filter "Category!=Hardware" "$@"
status=$?
passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${total:-0} - ${p:-0} - ${f:-0} - ${e:-0} - ${t:-0} - ${a:-0}))
done
# Checks run outside dotnet test (e.g. .ci/run's deploy-pi install test) are added by the caller.
passed=$((passed + ${HM_EXTRA_PASSED:-0}))
failed=$((failed + ${HM_EXTRA_FAILED:-0}))
skipped=$((skipped + ${HM_EXTRA_SKIPPED:-0}))
# A build failure or a crashed test host produces no (or fewer) TRX files: count it as a failure.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
if [ $skipped -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
