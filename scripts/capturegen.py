#!/usr/bin/env python3
"""Writes the small capture files of Tests/Fixtures/Capture from raw bytes (no capture library):
every link layer Crumbs reads, DNS, a TLS ClientHello (and one split over segments, one with
Encrypted Client Hello), plain HTTP, an IP fragment, mDNS, IPv6, VLAN tags (one with id 0).

    scripts/capturegen.py Tests/Fixtures/Capture

Deterministic: the same bytes every run (tests compare nothing with the clock).
"""
import struct
import sys
from pathlib import Path

T0 = 1_714_557_600  # 2024-05-01T10:00:00Z


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src, dst, proto, payload, flags_fragment=0, ident=1):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags_fragment, 64, proto, 0,
                         bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def ipv6(src, dst, next_header, payload):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), next_header, 64, src, dst) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, payload, seq=1000):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x18, 65535, 0, 0) + payload


def ethernet(payload, ethertype=0x0800, tags=()):
    head = bytes.fromhex("02000000000a") + bytes.fromhex("02000000001e")  # dst, src
    for tpid, vlan in tags:
        head += struct.pack("!HH", tpid, vlan)
    return head + struct.pack("!H", ethertype) + payload


def sll(payload, protocol=0x0800):
    return struct.pack("!HHH8sH", 0, 1, 6, bytes.fromhex("02000000001e0000"), protocol) + payload


def sll2(payload, protocol=0x86DD):
    return struct.pack("!HHIHBB8s", protocol, 0, 2, 1, 0, 6, bytes.fromhex("02000000001e0000")) + payload


def dns_name(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"


def dns_query(ident, name, qtype=1):
    return struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack("!HH", qtype, 1)


def dns_response(ident, name, cname, address):
    question = dns_name(name) + struct.pack("!HH", 1, 1)
    answer_cname = b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 60, len(dns_name(cname))) + dns_name(cname)
    answer_a = dns_name(cname) + struct.pack("!HHIH", 1, 1, 60, 4) + bytes(map(int, address.split(".")))
    return struct.pack("!HHHHHH", ident, 0x8180, 1, 2, 0, 0) + question + answer_cname + answer_a


def client_hello(server_name, alpn=(b"h2", b"http/1.1"), ech=False):
    def extension(kind, body):
        return struct.pack("!HH", kind, len(body)) + body
    name = server_name.encode()
    sni = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    protocols = b"".join(bytes([len(p)]) + p for p in alpn)
    extensions = extension(0, sni) + extension(16, struct.pack("!H", len(protocols)) + protocols)
    extensions += extension(43, bytes([4]) + b"\x03\x04\x03\x03")
    if ech:
        extensions += extension(0xFE0D, b"\x00" * 16)
    body = b"\x03\x03" + bytes(range(32)) + b"\x20" + bytes(32) + struct.pack("!H", 4) + b"\x13\x01\x13\x02"
    body += b"\x01\x00" + struct.pack("!H", len(extensions)) + extensions
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


HTTP = (b"GET /pixel.gif?uid=12345 HTTP/1.1\r\nHost: px.tracker.test\r\nReferer: http://www.news.test/story\r\n"
        b"Cookie: uid=8f3a9c2b7d1e4f60a1b2c3d4\r\nUser-Agent: test\r\n\r\n")
V6_CLIENT = bytes.fromhex("20010db8000000000000000000000020")
V6_SERVER = bytes.fromhex("20010db8000000000000000000000443")


def frames():
    """(link type, frame bytes, seconds after T0, nanoseconds) for every case."""
    query = udp(50000, 53, dns_query(0x1234, "www.news.test"))
    answer = udp(53, 50000, dns_response(0x1234, "www.news.test", "news.cdn-tracker.test", "203.0.113.10"))
    hello = tcp(50001, 443, client_hello("tracker.example"))
    whole = client_hello("split.example")
    return [
        (1, ethernet(ipv4("192.168.1.20", "192.168.1.1", 17, query)), 0, 0),
        (1, ethernet(ipv4("192.168.1.1", "192.168.1.20", 17, answer), tags=((0x8100, 0),)), 0, 1_500_000),
        (113, sll(ipv4("192.168.1.20", "198.51.100.7", 6, hello)), 1, 0),
        (113, sll(ipv4("192.168.1.20", "198.51.100.7", 6, hello, ident=2)), 1, 200_000_000),  # retransmitted
        (276, sll2(ipv6(V6_CLIENT, V6_SERVER, 6, tcp(50002, 80, HTTP))), 2, 123_456_789),
        (101, ipv4("192.168.1.21", "224.0.0.251", 17, udp(5353, 5353, dns_query(0, "printer.local"))), 3, 0),
        (12, ipv4("192.168.1.21", "198.51.100.8", 17, udp(50003, 53, b"x" * 16), flags_fragment=0x2000), 4, 0),
        (1, ethernet(ipv4("192.168.1.20", "198.51.100.9", 6, tcp(50004, 443, client_hello("public.example", ech=True))),
                     tags=((0x88A8, 7), (0x8100, 42))), 5, 0),
        (0, struct.pack("<I", 2) + ipv4("192.168.1.20", "198.51.100.10", 6, tcp(50005, 443, whole[:60])), 6, 0),
        (1, ethernet(ipv4("192.168.1.20", "198.51.100.11", 17, udp(50006, 443, b"\xc0" + b"q" * 40))), 7, 0),
    ]


def pcap(path, big_endian=False, nanoseconds=False, link_type=None, cases=None):
    order = ">" if big_endian else "<"
    magic = 0xA1B23C4D if nanoseconds else 0xA1B2C3D4
    cases = cases or frames()
    link = link_type if link_type is not None else cases[0][0]
    out = struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, 262144, link)
    for _, frame, seconds, nanos in cases:
        fraction = nanos if nanoseconds else nanos // 1000
        out += struct.pack(order + "IIII", T0 + seconds, fraction, len(frame), len(frame)) + frame
    Path(path).write_bytes(out)


def pcapng(path):
    def block(kind, body):
        body += b"\0" * (-len(body) % 4)
        length = 12 + len(body)
        return struct.pack("<II", kind, length) + body + struct.pack("<I", length)

    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    link_types = []
    for link, _, _, _ in frames():
        if link not in link_types:
            link_types.append(link)
    for index, link in enumerate(link_types):
        # Every other interface counts in nanoseconds (if_tsresol = 9).
        options = (struct.pack("<HHB", 9, 1, 9) + b"\0\0\0" if index % 2 else b"") + struct.pack("<HH", 0, 0)
        out += block(1, struct.pack("<HHI", link, 0, 262144) + options)
    out += block(5, struct.pack("<IIII", 0, 0, 0, 0))  # interface statistics: nothing to read
    for link, frame, seconds, nanos in frames():
        interface = link_types.index(link)
        ticks = (T0 + seconds) * (10**9 if interface % 2 else 10**6) + (nanos if interface % 2 else nanos // 1000)
        out += block(6, struct.pack("<IIIII", interface, ticks >> 32, ticks & 0xFFFFFFFF, len(frame), len(frame)) + frame)
    Path(path).write_bytes(out)


def main():
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/Capture")
    target.mkdir(parents=True, exist_ok=True)
    pcapng(target / "household.pcapng")
    ethernet_only = [case for case in frames() if case[0] == 1]
    pcap(target / "ethernet-ns-big-endian.pcap", big_endian=True, nanoseconds=True, cases=ethernet_only)
    pcap(target / "ethernet-us.pcap", cases=ethernet_only)


if __name__ == "__main__":
    main()
