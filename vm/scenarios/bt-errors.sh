# Errors a newcomer meets, each one line with its fix: a device that does not
# answer (page timeout), and no permission to configure the adapter.
# Last in the list: a failed page can leave the emulated stack unstable.
cp "$SAMPLE_OPUS" helpline-en.opus
T0=$(now)
psa push helpline-en.opus --to 00:AA:01:09:09:09 --connect-timeout 30 > push.txt 2>&1; rc=$?
timing out_of_range_answer "$(elapsed "$T0" "$(now)")"
cat push.txt
check "absent device: exit 1, out of range with the fix" sh -c "[ $rc = 1 ] && grep -q 'did not answer (out of range, switched off, or page timeout). Move closer' push.txt"
drain_links
setpriv --reuid=65534 --regid=65534 --clear-groups "$PSACASTER" adapters --setup --name "Info Point" > setup.txt 2>&1; rc=$?
cat setup.txt
check "unprivileged --setup: exit 1, permission denied with the setcap fix" sh -c "[ $rc = 1 ] && grep -q 'permission denied. Run as root, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin+eip' setup.txt"
setpriv --reuid=65534 --regid=65534 --clear-groups "$PSACASTER" scan --duration 1 > scan.txt 2>&1; rc=$?
cat scan.txt
result UNPRIVILEGED_SCAN_RC "$rc"
check "unprivileged scan: works or names the fix" sh -c "[ $rc = 0 ] || grep -q 'setcap cap_net_raw' scan.txt"
