#!/usr/bin/python3
"""bluetoothd's default pairing agent in the VM (org.bluez.Agent1,
NoInputNoOutput): accepts every Just Works confirmation and service
authorization, as a phone does for an incoming temporary pairing.

A phone controller that still holds a link key from an earlier push hands
the next pairing to user space ("already has link key"); with
JustWorksRepairing = always (main.conf) bluetoothd then asks this agent.
Each request is logged as one line "<method> <device path>" to LOG.

usage: pairing-agent.py LOG READY_FILE
"""
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

LOG, READY = sys.argv[1:3]
PATH = "/psacaster/vm/pairing"


def note(what, device):
    with open(LOG, "a") as f:
        f.write("%s %s\n" % (what, device))


class Agent(dbus.service.Object):
    @dbus.service.method("org.bluez.Agent1", in_signature="", out_signature="")
    def Release(self):
        pass

    @dbus.service.method("org.bluez.Agent1", in_signature="ou", out_signature="")
    def RequestConfirmation(self, device, passkey):
        note("confirm", device)

    @dbus.service.method("org.bluez.Agent1", in_signature="o", out_signature="")
    def RequestAuthorization(self, device):
        note("authorize", device)

    @dbus.service.method("org.bluez.Agent1", in_signature="os", out_signature="")
    def AuthorizeService(self, device, uuid):
        note("service", device)

    @dbus.service.method("org.bluez.Agent1", in_signature="o", out_signature="s")
    def RequestPinCode(self, device):
        note("pin", device)
        return "0000"

    @dbus.service.method("org.bluez.Agent1", in_signature="o", out_signature="u")
    def RequestPasskey(self, device):
        note("passkey", device)
        return dbus.UInt32(0)

    @dbus.service.method("org.bluez.Agent1", in_signature="ouq", out_signature="")
    def DisplayPasskey(self, device, passkey, entered):
        pass

    @dbus.service.method("org.bluez.Agent1", in_signature="os", out_signature="")
    def DisplayPinCode(self, device, pincode):
        pass

    @dbus.service.method("org.bluez.Agent1", in_signature="", out_signature="")
    def Cancel(self):
        note("cancel", "-")


DBusGMainLoop(set_as_default=True)
bus = dbus.SystemBus()
Agent(bus, PATH)
manager = dbus.Interface(bus.get_object("org.bluez", "/org/bluez"), "org.bluez.AgentManager1")
manager.RegisterAgent(PATH, "NoInputNoOutput")
manager.RequestDefaultAgent(PATH)
open(READY, "w").close()
GLib.MainLoop().run()
