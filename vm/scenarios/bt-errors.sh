# Errors a newcomer meets, each one line with its fix: no permission to
# configure the adapter, and a device that does not answer (page timeout).
# Last in the list: Debian's 6.1 guest kernel often hits a BUG (list_del
# corruption in hci_chan_del) when a socket to a device that failed to page is
# closed; the kernel then kills the closing process. When that BUG shows up
# the out-of-range message cannot be checked, and the scenario says so.
setpriv --reuid=65534 --regid=65534 --clear-groups "$PSACASTER" adapters --setup --name "Info Point" > setup.txt 2>&1; rc=$?
cat setup.txt
check "unprivileged --setup: exit 1, permission denied with the setcap fix" sh -c "[ $rc = 1 ] && grep -q 'permission denied. Run as root, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin+eip' setup.txt"
setpriv --reuid=65534 --regid=65534 --clear-groups "$PSACASTER" scan --duration 1 > scan.txt 2>&1; rc=$?
cat scan.txt
result UNPRIVILEGED_SCAN_RC "$rc"
check "unprivileged scan: works or names the fix" sh -c "[ $rc = 0 ] || grep -q 'setcap cap_net_raw' scan.txt"

cp "$SAMPLE_OPUS" helpline-en.opus
bugs_before=$(dmesg | grep -c "kernel BUG")
T0=$(now)
psa push helpline-en.opus --to 00:AA:01:09:09:09 --connect-timeout 30 > push.txt 2>&1; rc=$?
timing out_of_range_answer "$(elapsed "$T0" "$(now)")"
cat push.txt
if [ "$(dmesg | grep -c "kernel BUG")" != "$bugs_before" ]; then
    result OUT_OF_RANGE_CHECK "not checked: guest kernel BUG in hci_chan_del (rc=$rc)"
    log "out-of-range message not checked: the guest kernel hit its hci_chan_del BUG"
else
    check "absent device: exit 1, out of range with the fix" sh -c "[ $rc = 1 ] && grep -q 'did not answer (out of range, switched off, or page timeout). Move closer' push.txt"
fi
