#!/usr/bin/env bash
# Render speed comparison (issue 13): `hardwaremaster render` (Native AOT) of a 3-minute 48 kHz stereo 24-bit
# music-like file against an ffmpeg chain (5 EQ + acompressor + alimiter + dither) and a sox chain (5 EQ + compand +
# gain + dither), whole process, CPU time (user + sys) and wall time, median of RUNS runs after one warm-up, same file,
# same run. Prints every command it times.
# Needs: sox, ffmpeg, GNU time (/usr/bin/time), the .NET SDK with the Native AOT prerequisites (clang, zlib1g-dev).
# Usage: tests/HardwareMaster.Benchmarks/Render/compare.sh [WORKDIR] [RUNS]
#   HM_RENDER_BINARY=path/to/hardwaremaster skips the publish (e.g. to compare two builds on the same file).
#   HM_RENDER_ISA=x86-64-v3 publishes for that instruction set (IlcInstructionSet; default: the AOT baseline, which runs
#   the Vector<T> kernels at 4 lanes and calls Math.Round; the README's table has both).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=${1:-$(mktemp -d)}
runs=${2:-5}
mkdir -p "$work"

# Music-like programme: six 30 s sections (verse/chorus levels 6-11 dB apart) of pink noise with a beat (tremolo),
# plus two bass/mid tones pulsing at another rate; 180 s, 48 kHz, 24-bit, stereo (the channels differ).
in=$work/in.wav
if [[ ! -f $in ]]; then
  sections=()
  for v in 0.12 0.35 0.2 0.45 0.15 0.4; do
    sections+=("$work/section$v.wav")
    sox -n -r 48000 -b 24 -c 2 "$work/section$v.wav" synth 30 pinknoise tremolo 2 40 vol "$v"
  done
  sox "${sections[@]}" "$work/noise.wav"
  sox -n -r 48000 -b 24 -c 2 "$work/tones.wav" synth 180 sine 110 sine 165 tremolo 1 70 vol 0.1
  sox -m "$work/noise.wav" "$work/tones.wav" -b 24 "$in" gain -n -3
  rm -f "${sections[@]}" "$work/noise.wav" "$work/tones.wav"
fi

bin=${HM_RENDER_BINARY:-}
if [[ -z $bin ]]; then
  isa=()
  [[ -n ${HM_RENDER_ISA:-} ]] && isa=(-p:IlcInstructionSet="$HM_RENDER_ISA")
  dotnet publish "$root/firmware-app" -c Release -r linux-x64 -p:PublishAot=true "${isa[@]}" -o "$work/aot" -v q -nologo >/dev/null
  bin=$work/aot/hardwaremaster
fi

# The preset's chain, as near as the other tools have it: low shelf 80 Hz +0.5, bell 300 Hz −0.5 (Q 0.9), bell 1 kHz,
# bell 4 kHz (0 dB: present, so the EQ work is done), high shelf 12 kHz +1; 2:1 above −27 dB, 30/100 ms;
# a −1 dB limit (ffmpeg: sample peak, 1 ms attack); TPDF dither to 24 bits.
eq_ff="equalizer=f=80:t=q:w=0.7:g=0.5,equalizer=f=300:t=q:w=0.9:g=-0.5,equalizer=f=1000:t=q:w=1:g=0.001,equalizer=f=4000:t=q:w=1:g=0.001,highshelf=f=12000:g=1"
ours=("$bin" render "$in" "$work/ours.wav" --preset streaming-pop-rock --target -14)
ffmpeg_chain=(ffmpeg -nostdin -v error -y -i "$in"
  -af "$eq_ff,acompressor=threshold=0.0447:ratio=2:attack=30:release=100:knee=2.8,alimiter=limit=0.891251:attack=1:release=50:level=0,aresample=osf=s32:dither_method=triangular"
  -c:a pcm_s24le "$work/ffmpeg.wav")
# ffmpeg runs a threaded pipeline by default (much of its CPU time is system time handing frames between threads);
# the same chain on one thread:
ffmpeg1_chain=(ffmpeg -nostdin -v error -y -threads 1 -filter_threads 1 "${ffmpeg_chain[@]:5}")
sox_chain=(sox "$in" -b 24 "$work/sox.wav" equalizer 80 0.7q +0.5 equalizer 300 0.9q -0.5 equalizer 1000 1q +0.001
  equalizer 4000 1q +0.001 treble +1 12000 compand 0.03,0.1 6:-27,-27,0,-13.5 0 -90 0 gain 4 dither)

# Median of the runs of one command: CPU (user + sys) and wall seconds from GNU time.
measure() {
  local name=$1
  shift
  "$@" >/dev/null 2>&1 # warm-up (page cache, first-run effects)
  local cpu=() wall=()
  for ((i = 0; i < runs; i++)); do
    local t
    t=$(/usr/bin/time -f '%U %S %e' "$@" 2>&1 >/dev/null | tail -n 1)
    read -r user sys elapsed <<<"$t"
    cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')")
    wall+=("$elapsed")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  printf '%-8s cpu %6.2f s  wall %6.2f s  (median of %d; cpu runs: %s)\n' "$name" "$(median "${cpu[@]}")" "$(median "${wall[@]}")" "$runs" "${cpu[*]}"
}

echo "input: $in ($(soxi -d "$in"), $(soxi -r "$in") Hz, $(soxi -b "$in") bit, $(soxi -c "$in") ch)"
echo "ours:   ${ours[*]}"
echo "ffmpeg: ${ffmpeg_chain[*]}"
echo "ffmpeg1: ${ffmpeg1_chain[*]}"
echo "sox:    ${sox_chain[*]}"
measure ours "${ours[@]}"
measure ffmpeg "${ffmpeg_chain[@]}"
measure ffmpeg1 "${ffmpeg1_chain[@]}"
measure sox "${sox_chain[@]}"
"${ours[@]}" | grep -E 'passes' || true
