#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the box itself, simulated, on the demo mix
# (`hardwaremaster run --simulate --device gen:demo`): in a terminal the OLED is drawn and the keyboard is the
# knobs and buttons (q quits); without a terminal it plays a tour of every page and exits. Any arguments are
# passed to hardwaremaster instead, e.g.  ./run.sh demo  (the offline demo: synthesise a mix, master it, print
# the loudness reports),  ./run.sh measure song.wav  or  ./run.sh render in.wav out.wav --preset edm-club
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build firmware-app -c Release -o out/app -v quiet -nologo >/dev/null || dotnet build firmware-app -c Release -o out/app -nologo
if [ $# -eq 0 ]; then set -- run --simulate --device gen:demo --rt-priority 0; fi
exec ./out/app/hardwaremaster "$@"
