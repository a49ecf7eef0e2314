#!/usr/bin/env bash
# The service under a real systemd: boots an amd64 Debian bookworm root with systemd as PID 1 in
# systemd-nspawn, installs the amd64 .deb, points the service at the paced demo generator, and checks
# what the unit promises: Type=notify (active only after READY=1), the watchdog (no restart while audio
# runs; a frozen process is killed and restarted), a clean SIGTERM stop, what the sandbox allows
# (SCHED_FIFO under LimitRTPRIO, the state directory), and the unit's `systemd-analyze security` exposure score
# (PASS at or below HM_MAX_EXPOSURE, default 1.0; the shipped unit scores 0.9, the unit before hardening 2.4), and
# the network rule: no AF_INET/AF_INET6 as shipped, both once the remote-control drop-in is linked (the web page then
# listens on 127.0.0.1:8780 under the sandbox), none again once it is removed.
#
#   deploy-pi/test-systemd.sh            (as root; PASS/FAIL lines, last line "N passed, N failed, N skipped")
#
# Environment: HM_CACHE_DIR (rootfs cache, default /var/cache/hardwaremaster-ci), HM_MIRROR (Debian mirror),
# HM_SKIP_BUILD=1 (reuse artifacts/hardwaremaster_*_amd64.deb), HM_KEEP_ROOT=1 (keep the root for inspection),
# HM_MAX_EXPOSURE (the highest exposure score that passes, default 1.0).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
art="$repo/artifacts"
cache_dir="${HM_CACHE_DIR:-/var/cache/hardwaremaster-ci}"
suite=bookworm
max_exposure="${HM_MAX_EXPOSURE:-1.0}"
[[ "$max_exposure" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "test-systemd.sh: HM_MAX_EXPOSURE '$max_exposure' is not a number" >&2; exit 2; }
includes="systemd,systemd-sysv,dbus,procps,adduser,libasound2,libgpiod2,libportaudio2,libsoxr0,fonts-dejavu-core"

passed=0; failed=0; skipped=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
die() { echo "test-systemd.sh: $*" >&2; echo "$passed passed, $((failed + 1)) failed, $skipped skipped"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root"

missing=()
for p in systemd-container mmdebstrap arch-test zstd; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "could not install ${missing[*]}"
fi
# shellcheck source=mirror.sh
. "$here/mirror.sh"
mirror="${HM_MIRROR:-$(find_mirror | head -n 1)}"
mirror="${mirror:-http://deb.debian.org/debian}"

# --- package ----------------------------------------------------------------------------------
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)"
deb="$art/hardwaremaster_${version/-/\~}_amd64.deb"
if [ "${HM_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$deb" ]; then
    OUT_DIR="$art" "$here/build-deb.sh" amd64 >/tmp/hm-systemd-build.log 2>&1 || { tail -n 30 /tmp/hm-systemd-build.log; die "amd64 build failed"; }
fi
[ -f "$deb" ] || die "no package at $deb"

# --- root -------------------------------------------------------------------------------------
mkdir -p "$cache_dir"
key="$(echo "$suite amd64 minbase $includes $mirror" | sha256sum | cut -c1-12)"
tarball="$cache_dir/rootfs-$suite-amd64-systemd-$key.tar.zst"
if [ ! -f "$tarball" ]; then
    mmdebstrap --quiet --arch=amd64 --variant=minbase --include="$includes" "$suite" "$tarball.tmp.tar.zst" "$mirror" \
        >/tmp/hm-systemd-mmdebstrap.log 2>&1 || { tail -n 30 /tmp/hm-systemd-mmdebstrap.log; die "mmdebstrap failed"; }
    mv "$tarball.tmp.tar.zst" "$tarball"
fi
scratch="$(mktemp -d /var/tmp/hm-systemd.XXXXXX)"
root="$scratch/root"
nspawn_pid=""
cleanup() {
    [ -n "$nspawn_pid" ] && kill "$nspawn_pid" 2>/dev/null
    if [ "${HM_KEEP_ROOT:-0}" = 1 ]; then echo "kept: $root"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
mkdir -p "$root"
tar --zstd -xf "$tarball" -C "$root" || die "cannot extract $tarball"
cp "$deb" "$root/var/tmp/"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "/var/tmp/$(basename "$deb")" </dev/null >"$scratch/apt.log" 2>&1
apt_rc=$?
umount "$root/proc"
[ $apt_rc -eq 0 ] || { tail -n 20 "$scratch/apt.log"; die "apt-get install failed in the root"; }

# The paced demo generator instead of a sound card (the container has none); everything else as shipped.
sed -i -E 's/"device"[ \t]*:[ \t]*"[^"]*"/"device": "gen:demo"/' "$root/etc/hardwaremaster/config.json"
grep -q '"gen:demo"' "$root/etc/hardwaremaster/config.json" || die "could not set the device in config.json"

# The checks run inside the container as a oneshot unit after boot, write their results, and power off.
echo "$max_exposure" >"$root/var/tmp/hm-max-exposure"
cat >"$root/usr/local/sbin/hm-systemd-check" <<'CHECK'
#!/bin/bash
out=/var/tmp/hm-results
exec >"$out" 2>&1
p() { echo "PASS $*"; }
f() { echo "FAIL $*"; }
prop() { systemctl show hardwaremaster -p "$1" --value; }
for _ in $(seq 60); do [ "$(systemctl is-active hardwaremaster)" = active ] && break; sleep 0.5; done
state="$(systemctl is-active hardwaremaster)"
if [ "$state" = active ]; then p "service active (Type=notify: READY=1 was received)"; else f "service $state: $(journalctl -u hardwaremaster -o cat --no-pager | tail -n 5 | tr '\n' '|')"; fi
journalctl -u hardwaremaster -o cat --no-pager | grep -q "audio running: gen:demo" && p "journal: audio running on gen:demo" || f "no 'audio running' in the journal"
status="$(prop StatusText)"; [ -n "$status" ] && p "STATUS= text: $status" || f "no STATUS= text"
pid="$(prop MainPID)"
rt="$(ps -L -o cls=,rtprio=,comm= -p "$pid" | awk '$1 == "FF" { print $2 " " $3 " " $4; exit }')"
echo "NOTE $(grep 'Max realtime priority' /proc/$pid/limits | tr -s ' '); cgroup cpu.rt_runtime_us: $(cat /sys/fs/cgroup/cpu,cpuacct/system.slice/hardwaremaster.service/cpu.rt_runtime_us /sys/fs/cgroup/cpu/system.slice/hardwaremaster.service/cpu.rt_runtime_us 2>/dev/null | head -n 1)"
if [ -n "$rt" ]; then p "audio thread in SCHED_FIFO as user $(ps -o user= -p "$pid"): priority $rt"; else echo "NOTE no SCHED_FIFO thread: $(journalctl -u hardwaremaster -o cat --no-pager | grep -i -m1 'fifo\|real-time\|realtime')"; fi
# The sandbox is in force on the running process (seccomp filter, no new privileges, no capabilities, no network).
status_of() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
[ "$(status_of Seccomp)" = 2 ] && [ "$(status_of NoNewPrivs)" = 1 ] && [ "$(status_of CapEff)" = 0000000000000000 ] \
    && p "sandbox in force: seccomp filter, NoNewPrivs, no capabilities" \
    || f "sandbox not in force: Seccomp=$(status_of Seccomp) NoNewPrivs=$(status_of NoNewPrivs) CapEff=$(status_of CapEff)"
links="$(awk -F: 'NR > 2 { gsub(/ /, "", $1); printf "%s ", $1 }' "/proc/$pid/net/dev" 2>/dev/null)"
[ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/1/ns/net)" ] && [ "$links" = "lo " ] \
    && p "PrivateNetwork: own network namespace with only lo" || f "network namespace $(readlink /proc/$pid/ns/net) (init: $(readlink /proc/1/ns/net)), links: $links"
max="$(cat /var/tmp/hm-max-exposure)"
security="$(systemd-analyze security --no-pager hardwaremaster.service 2>&1)"
score="$(sed -n 's/.*Overall exposure level for hardwaremaster.service: \([0-9.]*\).*/\1/p' <<<"$security")"
echo "NOTE systemd-analyze security: $(grep -c '✗' <<<"$security") settings open: $(grep '✗' <<<"$security" | awk '{ print $2 }' | tr '\n' ' ')"
if [ -n "$score" ] && awk -v s="$score" -v m="$max" 'BEGIN { exit !(s <= m) }'; then p "systemd-analyze security: exposure $score (at most $max)"; else f "systemd-analyze security: exposure '${score:-none}' above $max: $(tail -n 1 <<<"$security")"; fi
sleep 13 # longer than WatchdogSec=10s: no ping would mean a watchdog kill by now
[ "$(prop NRestarts)" = 0 ] && [ "$(systemctl is-active hardwaremaster)" = active ] && p "13 s later: still active, 0 restarts (watchdog pinged)" || f "restarted or stopped: NRestarts=$(prop NRestarts) $(systemctl is-active hardwaremaster)"
[ "$(prop WatchdogTimestampMonotonic)" != 0 ] && p "watchdog timestamp set ($(prop WatchdogTimestamp))" || f "no watchdog ping recorded"
kill -STOP "$pid"
for _ in $(seq 60); do [ "$(prop NRestarts)" -ge 1 ] 2>/dev/null && break; sleep 0.5; done
if [ "$(prop NRestarts)" -ge 1 ] 2>/dev/null; then p "frozen process: watchdog timeout, restarted ($(journalctl -u hardwaremaster --no-pager | grep -c -i 'watchdog timeout') watchdog line(s))"; else f "frozen process not restarted within 30 s"; kill -CONT "$pid"; fi
for _ in $(seq 60); do [ "$(systemctl is-active hardwaremaster)" = active ] && break; sleep 0.5; done
[ "$(systemctl is-active hardwaremaster)" = active ] && p "active again after the restart" || f "not active after the restart"
start=$(date +%s%N)
systemctl stop hardwaremaster
ms=$(( ($(date +%s%N) - start) / 1000000 ))
result="$(prop Result)"
[ "$result" = success ] && p "systemctl stop: clean exit in $ms ms (SIGTERM, fade, Result=success)" || f "stop result $result after $ms ms"
journalctl -u hardwaremaster -o cat --no-pager | grep -q "stopped (stopped)" && p "journal: stop statistics logged" || f "no stop line in the journal"
# Network only with the remote-control drop-in. `systemctl show` prints the effective allow-list
# ("AF_UNIX AF_NETLINK"); a leading "~" would be a deny-list, i.e. every other family allowed.
families() { prop RestrictAddressFamilies; }
has_inet() { grep -qwE 'AF_INET6?' <<<"$1"; }
fam="$(families)"
if [ -n "$fam" ] && [ "${fam#\~}" = "$fam" ] && ! has_inet "$fam" && [ "$(prop PrivateNetwork)" = yes ]; then
    p "shipped unit: no AF_INET/AF_INET6 (RestrictAddressFamilies=$fam, PrivateNetwork=yes)"
else
    f "shipped unit allows the network: RestrictAddressFamilies='$fam' PrivateNetwork=$(prop PrivateNetwork)"
fi
dropin=/etc/systemd/system/hardwaremaster.service.d/remote-control.conf
if [ -f /usr/share/hardwaremaster/remote-control.conf ]; then
    mkdir -p "$(dirname "$dropin")" && ln -sf /usr/share/hardwaremaster/remote-control.conf "$dropin" && systemctl daemon-reload
    fam="$(families)"
    if [ "${fam#\~}" = "$fam" ] && grep -qw AF_INET <<<"$fam" && grep -qw AF_INET6 <<<"$fam" && grep -qw AF_UNIX <<<"$fam" && [ "$(prop PrivateNetwork)" = no ]; then
        p "remote-control drop-in: AF_INET and AF_INET6 allowed (RestrictAddressFamilies=$fam, PrivateNetwork=no, IPAddressAllow=$(prop IPAddressAllow))"
    else
        f "remote-control drop-in linked, but RestrictAddressFamilies='$fam' PrivateNetwork=$(prop PrivateNetwork)"
    fi
    echo "NOTE with the drop-in: $(systemd-analyze security --no-pager hardwaremaster.service 2>&1 | grep 'Overall exposure')"
    # With the drop-in and the config key the web page really listens (an AF_INET socket under the sandbox).
    cp /etc/hardwaremaster/config.json /var/tmp/hm-config.json
    sed -i -E '0,/\{/s//{ "remote": "127.0.0.1:8780",/' /etc/hardwaremaster/config.json
    systemctl start hardwaremaster
    for _ in $(seq 60); do journalctl -u hardwaremaster -o cat --no-pager | grep -q "remote web page on" && break; sleep 0.5; done
    web="$(journalctl -u hardwaremaster -o cat --no-pager | grep -m1 -E 'remote web page (on|not started)')"
    if grep -q "remote web page on" <<<"$web" && [ "$(systemctl is-active hardwaremaster)" = active ]; then p "remote on: $web"; else f "remote on: service $(systemctl is-active hardwaremaster), journal: '${web:-nothing}'"; fi
    systemctl stop hardwaremaster
    cp /var/tmp/hm-config.json /etc/hardwaremaster/config.json
    rm -f "$dropin" && systemctl daemon-reload
    fam="$(families)"
    if [ "${fam#\~}" = "$fam" ] && ! has_inet "$fam" && [ "$(prop PrivateNetwork)" = yes ]; then p "drop-in removed: no AF_INET/AF_INET6 again"; else f "drop-in removed, but RestrictAddressFamilies='$fam' PrivateNetwork=$(prop PrivateNetwork)"; fi
else
    f "no /usr/share/hardwaremaster/remote-control.conf in the package"
fi
echo "DONE"
systemctl poweroff
CHECK
chmod +x "$root/usr/local/sbin/hm-systemd-check"
cat >"$root/etc/systemd/system/hm-systemd-check.service" <<'UNIT'
[Unit]
Description=HardwareMaster systemd checks
After=hardwaremaster.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hm-systemd-check
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/hm-systemd-check.service "$root/etc/systemd/system/multi-user.target.wants/hm-systemd-check.service"

# --- boot ---------------------------------------------------------------------------------------
start=$(date +%s)
timeout 240 systemd-nspawn --quiet --boot --register=no --keep-unit --directory="$root" --machine=hm-systemd-test >"$scratch/console.log" 2>&1 &
nspawn_pid=$!
wait "$nspawn_pid"; rc=$?
nspawn_pid=""
echo "     container ran $(( $(date +%s) - start )) s (systemd-nspawn exit $rc)"
if [ ! -f "$root/var/tmp/hm-results" ]; then
    tail -n 30 "$scratch/console.log"
    die "the checks did not run (see the console above)"
fi
while read -r kind rest; do
    case "$kind" in
        PASS) pass "$rest" ;;
        FAIL) fail "$rest" ;;
        NOTE) echo "     $rest" ;;
    esac
done <"$root/var/tmp/hm-results"
grep -q '^DONE' "$root/var/tmp/hm-results" || fail "the checks did not finish"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
