# The phone goes away mid-transfer (its controller powered off once it has
# stored 16 KiB): push reports "link lost" well within its packet deadline.
head -c 1500000 /dev/urandom > big-recording.opus
drop_link_when_receiving 3 16384
T0=$(now)
psa push big-recording.opus --to "$PHONE_ADDR_3" --packet-timeout 15 > push.txt 2>&1; rc=$?
T=$(elapsed "$T0" "$(now)")
timing link_lost_detected "$T"
cat push.txt
check "push exits 1 and says link lost" sh -c "[ $rc = 1 ] && grep -q '^link-lost *big-recording.opus' push.txt"
check "within the deadline (< 20 s)" awk -v t="$T" 'BEGIN{exit !(t < 20)}'
check "the phone had started receiving" test -n "$(ls "$RECV_ROOT/phone-3/" 2>/dev/null)"
