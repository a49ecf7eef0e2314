#!/usr/bin/env bash
# Builds the hardwaremaster Debian package from this repository.
#
#   deploy-pi/build-deb.sh [arm64|amd64]        (arm64 by default)
#
# Native AOT publish of firmware-app for linux-arm64 (cross-compiled with Debian's clang and the
# aarch64 GNU toolchain) or linux-x64, then dpkg-deb. Writes
#   artifacts/hardwaremaster_<version>_<arch>.deb   the package
#   artifacts/hardwaremaster_<version>_<arch>.dbg   the binary's debug symbols (not packaged)
#
# Environment:
#   VERSION         package and assembly version (default: <Version> in Directory.Build.props)
#   OUT_DIR         where the artifacts go (default: <repo>/artifacts)
#   EXTRA_DEPENDS   appended to the package's Depends (comma separated)
#   DOTNET_PUBLISH_ARGS  extra arguments for dotnet publish (e.g. -p:IlcInstructionSet=...)
#
# Trim and AOT warnings are errors (TreatWarningsAsErrors from Directory.Build.props is passed on
# to ILC), and TrimmerSingleWarn=false makes each warning name the member and assembly behind it.
set -euo pipefail

arch="${1:-arm64}"
case "$arch" in
    arm64) rid=linux-arm64; tool_prefix=aarch64-linux-gnu-
           toolchain=(clang gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross) ;;
    amd64) rid=linux-x64; tool_prefix=
           toolchain=(clang binutils) ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "build-deb.sh: unknown architecture '$arch' (use arm64 or amd64)" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
out_dir="${OUT_DIR:-$repo/artifacts}"

version="${VERSION:-$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)}"
if ! [[ "$version" =~ ^[0-9]+(\.[0-9]+){1,3}(-[0-9A-Za-z.]+)?$ ]]; then
    echo "build-deb.sh: version '$version' is not of the form 1.2.3 or 1.2.3-suffix" >&2
    exit 2
fi
# Debian sorts "~" before anything, so 1.0.0-rc.1 (NuGet prerelease) becomes 1.0.0~rc.1 < 1.0.0.
deb_version="${version/-/\~}"

log() { printf 'build-deb: %s\n' "$*" >&2; }

# --- toolchain --------------------------------------------------------------------------------
missing=()
for p in "${toolchain[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "build-deb.sh: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/hm-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- publish ----------------------------------------------------------------------------------
log "publishing $rid Native AOT, version $version"
t0=$(date +%s.%N)
publish_log="$work/publish.log"
# shellcheck disable=SC2086 # DOTNET_PUBLISH_ARGS is a word list on purpose
if ! dotnet publish "$repo/firmware-app/HardwareMaster.FirmwareApp.csproj" \
        -c Release -r "$rid" -o "$work/publish" -nologo \
        -p:PublishAot=true -p:StripSymbols=true -p:TrimmerSingleWarn=false \
        -p:Version="$version" ${DOTNET_PUBLISH_ARGS:-} >"$publish_log" 2>&1; then
    cat "$publish_log" >&2
    if grep -qE '(error|warning) IL[23][0-9]{3}' "$publish_log"; then
        echo "build-deb.sh: trim/AOT analysis failed; the assemblies involved:" >&2
        grep -oE '(error|warning) IL[23][0-9]{3}: [^ ]+' "$publish_log" | sort | uniq -c >&2 || true
    fi
    echo "build-deb.sh: dotnet publish failed for $rid" >&2
    exit 1
fi
if grep -qE ': warning ' "$publish_log"; then
    log "publish warnings:"; grep -E ': warning ' "$publish_log" | sort -u >&2
fi
t1=$(date +%s.%N)
log "published in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"

binary="$work/publish/hardwaremaster"
[ -x "$binary" ] || { echo "build-deb.sh: publish produced no $binary" >&2; exit 1; }

# --- dependencies -------------------------------------------------------------------------------
# Link-time: the highest GLIBC_x.y symbol version gives the libc6 floor; any NEEDED library
# beyond glibc must be mapped to its package here.
readelf="${tool_prefix}readelf"
glibc_floor="$("${readelf}" -W --dyn-syms "$binary" | grep -oE 'GLIBC_[0-9]+\.[0-9]+' \
    | sed 's/GLIBC_//' | sort -V | tail -n 1)"
depends=("adduser" "libc6 (>= ${glibc_floor:-2.34})")
while read -r needed; do
    case "$needed" in
        libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*) ;;
        libstdc++.so.6) depends+=("libstdc++6") ;;
        libgcc_s.so.1) depends+=("libgcc-s1") ;;
        libz.so.1) depends+=("zlib1g") ;;
        *) echo "build-deb.sh: the binary links $needed; add its package to build-deb.sh" >&2; exit 1 ;;
    esac
done < <("${readelf}" -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')

# Run-time: LibraryImport/DllImport names are stored as plain strings in a Native AOT binary and
# resolved with dlopen at first call, so readelf cannot see them. The box always plays through
# ALSA; the others are added when the binary actually binds them.
depends+=("libasound2 | libasound2t64")
strings_list="$(strings -a "$binary")"
has_lib() { grep -qxE "$1" <<<"$strings_list"; }
if has_lib '(lib)?portaudio(\.so(\.[0-9]+)*)?'; then depends+=("libportaudio2"); fi
if has_lib 'libsoxr\.so(\.[0-9]+)*'; then depends+=("libsoxr0"); fi # sample-rate conversion (render --rate, album --cd)
# The remote web page's secret (random, SHA-256, HMAC) goes through System.Security.Cryptography, which loads OpenSSL
# with dlopen ("No usable version of libssl was found" and an abort without it, seen under qemu).
if has_lib 'libssl\.so\.3'; then depends+=("libssl3 | libssl3t64"); fi
# System.Device.Gpio carries both libgpiod bindings and picks at run time the one whose library is installed
# (LibGpiodDriverFactory: libgpiod.so.2 -> its V1 driver, the default; libgpiod.so.3 -> V2), so a binary with both
# names works with bookworm's libgpiod2 and with trixie's libgpiod3. Only a binary that can use nothing but
# libgpiod.so.3 would not install on bookworm.
if has_lib 'libgpiod\.so\.3' && ! has_lib '(lib)?gpiod(\.so(\.2)?)?'; then
    echo "build-deb.sh: the binary binds only libgpiod.so.3 (libgpiod 2.x), which Debian bookworm does not have" >&2
    exit 1
fi
if has_lib '(lib)?gpiod(\.so(\.2)?)?'; then
    if has_lib 'libgpiod\.so\.3'; then depends+=("libgpiod2 | libgpiod3"); else depends+=("libgpiod2"); fi
fi
if has_lib '(lib)?ebur128(\.so(\.[0-9]+)*)?'; then depends+=("libebur128-1"); fi
# Plots (render/measure --plot): ScottPlot draws with SkiaSharp, whose native library the publish puts beside the binary.
# It goes to /usr/lib/hardwaremaster/ (the binary looks there, see firmware-app/Reports/Plots/PlotNative.cs); it needs
# only glibc. It is the "NoDependencies" build (no fontconfig), so the figure's font is named by file: DejaVu Sans.
# libHarfBuzzSharp.so is never loaded (plain Latin text only) and is not shipped.
skia="$work/publish/libSkiaSharp.so"
if [ -f "$skia" ]; then
    while read -r needed; do
        case "$needed" in
            libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*) ;;
            *) echo "build-deb.sh: libSkiaSharp.so links $needed; add its package to build-deb.sh" >&2; exit 1 ;;
        esac
    done < <("${readelf}" -d "$skia" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    depends+=("fonts-dejavu-core")
fi
if [ -n "${EXTRA_DEPENDS:-}" ]; then depends+=("$EXTRA_DEPENDS"); fi
depends_field="$(IFS=,; echo "${depends[*]}" | sed 's/,/, /g')"

# --- package tree -----------------------------------------------------------------------------
pkg="$work/pkg"
install -D -m 0755 "$binary" "$pkg/usr/bin/hardwaremaster"
if [ -f "$skia" ]; then
    install -D -m 0644 "$skia" "$pkg/usr/lib/hardwaremaster/libSkiaSharp.so" # already stripped upstream
fi
install -D -m 0644 "$here/hardwaremaster.service" "$pkg/lib/systemd/system/hardwaremaster.service"
install -D -m 0644 "$here/config.json" "$pkg/etc/hardwaremaster/config.json"
install -D -m 0644 "$here/remote-control.conf" "$pkg/usr/share/hardwaremaster/remote-control.conf" # the network drop-in, off until linked
for profile in "$here"/profiles/*.json; do install -D -m 0644 "$profile" "$pkg/usr/share/hardwaremaster/profiles/$(basename "$profile")"; done
install -D -m 0644 "$here/README.md" "$pkg/usr/share/doc/hardwaremaster/README.md"
install -d -m 0755 "$pkg/DEBIAN"
install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$pkg/DEBIAN/"
install -m 0644 "$here/debian/conffiles" "$pkg/DEBIAN/conffiles"

if command -v jq >/dev/null; then
    jq empty "$here/config.json" || { echo "build-deb.sh: deploy-pi/config.json is not valid JSON" >&2; exit 1; }
fi

installed_size_kb="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat >"$pkg/DEBIAN/control" <<EOF
Package: hardwaremaster
Version: $deb_version
Architecture: $arch
Maintainer: HardwareMaster <hardwaremaster@localhost>
Installed-Size: $installed_size_kb
Depends: $depends_field
Suggests: alsa-utils
Section: sound
Priority: optional
Description: outboard audio mastering engine (Native AOT, headless service)
 HardwareMaster turns a Raspberry Pi with an I2S audio HAT, rotary encoders,
 buttons and an I2C OLED into a stereo mastering box: EQ, multiband
 compression, limiting and EBU R128 / ITU-R BS.1770 loudness metering.
 .
 The package installs /usr/bin/hardwaremaster, a sandboxed real-time systemd
 service running as the hardwaremaster user, the default configuration in
 /etc/hardwaremaster/config.json and state in /var/lib/hardwaremaster.
EOF

mkdir -p "$out_dir"
deb="$out_dir/hardwaremaster_${deb_version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
if [ -f "$work/publish/hardwaremaster.dbg" ]; then
    cp "$work/publish/hardwaremaster.dbg" "$out_dir/hardwaremaster_${deb_version}_${arch}.dbg"
fi

log "Depends: $depends_field"
log "binary $(stat -c %s "$binary") bytes, package $(stat -c %s "$deb") bytes"
echo "$deb"
