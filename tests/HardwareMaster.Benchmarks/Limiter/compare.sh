#!/usr/bin/env bash
# Limiter distortion comparison (issue 12): ours at its defaults vs ffmpeg alimiter and x42 dpl at comparable
# settings (−1 dB limit, 1 ms attack / look-ahead, 50 ms release), same signals 6 dB over the ceiling.
# Needs: ffmpeg, lv2file, x42-plugins (apt-get install -y ffmpeg lv2file x42-plugins).
# Usage: tests/HardwareMaster.Benchmarks/Limiter/compare.sh [WORKDIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=${1:-$(mktemp -d)}
tool=(dotnet run -c Release --project "$root/tests/HardwareMaster.Benchmarks" --no-launch-profile -- limiter)
"${tool[@]}" gen "$work/in" >/dev/null
"${tool[@]}" ours "$work/in" "$work/ours"
"${tool[@]}" ours "$work/in" "$work/ours-hold0" 0
mkdir -p "$work/alimiter" "$work/dpl"
for f in sine100 sine1k imd am100 hit; do
  # alimiter: limit −1 dBFS (sample peak; it has no true-peak mode), auto level off, delay compensated.
  ffmpeg -v error -y -i "$work/in/$f.wav" -af "alimiter=limit=0.891251:attack=1:release=50:level=0:latency=1" \
    -c:a pcm_f32le "$work/alimiter/$f.wav"
  # x42 dpl: threshold −1 dB, release 50 ms, true-peak mode on (its look-ahead is fixed).
  lv2file -i "$work/in/$f.wav" -o "$work/dpl/$f.wav" -p threshold:-1 -p release:0.05 -p truepeak:1 -p gain:0 \
    --ignore-clipping http://gareus.org/oss/lv2/dpl#stereo >/dev/null
done
printf '%-24s %8s %8s %8s %8s %8s\n' "" "THD100%" "THD1k%" "IMD%" "AM100%" "rec.ms"
for who in ours ours-hold0 alimiter dpl; do
  printf '%-24s %s\n' "$who" "$("${tool[@]}" measure "$work/in" "$work/$who")"
done
