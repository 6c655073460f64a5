#!/usr/bin/python3
"""Adapter setup over bluetoothd's D-Bus API, in one process (each dbus-send
costs ~0.6 s under TCG).

usage: adapters.py setup PHONE_COUNT      wait for hci0..hciN, name the phones
                                          "phone-N", make them discoverable (not bondable)
       adapters.py discoverable hciN on|off
"""
import sys
import time

import dbus

bus = dbus.SystemBus()


def adapter(hci):
    return dbus.Interface(bus.get_object("org.bluez", "/org/bluez/" + hci),
                          "org.freedesktop.DBus.Properties")


def wait_adapter(hci, timeout=30.0):
    end = time.monotonic() + timeout
    while True:
        try:
            return adapter(hci).Get("org.bluez.Adapter1", "Address")
        except dbus.exceptions.DBusException:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def setup(count):
    for i in range(0, count + 1):
        wait_adapter("hci%d" % i)
    for i in range(1, count + 1):
        p = adapter("hci%d" % i)
        p.Set("org.bluez.Adapter1", "Alias", dbus.String("phone-%d" % i))
        p.Set("org.bluez.Adapter1", "Powered", dbus.Boolean(True))
        # Not bondable, like the Pi: each push pairs afresh (Just Works) and
        # the link key is dropped at disconnect. A bondable phone keeps the
        # key, and on the next pairing its kernel asks bluetoothd to confirm
        # ("already has link key"); with no agent that is refused.
        p.Set("org.bluez.Adapter1", "Pairable", dbus.Boolean(False))
        p.Set("org.bluez.Adapter1", "Discoverable", dbus.Boolean(True))
    adapter("hci0").Set("org.bluez.Adapter1", "Powered", dbus.Boolean(True))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]))
    elif sys.argv[1] == "discoverable":
        adapter(sys.argv[2]).Set("org.bluez.Adapter1", "Discoverable",
                                 dbus.Boolean(sys.argv[3] == "on"))
    else:
        sys.exit("unknown command " + sys.argv[1])
