#!/usr/bin/env bash
# Paced real-time soak of the shipped (Native AOT) binary on a jackd dummy server, plus a native control thread for
# the same time, so what the machine does to any real-time thread can be told from what the engine does.
#   tests/HardwareMaster.Benchmarks/Soak/soak.sh [SECONDS]     (default 600; needs root for SCHED_FIFO, jackd2, gcc)
# Writes soak-aot.json (the engine's --stats-json) and soak-control.txt in the current directory and prints a summary.
# The JIT soak with a UI-like garbage thread is the CI test run longer:
#   HM_SOAK_SECONDS=600 dotnet test tests/HardwareMaster.App.Tests -c Release --filter "FullyQualifiedName~PacedJackDummy" --logger "console;verbosity=detailed"
set -euo pipefail
seconds="${1:-600}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="$(pwd)"
work="$(mktemp -d)"
server="hm-soak"
trap 'pkill -f "jackd -R -P 75 -n $server" 2>/dev/null || true; rm -rf "$work"' EXIT

for tool in jackd gcc jq; do command -v "$tool" >/dev/null || { echo "soak: $tool is missing (apt-get install -y jackd2 gcc jq)" >&2; exit 2; }; done
echo "soak: publishing the AOT binary" >&2
dotnet publish "$repo/firmware-app/HardwareMaster.FirmwareApp.csproj" -c Release -r linux-x64 -o "$work/app" -nologo -v quiet >/dev/null

jackd -R -P 75 -n "$server" -d dummy -r 48000 -p 64 >"$work/jackd.log" 2>&1 &
sleep 2
echo "soak: engine, $seconds s, 64-frame blocks at 48 kHz, demo mix through the chain" >&2
JACK_DEFAULT_SERVER="$server" "$work/app/hardwaremaster" run --device alsa:jack --block 64 --rate 48000 --rt-priority 70 \
    --duration "$seconds" --test-signal demo --stats-json "$out/soak-aot.json" >"$work/run.log" 2>&1
pkill -f "jackd -R -P 75 -n $server" || true
sleep 1

echo "soak: native control thread, $seconds s" >&2
gcc -O2 -o "$work/rt-control" "$here/rt-control.c"
"$work/rt-control" $((seconds * 750)) >"$out/soak-control.txt"

jq -r '"engine: xruns \(.xruns), deadline misses \(.deadlineMisses.total) (compute \(.deadlineMisses.computeOverruns)), late callbacks \(.lateCallbacks); wall p50 \(.computePercent.median) % p99 \(.computePercent.p99) % max \(.computePercent.max | floor) %; CPU p50 \(.computeCpuPercent.median) % p99 \(.computeCpuPercent.p99) % max \(.computeCpuPercent.max | floor) %"' "$out/soak-aot.json"
jq -r '.slowestBlocks[] | "  slow block \(.block): wall \(.wallPercent | floor) %, CPU \(.cpuPercent | floor) %, GC \(.garbageCollected), minor faults \(.minorFaults), involuntary switches \(.involuntarySwitches)"' "$out/soak-aot.json"
echo "control: $(head -1 "$out/soak-control.txt")"
