#!/usr/bin/env bash
# Install test for the hardwaremaster .deb: an arm64 Debian bookworm root under qemu user-mode
# emulation. Builds the packages, installs, verifies the unit, runs the binary (selftest and a
# render compared with amd64 when those verbs exist), upgrades, removes and purges.
#
#   deploy-pi/test-install.sh            (as root; prints PASS/FAIL/SKIP lines, exits 1 on a failure)
#
# Environment:
#   VERSION          base version to build (default: Directory.Build.props); the upgrade uses it +1 patch
#   HM_CACHE_DIR     rootfs tarball cache (default /var/cache/hardwaremaster-ci)
#   HM_MIRROR        Debian mirror (default: read from /etc/apt/sources.list.d/* and sources.list)
#   HM_SKIP_BUILD=1  reuse the packages already in artifacts/ (and artifacts/install-test/)
#   HM_KEEP_ROOT=1   keep the extracted root for inspection (path printed at the end)
#   HM_RENDER_ARGS   arguments of the render check, default "render {in} {out}"
#   HM_MEASURE_ARGS  arguments of the loudness check, default "measure {file}"; the output must
#                    contain "integrated ... <LUFS>" and "true peak ... <dBTP>" (text or JSON keys)
# Last line: "N passed, N failed, N skipped". A report goes to artifacts/install-test/report.txt.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
art="$repo/artifacts"
test_art="$art/install-test"
cache_dir="${HM_CACHE_DIR:-/var/cache/hardwaremaster-ci}"
suite=bookworm
rootfs_includes="systemd,adduser,libasound2,libgpiod2,libportaudio2,libsoxr0,fonts-dejavu-core"
default_render_args='render {in} {out}'  # a literal: "}" inside ${VAR:-...} would end the expansion early
render_args="${HM_RENDER_ARGS:-$default_render_args}"
default_measure_args='measure {file} --json'  # JSON: three decimals for the 0.01 comparisons
measure_args="${HM_MEASURE_ARGS:-$default_measure_args}"

passed=0; failed=0; skipped=0
report=()
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }
# check NAME COMMAND...: PASS when the command succeeds.
check() { local name="$1"; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
quiet() { "$@" >/dev/null 2>&1; }
logged() { local log="$1"; shift; "$@" >"$log" 2>&1 || { tail -n 5 "$log"; return 1; }; }
note() { echo "     $*"; report+=("$*"); }
die() { echo "test-install.sh: $*" >&2; echo "$passed passed, $((failed + 1)) failed, $skipped skipped"; exit 1; }

start_ns=$(date +%s%N)

phase() {
    local now; now=$(date +%s%N)
    printf '== %s (t=%.1f s)\n' "$1" "$(awk -v a="$start_ns" -v b="$now" 'BEGIN{print (b-a)/1e9}')"

}
seconds_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f", (b-a)/1e9}'; }

[ "$(id -u)" -eq 0 ] || die "must run as root (chroot, mounts, binfmt)"

# --- host prerequisites -----------------------------------------------------------------------
phase "host prerequisites"
# arch-test is a Recommends of mmdebstrap that --no-install-recommends leaves out; a foreign-architecture
# root (arm64 here) fails without it ("E: install arch-test for foreign architecture support").
host_packages=(qemu-user-static binfmt-support mmdebstrap arch-test zstd sox jq)
missing=()
for p in "${host_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
fi
# binfmt_misc is built into the kernel but not mounted on this machine kind (PLATFORM-NOTES §2).
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc"
fi
update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
check "binfmt qemu-aarch64 enabled" grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64

# shellcheck source=mirror.sh
. "$here/mirror.sh"
mirror="${HM_MIRROR:-$(find_mirror | head -n 1)}"
mirror="${mirror:-http://deb.debian.org/debian}"
echo "mirror: $mirror"

# --- packages ---------------------------------------------------------------------------------
phase "build packages"
base_version="${VERSION:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)}"
# Upgrade version: the last numeric component + 1 (0.1.0 -> 0.1.1; 1.2.0-rc.1 -> 1.2.1-rc.1).
upgrade_version="$(echo "$base_version" | awk -F- '{ n = split($1, v, "."); v[n]++; s = v[1]
    for (i = 2; i <= n; i++) s = s "." v[i]; if (NF > 1) { sub(/^[^-]*/, "", $0); s = s $0 }; print s }')"
base_deb_version="${base_version/-/\~}"
upgrade_deb_version="${upgrade_version/-/\~}"
deb_arm="$art/hardwaremaster_${base_deb_version}_arm64.deb"
deb_amd="$art/hardwaremaster_${base_deb_version}_amd64.deb"
deb_up="$test_art/hardwaremaster_${upgrade_deb_version}_arm64.deb"
mkdir -p "$test_art"
build() { # build VERSION ARCH OUT_DIR
    local t; t=$(date +%s%N)
    if VERSION="$1" OUT_DIR="$3" "$here/build-deb.sh" "$2" >"$test_art/build-$2-$1.log" 2>&1; then
        pass "build $2 $1 ($(seconds_since "$t") s)"
    else
        fail "build $2 $1"; tail -n 40 "$test_art/build-$2-$1.log"; return 1
    fi
}
if [ "${HM_SKIP_BUILD:-0}" = 1 ] && [ -f "$deb_arm" ] && [ -f "$deb_amd" ] && [ -f "$deb_up" ]; then
    skip "build (HM_SKIP_BUILD=1, reusing artifacts)"
else
    build "$base_version" arm64 "$art" || die "arm64 build failed"
    build "$base_version" amd64 "$art" || die "amd64 build failed"
    build "$upgrade_version" arm64 "$test_art" || die "upgrade build failed"
fi

scratch="$(mktemp -d /var/tmp/hm-test.XXXXXX)"
root="$scratch/root"
mounted=()
cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null; done
    # Never delete through a live mount (a bound /dev would take the host's device nodes with it).
    if grep -q " $scratch" /proc/mounts; then
        echo "test-install.sh: $scratch still has mounts; not deleting it" >&2
    elif [ "${HM_KEEP_ROOT:-0}" = 1 ]; then
        echo "kept: $root"
    else
        rm -rf "$scratch"
    fi
}
trap cleanup EXIT

# Static checks of the package file.
dpkg-deb -x "$deb_amd" "$scratch/amd64"
dpkg-deb -x "$deb_arm" "$scratch/arm64"
check "package architecture is arm64" test "$(dpkg-deb -f "$deb_arm" Architecture)" = arm64
check "packaged binary is AArch64 ELF" sh -c "readelf -h '$scratch/arm64/usr/bin/hardwaremaster' | grep -q AArch64"
check "package ships binary, unit and config" test -x "$scratch/arm64/usr/bin/hardwaremaster" \
    -a -f "$scratch/arm64/lib/systemd/system/hardwaremaster.service" -a -f "$scratch/arm64/etc/hardwaremaster/config.json"
check "config.json is marked as a conffile" sh -c "dpkg-deb --ctrl-tarfile '$deb_arm' | tar -xO ./conffiles | grep -qx /etc/hardwaremaster/config.json"
check "default config is valid JSON" jq empty "$scratch/arm64/etc/hardwaremaster/config.json"
note "Depends: $(dpkg-deb -f "$deb_arm" Depends)"
note "package size arm64: $(stat -c %s "$deb_arm") bytes; amd64: $(stat -c %s "$deb_amd") bytes"
note "AOT binary size arm64: $(stat -c %s "$scratch/arm64/usr/bin/hardwaremaster") bytes; amd64: $(stat -c %s "$scratch/amd64/usr/bin/hardwaremaster") bytes"

# --- rootfs -----------------------------------------------------------------------------------
phase "arm64 $suite root"
key="$(echo "$suite arm64 minbase $rootfs_includes $mirror" | sha256sum | cut -c1-12)"
tarball="$cache_dir/rootfs-$suite-arm64-$key.tar.zst"
mkdir -p "$cache_dir"
if [ ! -s "$tarball" ]; then
    t=$(date +%s%N)
    echo "building $tarball (first run only; about 2 min)"
    if mmdebstrap --quiet --arch=arm64 --variant=minbase --include="$rootfs_includes" \
            "$suite" "$tarball.tmp.tar.zst" "$mirror" >"$test_art/mmdebstrap.log" 2>&1; then
        mv "$tarball.tmp.tar.zst" "$tarball"
        note "rootfs built in $(seconds_since "$t") s ($(stat -c %s "$tarball") bytes)"
    else
        rm -f "$tarball.tmp.tar.zst"; tail -n 30 "$test_art/mmdebstrap.log"; die "mmdebstrap failed"
    fi
else
    note "rootfs from cache: $tarball"
fi
t=$(date +%s%N)
mkdir -p "$root"
tar -C "$root" --zstd --numeric-owner -xpf "$tarball" || die "cannot extract $tarball"
note "rootfs extracted in $(seconds_since "$t") s"
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
if [ ! -c "$root/dev/null" ]; then mount --bind /dev "$root/dev" && mounted+=("$root/dev"); fi
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
inroot() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root \
    DEBIAN_FRONTEND=noninteractive "$@"; }
check "root runs arm64 binaries (uname -m = aarch64)" test "$(inroot uname -m)" = aarch64

# --- install ----------------------------------------------------------------------------------
phase "install $base_deb_version"
cp "$deb_arm" "$deb_up" "$root/var/tmp/"
apt_install() { # apt_install DEB: install a local package, resolving Depends; refresh lists if needed
    inroot apt-get install -y --no-install-recommends "/var/tmp/$(basename "$1")" </dev/null >"$test_art/apt.log" 2>&1 && return 0
    inroot apt-get update -qq >>"$test_art/apt.log" 2>&1
    inroot apt-get install -y --no-install-recommends "/var/tmp/$(basename "$1")" </dev/null >>"$test_art/apt.log" 2>&1
}
t=$(date +%s%N)
if apt_install "$deb_arm"; then pass "apt-get install ($(seconds_since "$t") s)"; else fail "apt-get install"; tail -n 30 "$test_art/apt.log"; fi
status_of() { inroot dpkg-query -W -f='${Status} ${Version}' hardwaremaster 2>/dev/null; }
check "dpkg status: installed $base_deb_version" test "$(status_of)" = "install ok installed $base_deb_version"
check "dpkg --audit is clean" test -z "$(inroot dpkg --audit 2>&1)"
passwd_line="$(inroot getent passwd hardwaremaster)"
check "system user hardwaremaster exists" test -n "$passwd_line"
uid="$(cut -d: -f3 <<<"$passwd_line")"
check "user is a system user (uid ${uid:-?} < 1000) with nologin shell" \
    test "${uid:-1000}" -lt 1000 -a "$(cut -d: -f7 <<<"$passwd_line")" = /usr/sbin/nologin
groups_of_user="$(inroot id -nG hardwaremaster 2>/dev/null)"
for g in audio gpio i2c; do
    check "user is in group $g" grep -qw "$g" <<<"$groups_of_user"
done
check "/var/lib/hardwaremaster is hardwaremaster:hardwaremaster 750" \
    test "$(inroot stat -c '%U:%G %a' /var/lib/hardwaremaster 2>/dev/null)" = "hardwaremaster:hardwaremaster 750"
check "/var/lib/hardwaremaster/presets exists" test -d "$root/var/lib/hardwaremaster/presets"
check "dpkg records config.json as conffile" sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' hardwaremaster | grep -q /etc/hardwaremaster/config.json"
check "service enabled (multi-user.target.wants link)" test -L "$root/etc/systemd/system/multi-user.target.wants/hardwaremaster.service"
verify_out="$(inroot systemd-analyze verify /lib/systemd/system/hardwaremaster.service 2>&1)"; verify_rc=$?
if [ $verify_rc -eq 0 ] && ! grep -q 'hardwaremaster' <<<"$verify_out"; then
    pass "systemd-analyze verify hardwaremaster.service"
else
    fail "systemd-analyze verify hardwaremaster.service (exit $verify_rc)"; echo "$verify_out"
fi
properties="$(grep -E '^(Type|WatchdogSec|Restart|User|LimitRTPRIO|LimitMEMLOCK|ProtectSystem|ProtectHome|PrivateTmp|NoNewPrivileges|ReadWritePaths)=' "$root/lib/systemd/system/hardwaremaster.service" | sort | tr '\n' ' ')"
note "unit: $properties"

# --- run the binary ---------------------------------------------------------------------------
phase "run under emulation"
native="$scratch/amd64/usr/bin/hardwaremaster"
# The cheapest command that exits 0: --version once the CLI has it, else no arguments.
trivial=()
for candidate in "--version" "" "--help"; do
    # shellcheck disable=SC2086 # empty candidate means no argument
    if "$native" $candidate >/dev/null 2>&1; then read -r -a trivial <<<"$candidate"; trivial_name="${candidate:-(no arguments)}"; break; fi
done
trivial_name="${trivial_name:-none}"
check "native amd64 binary runs '$trivial_name'" test "$trivial_name" != none
check "arm64 binary runs '$trivial_name' as user hardwaremaster in the root" \
    quiet inroot runuser -u hardwaremaster -- /usr/bin/hardwaremaster "${trivial[@]}"
mean_ms() { # mean_ms RUNS COMMAND...: mean wall time of process start to exit, in ms
    local n="$1"; shift; local t0; t0=$(date +%s%N)
    for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1; done
    awk -v a="$t0" -v b="$(date +%s%N)" -v n="$n" 'BEGIN{printf "%.0f", (b-a)/1e6/n}'
}
note "start-to-exit of 'hardwaremaster $trivial_name': native amd64 $(mean_ms 20 "$native" "${trivial[@]}") ms, arm64 under qemu-user (chroot) $(mean_ms 10 inroot /usr/bin/hardwaremaster "${trivial[@]}") ms (mean)"

# verb_supported BINARY... VERB: the root help lists the verb and "VERB --help" exits 0.
verb_supported() {
    local verb="${*: -1}"; local cmd=("${@:1:$#-1}")
    "${cmd[@]}" --help 2>&1 | grep -qE "^[[:space:]]+$verb([[:space:]]|,|$)" && "${cmd[@]}" "$verb" --help >/dev/null 2>&1
}
if verb_supported inroot /usr/bin/hardwaremaster selftest; then
    t=$(date +%s%N)
    if inroot runuser -u hardwaremaster -- /usr/bin/hardwaremaster selftest >"$test_art/selftest.log" 2>&1; then
        pass "hardwaremaster selftest under emulation ($(seconds_since "$t") s)"
    else
        fail "hardwaremaster selftest under emulation"; tail -n 30 "$test_art/selftest.log"
    fi
else
    skip "hardwaremaster selftest (the binary has no 'selftest' verb yet)"
fi

# The pairing secret goes through System.Security.Cryptography, which dlopens OpenSSL: without the .deb's libssl3
# dependency the binary prints "No usable version of libssl was found" and aborts (seen under qemu).
if verb_supported inroot /usr/bin/hardwaremaster remote; then
    inroot mkdir -p /var/tmp/hm-pair
    check "remote pair under emulation prints a secret (OpenSSL from the .deb's libssl3 dependency)" \
        sh -c "chroot '$root' /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root /usr/bin/hardwaremaster remote pair --state-dir /var/tmp/hm-pair 2>&1 | grep -qE '^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}\$'"
    inroot rm -rf /var/tmp/hm-pair
fi

# substitute TEMPLATE KEY VALUE...: fill {key} placeholders, split into words.
substitute() { local s="$1"; shift; while (($#)); do s="${s//\{$1\}/$2}"; shift 2; done; echo "$s"; }
# metric TEXT KEYWORD-REGEX: the first number after the keyword, in text or JSON output.
metric() {
    tr 'A-Z\n' 'a-z ' <<<"$1" | grep -oE "$2[^0-9-]*-?[0-9]+(\.[0-9]+)?" | head -n 1 | grep -oE -- '-?[0-9]+(\.[0-9]+)?$'
}
within() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN{d = a - b; if (d < 0) d = -d; exit !(d <= tol + 1e-9)}'; }
if verb_supported "$native" render && verb_supported "$native" measure \
        && verb_supported inroot /usr/bin/hardwaremaster render; then
    sox -R -n -r 48000 -b 24 -c 2 "$scratch/in.wav" synth 8 pinknoise synth 8 sine amod 3 tremolo 1.5 40 gain -12 2>/dev/null \
        || sox -R -n -r 48000 -b 24 -c 2 "$scratch/in.wav" synth 8 pinknoise gain -12
    cp "$scratch/in.wav" "$root/var/tmp/hm-in.wav"
    read -r -a native_render <<<"$(substitute "$render_args" in "$scratch/in.wav" out "$scratch/out-amd64.wav")"
    read -r -a arm_render <<<"$(substitute "$render_args" in /var/tmp/hm-in.wav out /var/tmp/hm-out-arm64.wav)"
    t=$(date +%s%N)
    check "render amd64 (native)" logged "$test_art/render-amd64.log" "$native" "${native_render[@]}"
    note "render of 8 s stereo 48 kHz: native amd64 $(seconds_since "$t") s"
    t=$(date +%s%N)
    check "render arm64 (emulated)" logged "$test_art/render-arm64.log" inroot /usr/bin/hardwaremaster "${arm_render[@]}"
    note "render of 8 s stereo 48 kHz: arm64 under qemu $(seconds_since "$t") s"
    cp "$root/var/tmp/hm-out-arm64.wav" "$scratch/out-arm64.wav" 2>/dev/null
    if cmp -s "$scratch/out-amd64.wav" "$scratch/out-arm64.wav"; then note "arm64 and amd64 renders are bit-identical"
    else note "arm64 and amd64 renders differ in bytes (loudness compared below)"; fi
    read -r -a m_amd <<<"$(substitute "$measure_args" file "$scratch/out-amd64.wav")"
    read -r -a m_arm <<<"$(substitute "$measure_args" file "$scratch/out-arm64.wav")"
    out_amd="$("$native" "${m_amd[@]}" 2>&1)"; out_arm="$("$native" "${m_arm[@]}" 2>&1)"
    i_amd="$(metric "$out_amd" integrated)"; i_arm="$(metric "$out_arm" integrated)"
    tp_amd="$(metric "$out_amd" 'true[ _-]?peak')"; tp_arm="$(metric "$out_arm" 'true[ _-]?peak')"
    if [ -z "$i_amd" ] || [ -z "$i_arm" ] || [ -z "$tp_amd" ] || [ -z "$tp_arm" ]; then
        fail "measure output has integrated loudness and true peak"; echo "$out_amd"
    else
        check "arm64 render loudness $i_arm vs amd64 $i_amd LUFS (within 0.01 LU)" within "$i_arm" "$i_amd" 0.01
        check "arm64 render true peak $tp_arm vs amd64 $tp_amd dBTP (within 0.01 dB)" within "$tp_arm" "$tp_amd" 0.01
    fi
    # The arm64 measure of the same file must agree with the native one.
    read -r -a m_arm_in <<<"$(substitute "$measure_args" file /var/tmp/hm-out-arm64.wav)"
    out_arm_meter="$(inroot /usr/bin/hardwaremaster "${m_arm_in[@]}" 2>&1)"
    i_arm_meter="$(metric "$out_arm_meter" integrated)"
    if [ -n "$i_arm_meter" ] && [ -n "$i_arm" ]; then
        check "arm64 measure $i_arm_meter vs amd64 measure $i_arm LUFS of the same file (within 0.01 LU)" within "$i_arm_meter" "$i_arm" 0.01
    else
        fail "arm64 measure output has integrated loudness"; echo "$out_arm_meter"
    fi
    # The .deb's other native pieces: libSkiaSharp (shipped in /usr/lib/hardwaremaster) draws --plot, libsoxr0
    # (a Depends) converts --rate.
    png_magic() { head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n'; }
    if inroot /usr/bin/hardwaremaster measure /var/tmp/hm-out-arm64.wav --plot /var/tmp/hm-plot.png >"$test_art/plot-arm64.log" 2>&1 \
            && [ "$(png_magic "$root/var/tmp/hm-plot.png")" = 89504e470d0a1a0a ]; then
        pass "measure --plot arm64 (emulated) writes a PNG"
    else
        fail "measure --plot arm64 (emulated) writes a PNG"; tail -n 5 "$test_art/plot-arm64.log"
    fi
    if inroot /usr/bin/hardwaremaster render /var/tmp/hm-in.wav /var/tmp/hm-out-44k.wav --rate 44100 >"$test_art/rate-arm64.log" 2>&1 \
            && "$native" measure "$root/var/tmp/hm-out-44k.wav" 2>&1 | grep -q "44100 Hz"; then
        pass "render --rate 44100 arm64 (emulated, libsoxr0)"
    else
        fail "render --rate 44100 arm64 (emulated, libsoxr0)"; tail -n 5 "$test_art/rate-arm64.log"
    fi
else
    skip "render/measure comparison arm64 vs amd64 (the binary has no 'render' and 'measure' verbs yet)"
fi
# Start-up and memory of the running service loop (READY is sent after the first processed block, so
# the engine's time-to-first-block is the time to READY; systemd itself cannot run in the chroot).
if verb_supported "$native" run; then
    run_args=(run --device gen:tone:1000:-12 --duration 3 --stats-json)
    peak_rss_kb() { # peak_rss_kb PID: while PID runs, the largest VmHWM of any 'hardwaremaster run' process (chroot/qemu wrap it)
        local pid="$1" hwm=0 p v
        while kill -0 "$pid" 2>/dev/null; do
            for p in $(pgrep -f 'hardwaremaster run' || true); do
                v=$(awk '/VmHWM/{print $2}' "/proc/$p/status" 2>/dev/null); [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
            done
            sleep 0.2
        done
        echo "$hwm"; }
    "$native" "${run_args[@]}" "$scratch/stats-amd64.json" >"$test_art/run-amd64.log" 2>&1 & pid=$!
    rss_native=$(peak_rss_kb $pid); wait $pid; rc_native=$?
    inroot /usr/bin/hardwaremaster "${run_args[@]}" /var/tmp/stats-arm64.json >"$test_art/run-arm64.log" 2>&1 & pid=$!
    rss_arm=$(peak_rss_kb $pid); wait $pid; rc_arm=$?
    check "run --duration 3 on the generator, native amd64" test "$rc_native" -eq 0
    check "run --duration 3 on the generator, arm64 under qemu" test "$rc_arm" -eq 0
    ready_native=$(jq -r '.timeToFirstBlockMs // empty' "$scratch/stats-amd64.json" 2>/dev/null)
    ready_arm=$(jq -r '.timeToFirstBlockMs // empty' "$root/var/tmp/stats-arm64.json" 2>/dev/null)
    note "start to first processed block (= READY): native amd64 ${ready_native:-?} ms, arm64 under qemu ${ready_arm:-?} ms"
    note "peak RSS while running: native amd64 ${rss_native:-?} kB, arm64 under qemu-user ${rss_arm:-?} kB (includes the emulator)"
else
    skip "run: start-up time and RSS (the binary has no 'run' verb yet)"
fi

# --- upgrade ----------------------------------------------------------------------------------
phase "upgrade to $upgrade_deb_version"
config="$root/etc/hardwaremaster/config.json"
preset="$root/var/lib/hardwaremaster/presets/install-test.json"
sed -i 's/"blockFrames": *64/"blockFrames": 128/' "$config"
check "config edited (blockFrames 128)" grep -q '"blockFrames": 128' "$config"
cp "$repo/firmware-app/presets/streaming-pop-rock.json" "$preset" 2>/dev/null \
    || echo '{"schema":1,"name":"install-test"}' >"$preset"
inroot chown hardwaremaster:hardwaremaster /var/lib/hardwaremaster/presets/install-test.json
config_sum="$(sha256sum <"$config")"; preset_sum="$(sha256sum <"$preset")"
binary_sum="$(sha256sum <"$root/usr/bin/hardwaremaster")"
t=$(date +%s%N)
if apt_install "$deb_up"; then pass "apt-get install upgrade ($(seconds_since "$t") s)"; else fail "apt-get install upgrade"; tail -n 30 "$test_art/apt.log"; fi
check "dpkg status: installed $upgrade_deb_version" test "$(status_of)" = "install ok installed $upgrade_deb_version"
check "binary replaced by the upgrade" test "$(sha256sum <"$root/usr/bin/hardwaremaster")" != "$binary_sum"
check "edited config survives the upgrade" test "$(sha256sum <"$config")" = "$config_sum"
check "no config.json.dpkg-new/-dist left (no prompt)" test ! -e "$config.dpkg-new" -a ! -e "$config.dpkg-dist"
check "saved preset survives the upgrade" test "$(sha256sum <"$preset" 2>/dev/null)" = "$preset_sum"
check "preset still owned by hardwaremaster" test "$(inroot stat -c %U /var/lib/hardwaremaster/presets/install-test.json 2>/dev/null)" = hardwaremaster
check "service still enabled after upgrade" test -L "$root/etc/systemd/system/multi-user.target.wants/hardwaremaster.service"
check "dpkg --audit is clean after upgrade" test -z "$(inroot dpkg --audit 2>&1)"

# --- remove and purge -------------------------------------------------------------------------
phase "remove and purge"
check "dpkg --remove" quiet inroot dpkg --remove hardwaremaster
check "binary gone after remove" test ! -e "$root/usr/bin/hardwaremaster"
check "config kept after remove" test "$(sha256sum <"$config" 2>/dev/null)" = "$config_sum"
check "state and preset kept after remove" test "$(sha256sum <"$preset" 2>/dev/null)" = "$preset_sum"
check "user kept after remove" quiet inroot getent passwd hardwaremaster
check "dpkg --purge" quiet inroot dpkg --purge hardwaremaster
check "/var/lib/hardwaremaster gone after purge" test ! -e "$root/var/lib/hardwaremaster"
check "/etc/hardwaremaster gone after purge" test ! -e "$root/etc/hardwaremaster"
check "user and its group gone after purge" sh -c "! chroot '$root' getent passwd hardwaremaster && ! chroot '$root' getent group hardwaremaster"
check "no unit links left after purge" sh -c "! find '$root/etc/systemd/system' -name 'hardwaremaster*' | grep -q ."
check "groups gpio and i2c kept (shared)" sh -c "chroot '$root' getent group gpio >/dev/null && chroot '$root' getent group i2c >/dev/null"

phase "done"
note "total time $(seconds_since "$start_ns") s"
{
    echo "install test $(date -u +%FT%TZ), packages $base_deb_version -> $upgrade_deb_version"
    printf '%s\n' "${report[@]}"
    echo "$passed passed, $failed failed, $skipped skipped"
} >"$test_art/report.txt"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
