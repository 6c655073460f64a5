#!/usr/bin/python3
"""org.bluez.obex.Agent1 for the virtual phones: obexd (run without -a) asks
it about every incoming push. It finds the receiving phone by the session's
Source address and acts on that phone's line in the behaviour file, re-read
on every push so scenarios can change it while obexd runs:

    <phone address> accept | decline | delay:SECONDS

(no line = accept). Accepted files go to RECV_ROOT/phone-N/<name>. Every
decision is appended to the decision log as "<decision> phone-N <name> <size>".

usage: obex-agent.py BEHAVIOUR_FILE PHONES_FILE RECV_ROOT DECISION_LOG READY_FILE
  PHONES_FILE lines: "<address> <N>"
"""
import os
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

BEHAVIOUR, PHONES, ROOT, LOG, READY = sys.argv[1:6]
AGENT_PATH = "/psacaster/vm/agent"


def table(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    out[parts[0].upper()] = parts[1]
    except FileNotFoundError:
        pass
    return out


def note(text):
    with open(LOG, "a") as f:
        f.write(text + "\n")


class Rejected(dbus.DBusException):
    _dbus_error_name = "org.bluez.obex.Error.Rejected"


class Agent(dbus.service.Object):
    @dbus.service.method("org.bluez.obex.Agent1", in_signature="o", out_signature="s",
                         async_callbacks=("reply", "error"))
    def AuthorizePush(self, transfer, reply, error):
        bus = self.connection
        t = dbus.Interface(bus.get_object("org.bluez.obex", transfer), "org.freedesktop.DBus.Properties")
        props = t.GetAll("org.bluez.obex.Transfer1")
        name = os.path.basename(str(props.get("Name", "unnamed"))) or "unnamed"
        size = int(props.get("Size", 0))
        s = dbus.Interface(bus.get_object("org.bluez.obex", props["Session"]), "org.freedesktop.DBus.Properties")
        source = str(s.Get("org.bluez.obex.Session1", "Source")).upper()
        phone = "phone-" + table(PHONES).get(source, "unknown")
        action = table(BEHAVIOUR).get(source, "accept")
        if action == "decline":
            note("decline %s %s %d" % (phone, name, size))
            error(Rejected("declined by the test phone"))
            return
        folder = os.path.join(ROOT, phone)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, name)
        delay = float(action.split(":", 1)[1]) if action.startswith("delay:") else 0.0

        def accept():
            note("accept %s %s %d" % (phone, name, size))
            reply(path)
            return False
        if delay > 0:
            GLib.timeout_add(int(delay * 1000), accept)
        else:
            accept()

    @dbus.service.method("org.bluez.obex.Agent1", in_signature="", out_signature="")
    def Cancel(self):
        note("cancel - - 0")

    @dbus.service.method("org.bluez.obex.Agent1", in_signature="", out_signature="")
    def Release(self):
        pass


DBusGMainLoop(set_as_default=True)
session = dbus.SessionBus()
agent = Agent(session, AGENT_PATH)
manager = dbus.Interface(session.get_object("org.bluez.obex", "/org/bluez/obex"),
                         "org.bluez.obex.AgentManager1")
manager.RegisterAgent(AGENT_PATH)
open(READY, "w").close()
GLib.MainLoop().run()
