#!/usr/bin/env bash
# Boots a Debian kernel under qemu with a real BlueZ stack on virtual
# controllers (btvirt): hci0 is the Pi, hci1..hciN are phones running obexd.
# The host root is shared read-only, so the psacaster built in this checkout
# runs inside. One boot runs every scenario named, in order.
#
# usage: vm/run.sh [options] SCENARIO... [-- ARGS for every scenario]
#   SCENARIO       a name (vm/scenarios/NAME.sh) or a path to a .sh file
#   --phones N     phone controllers (default 3, at most 8)
#   --env K=V      export K=V in the guest (repeatable)
#   --timeout S    wall-clock limit for the whole VM (default 900)
#   --accel A      tcg (default) | kvm | auto (KVM probe, then TCG)
#   --debug        bluetoothd/obexd debug logs (-d)
#   --clean        drop the cached kernel and initramfs first
# env: PSACASTER_VM_WORK  work/cache dir (default vm/work in this checkout)
#      PSACASTER_VM_OUT   results dir (default $WORK/out), so several runs keep their evidence
# Results: $WORK/out/ (result.env, summary.txt, scenarios/NAME.log, daemon logs,
# hci.btsnoop). Exit 0 when every scenario passed, 1 when one failed, 2 usage,
# 3+ harness failure.
set -euo pipefail
VM_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$VM_DIR/.." && pwd)
WORK=${PSACASTER_VM_WORK:-$VM_DIR/work}
PHONES=3; TIMEOUT_S=900; ACCEL=tcg; DEBUG=0; CLEAN=0
SCENARIOS=(); ENVS=(); SARGS=()
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --phones) PHONES=$2; shift;;
        --env) ENVS+=("$2"); shift;;
        --timeout) TIMEOUT_S=$2; shift;;
        --accel) ACCEL=$2; shift;;
        --debug) DEBUG=1;;
        --clean) CLEAN=1;;
        -h|--help) usage; exit 0;;
        --) shift; SARGS=("$@"); break;;
        -*) echo "vm/run.sh: unknown option $1 (see --help)" >&2; exit 2;;
        *) SCENARIOS+=("$1");;
    esac; shift
done
[ ${#SCENARIOS[@]} -gt 0 ] || { echo "vm/run.sh: name at least one scenario (ls $VM_DIR/scenarios)" >&2; exit 2; }
case "$PHONES" in [1-8]) ;; *) echo "vm/run.sh: --phones must be 1..8" >&2; exit 2;; esac
SCRIPTS=()
for s in "${SCENARIOS[@]}"; do
    if [ -f "$s" ]; then f=$(cd "$(dirname "$s")" && pwd)/$(basename "$s"); else f=$VM_DIR/scenarios/$s.sh; fi
    [ -f "$f" ] || { echo "vm/run.sh: no scenario $s ($f)" >&2; exit 2; }
    SCRIPTS+=("$f")
done

now() { date +%s.%N; }
dt()  { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }
say() { echo "[vm $(date +%T)] $*"; }
T_ALL0=$(now)
# the guest mounts tmpfs over these paths, hiding anything below them
for p in "$VM_DIR" "$WORK"; do
    case "$p/" in /tmp/*|/run/*|/var/tmp/*|/root/*|/var/lib/bluetooth/*)
        echo "vm/run.sh: $p is hidden inside the guest (tmpfs there); use a checkout or PSACASTER_VM_WORK elsewhere, e.g. under /work or /srv" >&2; exit 2;; esac
done

ARCH=$(uname -m)
case "$ARCH" in
    x86_64)  QEMU=qemu-system-x86_64; KPKG_META=linux-image-amd64; CONSOLE=ttyS0
             QEMU_MACHINE=(); KARCH_DIR=x86 ;;
    aarch64) QEMU=qemu-system-aarch64; KPKG_META=linux-image-arm64; CONSOLE=ttyAMA0
             QEMU_MACHINE=(-M virt -cpu max); KARCH_DIR=arm64 ;;   # untested
    *) echo "vm/run.sh: unsupported host architecture $ARCH" >&2; exit 3;;
esac
need=""
for t in "$QEMU" btvirt bluetoothd busybox cpio depmod dbus-daemon btmgmt hcitool; do
    command -v "$t" >/dev/null 2>&1 || [ -x /usr/libexec/bluetooth/"$t" ] || [ -x /bin/"$t" ] || need="$need $t"
done
[ -x /usr/libexec/bluetooth/obexd ] || need="$need obexd"
[ -z "$need" ] || { echo "vm/run.sh: missing tools:$need. Run scripts/setup.sh (installs the VM packages)." >&2; exit 3; }

PSA_BIN=""
for c in "$REPO/.build/debug/psacaster" "$REPO/.build/release/psacaster"; do
    [ -x "$c" ] && { [ -z "$PSA_BIN" ] || [ "$c" -nt "$PSA_BIN" ]; } && PSA_BIN=$c
done
[ -n "$PSA_BIN" ] || say "note: no built psacaster in $REPO/.build (run 'swift build'); scenarios that need it will fail"

[ "$CLEAN" = 1 ] && rm -rf "$WORK/kernel" "$WORK/initramfs.gz"
mkdir -p "$WORK"
exec 9>"$WORK/.lock"
flock -n 9 || { say "another vm/run.sh uses $WORK; waiting for it"; flock 9; }

# ------------------------------------------------ kernel: apt-get download + dpkg -x, only what we boot
KDIR=$WORK/kernel
if [ ! -f "$KDIR/vmlinuz" ]; then
    say "fetching the Debian kernel ($KPKG_META) with apt-get download"
    T0=$(now)
    rm -rf "$KDIR" "$WORK/debs"; mkdir -p "$WORK/debs"
    ( cd "$WORK/debs"
      apt-get download "$KPKG_META" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$KPKG_META" >/dev/null; }
      KPKG=$(dpkg-deb -f "$KPKG_META"_*.deb Depends | sed 's/[ ,(|].*//')
      apt-get download "$KPKG" >/dev/null 2>&1
      dpkg -x "$KPKG"_*.deb root )
    KVER=$(ls "$WORK/debs/root/lib/modules")
    MSRC=$WORK/debs/root/lib/modules/$KVER
    mkdir -p "$KDIR/modules/$KVER"
    # keep only the module subtrees the guest loads (the full tree is ~400 MB)
    for d in kernel/drivers/virtio kernel/net/9p kernel/fs/9p kernel/fs/netfs kernel/fs/fscache \
             kernel/net/bluetooth kernel/drivers/bluetooth kernel/net/rfkill \
             kernel/crypto kernel/arch/$KARCH_DIR/crypto kernel/lib; do
        [ -d "$MSRC/$d" ] || continue
        mkdir -p "$KDIR/modules/$KVER/$(dirname "$d")"; cp -a "$MSRC/$d" "$KDIR/modules/$KVER/$d"
    done
    cp "$MSRC"/modules.builtin* "$MSRC/modules.order" "$KDIR/modules/$KVER/"
    cp "$WORK/debs/root/boot/vmlinuz-$KVER" "$KDIR/vmlinuz"
    echo "$KVER" > "$KDIR/version"
    rm -rf "$WORK/debs"
    say "kernel $KVER ready in $(dt "$T0" "$(now)")s"
fi
KVER=$(cat "$KDIR/version")

# ------------------------------------------------ initramfs (rebuilt when guest/init.sh changes)
STAMP=$(cat "$VM_DIR/guest/init.sh" "$KDIR/version" | sha256sum | cut -c1-16)
if [ ! -f "$WORK/initramfs.gz" ] || [ "$(cat "$WORK/initramfs.stamp" 2>/dev/null)" != "$STAMP" ]; then
    IR=$WORK/initramfs
    rm -rf "$IR"; mkdir -p "$IR"/{bin,sbin,proc,sys,dev,newroot,lib/modules}
    cp "$(command -v busybox)" "$IR/bin/busybox"
    cp "$VM_DIR/guest/init.sh" "$IR/init"; chmod 755 "$IR/init"
    cp -a "$KDIR/modules/$KVER" "$IR/lib/modules/"
    depmod -b "$IR" "$KVER"
    # ecb/cmac/algif: btvirt's SMP crypto goes through AF_ALG sockets
    echo "virtio_pci virtio_mmio 9pnet_virtio 9p bluetooth hci_vhci rfcomm bnep ecb cmac algif_skcipher algif_hash" > "$IR/modules.list"
    ( cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1 > "$WORK/initramfs.gz" )
    echo "$STAMP" > "$WORK/initramfs.stamp"
    rm -rf "$IR"
fi

# ------------------------------------------------ run description for the guest
OUT=${PSACASTER_VM_OUT:-$WORK/out}
rm -rf "$OUT"; mkdir -p "$OUT/scenarios"
{
    echo "VM_REPO=$(printf %q "$REPO")"
    echo "VM_DIR=$(printf %q "$VM_DIR")"
    echo "PHONE_COUNT=$PHONES"
    echo "VM_DEBUG=$DEBUG"
    echo "PSACASTER=$(printf %q "$PSA_BIN")"
    printf 'VM_SCENARIOS=('; for f in "${SCRIPTS[@]}"; do printf '%q ' "$f"; done; echo ')'
    printf 'VM_SCENARIO_ARGS=('; for a in "${SARGS[@]+"${SARGS[@]}"}"; do printf '%q ' "$a"; done; echo ')'
    for e in "${ENVS[@]+"${ENVS[@]}"}"; do echo "export $(printf %q "${e%%=*}")=$(printf %q "${e#*=}")"; done
} > "$OUT/run.env"

# a small valid Ogg Opus announcement for scenarios (made on the host: TCG is slow)
if [ ! -s "$WORK/media/sample.opus" ] && command -v espeak-ng >/dev/null && command -v opusenc >/dev/null; then
    mkdir -p "$WORK/media"
    espeak-ng -w "$WORK/media/sample.wav" "This is a sample announcement for testing. The helpline is free and confidential. Call any time, day or night." 2>/dev/null \
        && opusenc --quiet --bitrate 24 "$WORK/media/sample.wav" "$WORK/media/sample.opus" 2>/dev/null || rm -f "$WORK/media/sample.opus"
    rm -f "$WORK/media/sample.wav"
fi
mkdir -p "$OUT/media"; [ -s "$WORK/media/sample.opus" ] && cp "$WORK/media/sample.opus" "$OUT/media/"

QEMU_PID=""; TAIL_PID=""
cleanup() {
    [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null || true
    [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
SERIAL=$OUT/serial.log; : > "$SERIAL"
start_qemu() {
    T_Q0=$(now)
    "$QEMU" "${QEMU_MACHINE[@]+"${QEMU_MACHINE[@]}"}" "$@" -m 1024 -smp 2 -no-reboot -display none -monitor none \
        -serial "file:$SERIAL" -nic none \
        -kernel "$KDIR/vmlinuz" -initrd "$WORK/initramfs.gz" \
        -append "console=$CONSOLE loglevel=4 panic=-1 psa.session=$VM_DIR/guest/session.sh" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$OUT,mount_tag=psaout,security_model=none,multidevs=remap" \
        > "$OUT/qemu.stderr" 2>&1 &
    QEMU_PID=$!
}
wait_marker() { # wait_marker REGEX TIMEOUT_S
    local end=$(( $(date +%s) + $2 ))
    while ! grep -qa -E "$1" "$SERIAL"; do
        kill -0 "$QEMU_PID" 2>/dev/null || return 1
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.1
    done
}
USED=""
if [ "$ACCEL" = kvm ] || [ "$ACCEL" = auto ]; then
    if [ -w /dev/kvm ]; then
        start_qemu -accel kvm -cpu host
        if wait_marker 'PSAVM rootfs_ready' 20; then USED=kvm; else
            say "KVM did not boot within 20 s; falling back to TCG"
            kill "$QEMU_PID" 2>/dev/null; wait "$QEMU_PID" 2>/dev/null || true; QEMU_PID=""; : > "$SERIAL"
        fi
    fi
    [ -z "$USED" ] && [ "$ACCEL" = kvm ] && { say "FAIL: KVM requested but not usable"; exit 4; }
fi
if [ -z "$USED" ]; then
    start_qemu -accel tcg
    USED=tcg
    wait_marker 'PSAVM rootfs_ready' 180 || { say "FAIL: guest did not boot"; tail -n 30 "$SERIAL"; exit 5; }
fi
T_BOOT=$(dt "$T_Q0" "$(now)")
say "booted ($USED) in ${T_BOOT}s; $PHONES phone(s); scenarios: ${SCENARIOS[*]}"

tail -n +1 -f --pid="$QEMU_PID" "$SERIAL" | sed -u 's/\r//g; /^[[:space:]]*$/d; s/^/  guest| /' &
TAIL_PID=$!
end=$(( $(date +%s) + TIMEOUT_S ))
while kill -0 "$QEMU_PID" 2>/dev/null; do
    if [ "$(date +%s)" -gt "$end" ]; then say "FAIL: VM still running after ${TIMEOUT_S}s; stopping it"; kill "$QEMU_PID"; break; fi
    sleep 0.5
done
wait "$QEMU_PID" 2>/dev/null || true; QEMU_PID=""
T_VM=$(dt "$T_Q0" "$(now)")
sleep 0.3; kill "$TAIL_PID" 2>/dev/null || true; wait "$TAIL_PID" 2>/dev/null || true; TAIL_PID=""

# ------------------------------------------------ summary
[ -s "$OUT/hci.btsnoop" ] && btmon -r "$OUT/hci.btsnoop" > "$OUT/hci-trace.txt" 2>&1 || true
GRC=$(cat "$OUT/guest_rc" 2>/dev/null || echo none)
{
    echo "==== vm/run.sh summary ($USED, $PHONES phones) ===="
    echo "boot (qemu start -> root fs)  ${T_BOOT}s"
    echo "whole VM (qemu start -> off)  ${T_VM}s"
    grep -E '^T_[A-Za-z0-9_]+=' "$OUT/result.env" 2>/dev/null | sed 's/^T_/  time /; s/=/ = /; s/$/ s/' || true
    grep -E '^SCENARIO ' "$OUT/result.env" 2>/dev/null || echo "no scenario results (guest rc=$GRC)"
    echo "logs: $OUT"
} | tee "$OUT/summary.txt"
say "whole run ${T_ALL0:+$(dt "$T_ALL0" "$(now)")}s"
if [ "$GRC" = 0 ] && grep -q '^SCENARIO .* PASS' "$OUT/result.env" && ! grep -q '^SCENARIO .* FAIL' "$OUT/result.env"; then
    echo "vm: PASS"; exit 0
fi
[ "$GRC" = none ] && { echo "vm: ERROR (the guest did not finish)"; exit 3; }
echo "vm: FAIL"; exit 1
