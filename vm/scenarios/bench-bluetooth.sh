# Benchmark (bench/bluetooth): phone 1 becomes discoverable → psacaster finds
# it by inquiry (1.28 s windows) → push of a 50 KB announcement with SDP
# lookup; median over ROUNDS (first argument, default 5), split into
# discovery / SDP / RFCOMM connect / OBEX transfer. Discovery is measured
# with one `psacaster scan --duration 1.28` process per window, so it includes
# process start-up under TCG; the scan windows needed are recorded too.
ROUNDS=${1:-5}
head -c 51200 /dev/urandom > announcement.opus
: > rounds.txt
for r in $(seq 1 "$ROUNDS"); do
    phone_discoverable 1 off
    drain_links
    cp announcement.opus "round-$r.opus"
    T0=$(now)
    phone_discoverable 1 on
    T0b=$(now)
    found=""
    for w in $(seq 1 20); do
        S0=$(now)
        psa scan --duration 1.28 --no-names --json > scan.json 2>/dev/null
        S1=$(now)
        grep -q "$PHONE_ADDR_1" scan.json && { found=yes; break; }
    done
    T1=$(now)
    [ -n "$found" ] || fail "round $r: phone 1 not found"
    psa push "round-$r.opus" --to "$PHONE_ADDR_1" > push.txt 2> push.err || fail "round $r: push failed: $(cat push.txt push.err)"
    T2=$(now)
    sdp=$(sed -n 's/.*SDP lookup \([0-9.]*\) s.*/\1/p' push.err)
    conn=$(sed -n 's/.*RFCOMM connect from [a-z0-9]* \([0-9.]*\) s.*/\1/p' push.err)
    grep -q attempts push.err && result "BENCH_ROUND_${r}_CONNECT_RETRIED" yes
    xfer=$(sed -n 's/.* bytes in \([0-9.]*\) s.*/\1/p' push.txt)
    check "round $r delivered intact" test "$(sha256 announcement.opus)" = "$(sha256 "$(received_path 1 "round-$r.opus")")"
    echo "$r $(elapsed "$T0" "$T1") $sdp $conn $xfer $(elapsed "$T0" "$T2") $(elapsed "$T0" "$T0b") $w $(elapsed "$S0" "$S1")" >> rounds.txt
    log "round $r: discovery $(elapsed "$T0" "$T1") s, SDP $sdp s, connect $conn s, transfer $xfer s, total $(elapsed "$T0" "$T2") s"
done
median() { sort -n | awk '{a[NR]=$1} END{ if (NR%2) printf "%.2f", a[(NR+1)/2]; else printf "%.2f", (a[NR/2]+a[NR/2+1])/2 }'; }
result BENCH_ROUNDS "$ROUNDS"
result BENCH_BYTES 51200
i=2; for k in discovery sdp connect transfer total; do
    result "BENCH_MEDIAN_${k}_S" "$(awk -v c=$i '{print $c}' rounds.txt | median)"
    i=$((i + 1))
done
result BENCH_MEDIAN_make_discoverable_call_S "$(awk '{print $7}' rounds.txt | median)"
result BENCH_MEDIAN_scan_windows "$(awk '{print $8}' rounds.txt | median)"
result BENCH_MEDIAN_finding_scan_process_S "$(awk '{print $9}' rounds.txt | median)"
