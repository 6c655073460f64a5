#!/usr/bin/env bash
# OBEX push benchmark over loopback TCP: our client vs obexftp, to our
# server and to a PyOBEX server; 64 KB and 1 MB. Builds the release binary as installed (static Swift runtime).
#   bench/obex/run.sh                       (BENCH_ROUNDS_64K=30 BENCH_ROUNDS_1M=15 by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product psacaster 2>&1 | tail -n 1   # as installed on a Pi (docs/service.md)
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)/psacaster
PY=${PSACASTER_VENV:-$PWD/.venv}/bin/python
"$PY" -c 'import PyOBEX' 2>/dev/null || { echo "bench/obex: PyOBEX missing in $PY: run scripts/setup.sh" >&2; exit 1; }
command -v obexftp >/dev/null || echo "bench/obex: obexftp not installed: only our client is measured" >&2
echo "bench/obex: $(date -u +%FT%TZ), $(nproc) CPUs, $(uname -m)"
exec "$PY" bench/obex/bench.py "$BIN" "$PY" bench/obex/pyobex_peer.py
