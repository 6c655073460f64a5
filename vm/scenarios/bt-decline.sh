# A phone whose user declines (obexd agent answers Rejected → 0xC3 Forbidden):
# push reports "declined", exits 1, and the phone was asked exactly once.
phone_behaviour 2 decline
cp "$SAMPLE_OPUS" offer-to-decline.opus
psa push offer-to-decline.opus --to "$PHONE_ADDR_2" > push.txt 2>&1; rc=$?
cat push.txt
check "push exits 1 and says declined" sh -c "[ $rc = 1 ] && grep -q '^declined *offer-to-decline.opus' push.txt"
check "phone 2 was asked once and declined" test "$(decisions 2 decline)" = 1
check "phone 2 stored nothing" test ! -e "$(received_path 2 offer-to-decline.opus)"
