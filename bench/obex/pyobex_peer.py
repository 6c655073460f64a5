#!/usr/bin/env python3
"""A foreign OBEX Object Push peer built on PyOBEX (PyPI), over TCP, for
interop tests and the benchmark.

  pyobex_peer.py server --dir DIR [--port 0] [--once]
      Prints "listening PORT" then one "received NAME BYTES" line per object.
  pyobex_peer.py push --port PORT FILE...
      PyOBEX's client (CONNECT without Target, PUT per file, DISCONNECT);
      prints "FILE 0xCODE" per file; exit 0 only if every file got 0xA0.

PyOBEX's modules import PyBluez, which no longer builds from PyPI; TCP
needs none of it, so an empty stand-in module is installed first.
"""
import argparse, os, socket, sys, types

def _stub_bluetooth():
    if "bluetooth" in sys.modules:
        return
    stub = types.ModuleType("bluetooth")
    for name in ("BluetoothSocket", "RFCOMM", "OBEX_FILETRANS_CLASS", "OBEX_FILETRANS_PROFILE",
                 "OBEX_OBJPUSH_CLASS", "OBEX_OBJPUSH_PROFILE", "OBEX_UUID", "PUBLIC_BROWSE_GROUP",
                 "RFCOMM_UUID", "advertise_service", "stop_advertising", "PORT_ANY"):
        setattr(stub, name, None)
    stub.BluetoothSocket = type("BluetoothSocket", (socket.socket,), {})
    sys.modules["bluetooth"] = stub

_stub_bluetooth()
from PyOBEX import client, headers, requests, responses, server  # noqa: E402


class StoringPushServer(server.Server):
    """PyOBEX's Server answers PUT with Forbidden; this one stores objects."""

    def __init__(self, directory):
        super().__init__()
        self.directory = directory
        self._reset()

    def _reset(self):
        self.name, self.length, self.body = None, None, []

    def put(self, sock, request):
        for h in request.header_data:
            if isinstance(h, headers.Name):
                self.name = h.decode()
            elif isinstance(h, headers.Length):
                self.length = h.decode()
            elif isinstance(h, (headers.Body, headers.EndOfBody)):
                self.body.append(h.decode())
        if not isinstance(request, requests.PutFinal):
            self.send_response(sock, responses.Continue())
            return
        data = b"".join(self.body)
        name = os.path.basename(self.name or "received")
        with open(os.path.join(self.directory, name), "wb") as f:
            f.write(data)
        print("received", name, len(data), flush=True)
        self._reset()
        self.send_response(sock, responses.Success())

    def process_request(self, sock, request):
        if isinstance(request, requests.Abort):
            self._reset()
            self.send_response(sock, responses.Success())
        else:
            super().process_request(sock, request)

    def serve_connection(self, conn):
        self.connected = True
        while self.connected:
            try:
                request = self.request_handler.decode(conn)
            except Exception:
                break      # the peer closed the connection
            self.process_request(conn, request)
        conn.close()


def run_server(args):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(4)
    print("listening", listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        StoringPushServer(args.dir).serve_connection(conn)
        if args.once:
            return 0


def run_push(args):
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=60)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c = client.Client("127.0.0.1", args.port)
    c.set_socket(sock)
    response = c.connect()
    if not isinstance(response, responses.ConnectSuccess):
        print("connect refused 0x%02X" % response.code, flush=True)
        return 1
    ok = True
    for path in args.files:
        with open(path, "rb") as f:
            data = f.read()
        name = args.name or os.path.basename(path)
        response = c.put(name, data)
        print(path, "0x%02X" % response.code, flush=True)
        ok = ok and isinstance(response, responses.Success)
    c.disconnect()
    sock.close()
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("server")
    s.add_argument("--dir", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--once", action="store_true")
    c = sub.add_parser("push")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--name", help="name to send instead of the file's own")
    c.add_argument("files", nargs="+")
    args = p.parse_args()
    return run_server(args) if args.mode == "server" else run_push(args)


if __name__ == "__main__":
    sys.exit(main())
