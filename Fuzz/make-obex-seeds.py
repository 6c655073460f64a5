#!/usr/bin/env python3
"""Writes the seed corpora for the OBEX fuzzers (Fuzz/corpus/obex-*).
Each seed is: one selector byte, then a stream of OBEX packets."""
import os, struct, sys

def hdr_text(hi, s):
    data = s.encode("utf-16-be") + b"\0\0" if s else b""
    return bytes([hi]) + struct.pack(">H", 3 + len(data)) + data
def hdr_bytes(hi, b): return bytes([hi]) + struct.pack(">H", 3 + len(b)) + b
def hdr_u32(hi, n): return bytes([hi]) + struct.pack(">I", n)
def hdr_u8(hi, n): return bytes([hi, n])
def packet(code, body, extra=b""):
    return bytes([code]) + struct.pack(">H", 3 + len(extra) + len(body)) + extra + body

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
connect_fields = bytes([0x10, 0x00]) + struct.pack(">H", 0xFC00)
responses = {
    "connect-ok": b"\x08" + packet(0xA0, b"", connect_fields),
    "connect-ok-connid": b"\x08" + packet(0xA0, hdr_u32(0xCB, 1), connect_fields),
    "connect-forbidden-bare": b"\x08" + packet(0xC3, b""),
    "connect-notacceptable": b"\x08" + packet(0xC6, b"", connect_fields),
    "continue": b"\x09" + packet(0x90, b""),
    "success": b"\x0b" + packet(0xA0, b""),
    "kaios-unauthorized": b"\x09" + packet(0x41, b""),
    "forbidden-with-description": b"\x09" + packet(0xC3, hdr_text(0x05, "declined by user")),
    "two-packets": b"\x09" + packet(0x90, b"") + packet(0xA0, hdr_u8(0x97, 1)),
    "small-max": b"\x01" + packet(0x90, hdr_bytes(0x4C, b"\x01\x02")),
    "unicode-odd": b"\x09" + packet(0xA0, bytes([0x01, 0x00, 0x04, 0x41])),
    "length-overrun": b"\x09" + bytes([0x90, 0xFF, 0xF0]),
}
put_first = hdr_text(0x01, "helpline-ñ.opus") + hdr_bytes(0x42, b"audio/ogg\0") + hdr_u32(0xC3, 10) + hdr_bytes(0x48, b"OggS\0\0")
requests = {
    "connect": b"\x02" + packet(0x80, b"", connect_fields),
    "connect-target": b"\x02" + packet(0x80, hdr_bytes(0x46, bytes(16)), connect_fields),
    "put-stream": b"\x02" + packet(0x80, b"", connect_fields) + packet(0x02, put_first) + packet(0x82, hdr_bytes(0x49, b"\x01\x02\x03\x04")) + packet(0x81, b""),
    "put-single": b"\x02" + packet(0x82, hdr_text(0x01, "a.txt") + hdr_u32(0xC3, 2) + hdr_bytes(0x49, b"hi")),
    "put-headers-only": b"\x02" + packet(0x02, hdr_text(0x01, "x.opus") + hdr_u32(0xC3, 0)),
    "abort": b"\x02" + packet(0xFF, b""),
    "setpath": b"\x02" + packet(0x85, hdr_text(0x01, "dir"), b"\x02\x00"),
    "get": b"\x02" + packet(0x83, hdr_bytes(0x42, b"text/x-vcard\0")),
    "bad-header-length": b"\x02" + packet(0x02, bytes([0x01, 0x00, 0x40, 0x00])),
    "small-max": b"\x00" + packet(0x02, hdr_u8(0x97, 1) + hdr_u32(0xC0, 1)),
}
for kind, seeds in (("obex-response", responses), ("obex-request", requests)):
    d = os.path.join(root, kind)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
print("seeds written under", root)
