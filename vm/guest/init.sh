#!/bin/busybox sh
# /init of the busybox initramfs (PID 1 in the guest): load the modules,
# mount the host root read-only over 9p and the writable results share, put
# tmpfs over the paths the stack writes to, chroot and run the session script
# named by psa.session=, then power off. The exit code reaches the host through
# out/guest_rc and a "PSAVM guest_rc=N" console line.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
up() { cut -d' ' -f1 /proc/uptime; }
echo "PSAVM initramfs $(up)"
# the kernel's request_module() (e.g. crypto templates btvirt asks for) needs this
mkdir -p /sbin && ln -sf /bin/busybox /sbin/modprobe
for m in $(cat /modules.list); do modprobe "$m" 2>/dev/null; done
session=""
for a in $(cat /proc/cmdline); do case "$a" in psa.session=*) session="${a#psa.session=}";; esac; done
R=/newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot $R \
    || { echo "PSAVM FATAL cannot mount the host root"; echo "PSAVM guest_rc=90"; poweroff -f; }
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts && mount -t devpts devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmp $R/tmp
mount -t tmpfs -o mode=755 run $R/run
mount -t tmpfs -o mode=700 btlib $R/var/lib/bluetooth
mount -t tmpfs -o mode=1777 vartmp $R/var/tmp
mount -t tmpfs -o mode=700 roothome $R/root
mkdir -p $R/run/psa-out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 psaout $R/run/psa-out \
    || { echo "PSAVM FATAL cannot mount the results share"; echo "PSAVM guest_rc=91"; poweroff -f; }
echo "PSAVM rootfs_ready $(up)"
chroot $R /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 VM_OUT=/run/psa-out /bin/bash "$session"
rc=$?
echo "$rc" > $R/run/psa-out/guest_rc
sync
umount $R/run/psa-out 2>/dev/null
echo "PSAVM guest_rc=$rc"
poweroff -f
sleep 10
