#!/usr/bin/env bash
# arm-jdk.sh - an arm64 (aarch64) OpenJDK 25 that runs on this x86-64 machine under qemu-user,
# installed into .arm-jdk/ at the repository root (git-ignored), for the kernels-arm tests.
#
#   usage:  tools/arm-jdk.sh            (as root, or with passwordless sudo, on Debian/Ubuntu)
#   prints: the path of the wrapper, .arm-jdk/jdk-arm64/bin/java, on the last line of stdout
#   env:    ARM_JDK=25                  Debian trixie's openjdk-$ARM_JDK-jre-headless:arm64
#           ARM_MIRROR / ARM_SECMIRROR  Debian mirrors (default deb.debian.org)
#
# Idempotent: when .arm-jdk/jdk-arm64/bin/java already starts, nothing is downloaded.
#
# How (only Debian packages, nothing on the host changes but the qemu-user package):
#   1. apt-get install qemu-user (gives /usr/bin/qemu-aarch64). No binfmt registration, no
#      foreign dpkg architecture, no new /etc/apt source.
#   2. A private apt root in .arm-jdk/apt (own sources.list, lists, cache, empty dpkg status)
#      for Debian trixie, arm64 only; `apt-get download` fetches five .debs (~56 MB):
#      openjdk-25-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g.
#   3. dpkg-deb -x into .arm-jdk/sysroot (no maintainer scripts), usrmerge link lib -> usr/lib,
#      and the JDK's absolute symlinks (/etc/java-25-openjdk/...) made relative inside the
#      sysroot, else java.security and friends resolve on the host and are missing.
#   4. .arm-jdk/jdk-arm64/bin/java: a wrapper running qemu-aarch64 -L sysroot .../bin/java with
#      QEMU_CPU=neoverse-n1 (NEON only, so the Vector API's preferred species is 128 bits), next
#      to the JDK's `release` file so that Surefire's <jvm> can read the Java version.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.arm-jdk"
ARM_JDK=${ARM_JDK:-25}
SUITE=trixie
MIRROR=${ARM_MIRROR:-http://deb.debian.org/debian}
SECMIRROR=${ARM_SECMIRROR:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
PKGS="openjdk-${ARM_JDK}-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g"
W="$DEST/jdk-arm64"
S="$DEST/sysroot"

log() { echo "arm-jdk: $*" >&2; }

if [ -x "$W/bin/java" ] && "$W/bin/java" -version >/dev/null 2>&1; then
    log "already installed ($("$W/bin/java" -version 2>&1 | head -1))"
    echo "$W/bin/java"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "needs root (or sudo) to apt-get install qemu-user"; exit 1; }
    SUDO="sudo"
fi
command -v apt-get >/dev/null || { log "needs apt-get (a Debian or Ubuntu host)"; exit 1; }

t0=$(date +%s)

# 1. host packages: the emulator, and Debian's archive keys for the private trixie source
need=""
command -v qemu-aarch64 >/dev/null || need="$need qemu-user"
[ -f "$KEYRING" ] || need="$need debian-archive-keyring"
command -v dpkg-deb >/dev/null || need="$need dpkg"
if [ -n "$need" ]; then
    log "installing$need"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
QEMU=$(command -v qemu-aarch64)

# 2. private apt root for trixie/arm64 (does not touch /etc/apt or /var/lib/apt)
A="$DEST/apt"
mkdir -p "$A"/etc/{sources.list.d,preferences.d,apt.conf.d} "$A"/state/lists/partial \
         "$A"/cache/archives/partial "$A"/status
: > "$A/status/status"
cat > "$A/etc/sources.list" <<SRC
deb [arch=arm64 signed-by=$KEYRING] $MIRROR $SUITE main
deb [arch=arm64 signed-by=$KEYRING] $MIRROR $SUITE-updates main
deb [arch=arm64 signed-by=$KEYRING] $SECMIRROR $SUITE-security main
SRC
cat > "$A/apt.conf" <<CONF
Dir::Etc::sourcelist "$A/etc/sources.list";
Dir::Etc::sourceparts "$A/etc/sources.list.d";
Dir::Etc::preferencesparts "$A/etc/preferences.d";
Dir::Etc::parts "$A/etc/apt.conf.d";
Dir::State "$A/state";
Dir::State::status "$A/status/status";
Dir::Cache "$A/cache";
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
Acquire::Languages "none";
CONF
log "downloading $PKGS (arm64, Debian $SUITE)"
APT_CONFIG="$A/apt.conf" apt-get update -qq
rm -rf "$DEST/debs"
mkdir -p "$DEST/debs"
# apt-get download runs as the _apt user when root: let it write the folder
chmod 777 "$DEST/debs"
( cd "$DEST/debs" && APT_CONFIG="$A/apt.conf" apt-get download -qq $PKGS )

# 3. unpack into a sysroot
rm -rf "$S"
mkdir -p "$S"
for d in "$DEST"/debs/*.deb; do dpkg-deb -x "$d" "$S"; done
ln -sfn usr/lib "$S/lib"   # trixie is usrmerged: the loader is looked up as /lib/ld-linux-aarch64.so.1
find "$S" -type l -lname '/*' | while read -r l; do
    t=$(readlink "$l")
    if [ -e "$S$t" ]; then ln -sfnr "$S$t" "$l"; fi   # the rest (cacerts) keep the host's file
done
JH="$S/usr/lib/jvm/java-$ARM_JDK-openjdk-arm64"
[ -x "$JH/bin/java" ] || { log "no JDK found at $JH after unpacking"; exit 1; }

# 4. a wrapper that looks like a JDK home
rm -rf "$W"
mkdir -p "$W/bin"
cp "$JH/release" "$W/release"
cat > "$W/bin/java" <<WRAP
#!/bin/sh
# arm64 OpenJDK $ARM_JDK (Debian $SUITE) under qemu user-mode emulation (written by tools/arm-jdk.sh).
# QEMU_CPU defaults to neoverse-n1: NEON only, 128-bit vectors.
: "\${QEMU_CPU:=neoverse-n1}"
export QEMU_CPU
exec $QEMU -L $S $JH/bin/java "\$@"
WRAP
chmod +x "$W/bin/java"

"$W/bin/java" -version >&2
log "installed in $(( $(date +%s) - t0 )) s ($(du -cb "$DEST"/debs/*.deb | tail -1 | cut -f1 | awk '{printf "%.0f MB", $1/1e6}') of .debs)"
echo "$W/bin/java"
