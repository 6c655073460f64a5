#!/usr/bin/python3
"""Push one file with obexd's own OBEX client (org.bluez.obex.Client1 +
ObjectPush1): the foreign peer for interop tests, e.g. a phone beaming a
recording to the Pi.

usage: obex-client-push.py DEST_ADDR FILE SOURCE_ADDR [TIMEOUT_S] [CHANNEL]
prints "status complete|error|timeout"; exit 0 only on complete.
"""
import sys
import time

import dbus
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

dest, path, source = sys.argv[1:4]
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
channel = int(sys.argv[5]) if len(sys.argv) > 5 else 0

DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
loop = GLib.MainLoop()
state = {"status": "timeout", "transfer": None, "seen": {}}


def changed(iface, props, invalidated, path=None):
    # obexd reports the final Status just before it drops the transfer object,
    # so listen for it instead of polling the object
    if iface == "org.bluez.obex.Transfer1" and "Status" in props:
        state["seen"][path] = str(props["Status"])
        if path == state["transfer"] and state["seen"][path] in ("complete", "error"):
            loop.quit()


bus.add_signal_receiver(changed, "PropertiesChanged", "org.freedesktop.DBus.Properties",
                        path_keyword="path")
client = dbus.Interface(bus.get_object("org.bluez.obex", "/org/bluez/obex"), "org.bluez.obex.Client1")
opts = {"Target": "opp", "Source": source}
if channel:
    opts["Channel"] = dbus.Byte(channel)
t0 = time.monotonic()
session = None
for attempt in (1, 2):
    try:
        session = client.CreateSession(dest, opts, timeout=timeout)
        break
    except dbus.exceptions.DBusException as e:
        # Right after a fresh pairing the receiving kernel may refuse the
        # channel (security block: it has not read the new key size yet);
        # one retry on the still-encrypted link succeeds. Same as psacaster.
        if attempt == 1 and "Connection refused" in (e.get_dbus_message() or ""):
            print("session refused; retrying once", flush=True)
            time.sleep(0.5)
            continue
        print("status error (session: %s)" % e.get_dbus_message(), flush=True)
        sys.exit(1)
opp = dbus.Interface(bus.get_object("org.bluez.obex", session), "org.bluez.obex.ObjectPush1")
try:
    transfer, _ = opp.SendFile(path)
    state["transfer"] = str(transfer)
    if state["seen"].get(state["transfer"]) in ("complete", "error"):
        pass
    else:
        GLib.timeout_add(int(timeout * 1000), loop.quit)
        loop.run()
    state["status"] = state["seen"].get(state["transfer"], "timeout")
except dbus.exceptions.DBusException as e:
    state["status"] = "error (%s)" % e.get_dbus_message()
print("status %s %.2fs" % (state["status"], time.monotonic() - t0), flush=True)
try:
    client.RemoveSession(session)
except dbus.exceptions.DBusException:
    pass
sys.exit(0 if state["status"] == "complete" else 1)
