#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs `hardwaremaster` on its embedded default
# (the demo: synthesise a mix, master it, print the loudness reports). Any arguments are passed to
# hardwaremaster instead, e.g.  ./run.sh measure song.wav   or   ./run.sh render in.wav out.wav --preset edm-club
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build firmware-app -c Release -o out/app -v quiet -nologo >/dev/null || dotnet build firmware-app -c Release -o out/app -nologo
if [ $# -eq 0 ]; then set -- demo; fi
exec ./out/app/hardwaremaster "$@"
