# The phone goes away mid-transfer (its controller powered off once it has
# stored 16 KiB): push reports "link lost" well within its packet deadline.
head -c 1500000 /dev/urandom > big-recording.opus
drop_link_when_receiving 3 16384
T0=$(now)
psa push big-recording.opus --to "$PHONE_ADDR_3" --packet-timeout 15 > push.txt 2>&1; rc=$?
T1=$(now)
T=$(elapsed "$T0" "$T1")
timing link_lost_push_total "$T"
check "the phone was powered off mid-transfer" test -f /run/psa-vm/dropped-at
timing link_lost_power_off_to_exit "$(elapsed "$(cat /run/psa-vm/dropped-at)" "$T1")"
cat push.txt
check "push exits 1 and says link lost" sh -c "[ $rc = 1 ] && grep -q '^link-lost *big-recording.opus' push.txt"
check "within the deadline (< 20 s)" awk -v t="$T" 'BEGIN{exit !(t < 20)}'
check "the phone had accepted the file before it went away" test "$(decisions 3 accept)" = 1
