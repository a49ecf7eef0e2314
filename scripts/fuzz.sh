#!/usr/bin/env bash
# Fuzzes the parsers (audio file headers, presets, run config, hardware profiles, MIDI bytes, OSC packets, MIDI maps) with AFL++ through
# SharpFuzz, a fixed number of executions each, and prints "PARSER: N inputs, C crashes, H hangs" per parser.
#
#   scripts/fuzz.sh [audio|preset|config|profile|midi|osc|midimap|all] [COUNT]      (defaults: all, 1000000)
#
# Installs what is missing (Debian package afl++, the dotnet tool SharpFuzz.CommandLine 2.3.0 into the work
# folder), publishes tests/HardwareMaster.Fuzz, instruments HardwareMaster.Hal.dll and hardwaremaster.dll, then runs
# one afl-fuzz at a time (one core). Crashing and hanging inputs are copied to tests/HardwareMaster.Fuzz/crashes/PARSER/.
# Without AFL++ (or with FUZZ_ENGINE=mutate) it runs the same seeded mutation engine as the CI tests instead.
# Environment: FUZZ_WORK (default /tmp/hardwaremaster-fuzz), FUZZ_ENGINE (afl|mutate), FUZZ_TIMEOUT_MS (default 5000).
# Exit status: 0 when every parser ran with 0 crashes and 0 hangs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
parser="${1:-all}"
count="${2:-1000000}"
work="${FUZZ_WORK:-/tmp/hardwaremaster-fuzz}"
engine="${FUZZ_ENGINE:-afl}"
timeout_ms="${FUZZ_TIMEOUT_MS:-5000}"
fuzz_dir="$repo/tests/HardwareMaster.Fuzz"
case "$parser" in
  all) parsers=(audio preset config profile midi osc midimap) ;;
  audio|preset|config|profile|midi|osc|midimap) parsers=("$parser") ;;
  *) echo "fuzz.sh: unknown parser '$parser' (audio, preset, config, profile, midi, osc, midimap or all)" >&2; exit 2 ;;
esac
[[ "$count" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: COUNT must be a whole number (got '$count')" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "fuzz.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# 1. What is missing.
if [ "$engine" = afl ] && ! command -v afl-fuzz >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "fuzz.sh: installing afl++" >&2
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends afl++ >/dev/null; }; then
    echo "fuzz.sh: afl++ could not be installed: falling back to the seeded mutation engine" >&2
    engine=mutate
  fi
fi
mkdir -p "$work"
sharpfuzz="$work/tools/sharpfuzz"
if [ "$engine" = afl ] && [ ! -x "$sharpfuzz" ]; then
  echo "fuzz.sh: installing the dotnet tool SharpFuzz.CommandLine 2.3.0" >&2
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$work/tools" >/dev/null
fi

# 2. Build (a fresh copy each time: instrumenting rewrites the assemblies in place).
bin="$work/bin"
rm -rf "$bin"
dotnet publish "$fuzz_dir/HardwareMaster.Fuzz.csproj" -c Release -o "$bin" -v q -nologo >/dev/null
if [ "$engine" = afl ]; then
  for dll in HardwareMaster.Hal.dll hardwaremaster.dll; do
    "$sharpfuzz" "$bin/$dll" >/dev/null
  done
fi

# 3. Run each parser in turn.
status=0
for p in "${parsers[@]}"; do
  corpus="$fuzz_dir/corpus/$p"
  if [ "$engine" = mutate ]; then
    dotnet "$bin/HardwareMaster.Fuzz.dll" mutate "$p" "$count" "$corpus" "$fuzz_dir/crashes" || status=1
    continue
  fi
  out="$work/findings/$p"
  rm -rf "$out"; mkdir -p "$work/findings"
  dict=()
  [ "$p" = audio ] || dict=(-x "$fuzz_dir/json.dict")
  log="$work/afl-$p.log"
  # One core, no CPU binding (the machine is shared), no core-dump or CPU-governor demands, dotnet is not
  # compiled with afl-cc (SharpFuzz instruments the IL instead).
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_FORKSRV_INIT_TMOUT=120000 \
    afl-fuzz -i "$corpus" -o "$out" -E "$count" -t "$timeout_ms" -m none "${dict[@]}" \
      -- "$(command -v dotnet)" "$bin/HardwareMaster.Fuzz.dll" afl "$p" >"$log" 2>&1 || {
        echo "fuzz.sh: afl-fuzz for $p failed; last lines of $log:" >&2; tail -15 "$log" >&2; status=1; continue; }
  stats="$out/default/fuzzer_stats"
  execs=$(sed -n 's/^execs_done *: *//p' "$stats")
  crashes=$(sed -n 's/^saved_crashes *: *//p' "$stats")
  hangs=$(sed -n 's/^saved_hangs *: *//p' "$stats")
  for kind in crashes hangs; do
    for f in "$out/default/$kind"/id:*; do
      [ -e "$f" ] || continue
      mkdir -p "$fuzz_dir/crashes/$p"
      cp "$f" "$fuzz_dir/crashes/$p/afl-$kind-$(sha1sum "$f" | cut -c1-16).bin"
    done
  done
  echo "${p^^}: ${execs:-0} inputs, ${crashes:-0} crashes, ${hangs:-0} hangs (afl-fuzz, $(sed -n 's/^run_time *: *//p' "$stats") s)"
  [ "${crashes:-0}" = 0 ] && [ "${hangs:-0}" = 0 ] || status=1
done
exit $status
