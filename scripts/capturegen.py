#!/usr/bin/env python3
"""Writes the small capture files of Tests/Fixtures/Capture from raw bytes (no capture library):
every link layer Crumbs reads, DNS, a TLS ClientHello (and one split over segments, one with
Encrypted Client Hello), plain HTTP, an IP fragment, mDNS, IPv6, VLAN tags (one with id 0); and
streams.pcap: TCP reassembly (a ClientHello over three segments and two records, out of order,
overlapping), HTTP keep-alive with responses, IPv4 and IPv6 fragments, CNAME cloaking, a hello
without SNI and one with ECH named from DNS, QUIC v1 and v2 Initials (keys of RFC 9001/9369,
encrypted with python3-cryptography).

    scripts/capturegen.py Tests/Fixtures/Capture

Deterministic: the same bytes every run (tests compare nothing with the clock).
"""
import hashlib
import hmac
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


def tcp(sport, dport, payload, seq=1000, flags=0x18):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0) + payload


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


def dns_response(ident, name, cname, address, extra_addresses=()):
    question = dns_name(name) + struct.pack("!HH", 1, 1)
    answers = []
    owner = name
    if cname:
        answers.append(b"\xc0\x0c" + struct.pack("!HHIH", 5, 1, 60, len(dns_name(cname))) + dns_name(cname))
        owner = cname
    for a in (address,) + tuple(extra_addresses):
        answers.append(dns_name(owner) + struct.pack("!HHIH", 1, 1, 60, 4) + bytes(map(int, a.split("."))))
    return struct.pack("!HHHHHH", ident, 0x8180, 1, len(answers), 0, 0) + question + b"".join(answers)


def client_hello(server_name, alpn=(b"h2", b"http/1.1"), ech=False, records=1, padding=0):
    def extension(kind, body):
        return struct.pack("!HH", kind, len(body)) + body
    extensions = b""
    if server_name:
        name = server_name.encode()
        extensions += extension(0, struct.pack("!HBH", len(name) + 3, 0, len(name)) + name)
    protocols = b"".join(bytes([len(p)]) + p for p in alpn)
    extensions += extension(16, struct.pack("!H", len(protocols)) + protocols)
    extensions += extension(43, bytes([4]) + b"\x03\x04\x03\x03")
    if ech:
        extensions += extension(0xFE0D, b"\x00" * 16)
    if padding:
        extensions += extension(21, b"\x00" * padding)
    body = b"\x03\x03" + bytes(range(32)) + b"\x20" + bytes(32) + struct.pack("!H", 4) + b"\x13\x01\x13\x02"
    body += b"\x01\x00" + struct.pack("!H", len(extensions)) + extensions
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    if records == 0:
        return handshake  # no record layer (QUIC's CRYPTO stream)
    size = -(-len(handshake) // records)
    pieces = [handshake[i:i + size] for i in range(0, len(handshake), size)]
    return b"".join(b"\x16\x03\x01" + struct.pack("!H", len(p)) + p for p in pieces)


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


# --- QUIC Initial packets (RFC 9001 §5, RFC 9369 §3.3) ---

QUIC_SALTS = {1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
              0x6B3343CF: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9")}


def expand_label(secret, label, length):
    full = b"tls13 " + label
    info = struct.pack("!HB", length, len(full)) + full + b"\0"
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def quic_keys(dcid, version):
    initial = hmac.new(QUIC_SALTS[version], dcid, hashlib.sha256).digest()
    client = expand_label(initial, b"client in", 32)
    prefix = b"quicv2 " if version != 1 else b"quic "
    return (expand_label(client, prefix + b"key", 16), expand_label(client, prefix + b"iv", 12),
            expand_label(client, prefix + b"hp", 16))


def varint(value):
    if value < 64:
        return bytes([value])
    if value < 16384:
        return struct.pack("!H", 0x4000 | value)
    return struct.pack("!I", 0x80000000 | value)


def crypto_frame(offset, data):
    return b"\x06" + varint(offset) + varint(len(data)) + data


def quic_initial(dcid, frames, version=1, packet_number=0, scid=b"\x11\x22\x33\x44"):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    key, iv, hp = quic_keys(dcid, version)
    packet_type = 0 if version == 1 else 1
    pn_length = 2
    header_wo_length = (bytes([0xC0 | packet_type << 4 | (pn_length - 1)]) + struct.pack("!I", version)
                        + bytes([len(dcid)]) + dcid + bytes([len(scid)]) + scid + varint(0))
    # Pad the payload so that the datagram is 1,200 bytes (RFC 9000 §14.1).
    overhead = len(header_wo_length) + 2 + pn_length + 16
    payload = frames + b"\x00" * max(0, 1200 - overhead - len(frames))
    header = header_wo_length + varint(pn_length + len(payload) + 16) + struct.pack("!H", packet_number)
    nonce = (int.from_bytes(iv, "big") ^ packet_number).to_bytes(12, "big")
    sealed = AESGCM(key).encrypt(nonce, payload, header)
    pn_offset = len(header) - pn_length
    sample = sealed[4 - pn_length:4 - pn_length + 16]
    mask = Cipher(algorithms.AES(hp), modes.ECB()).encryptor().update(sample)
    protected = bytearray(header)
    protected[0] ^= mask[0] & 0x0F
    for index in range(pn_length):
        protected[pn_offset + index] ^= mask[1 + index]
    return bytes(protected) + sealed


def fragments_v4(src, dst, proto, payload, ident, size):
    """IPv4 fragments of `payload` (8-byte aligned pieces of `size` bytes)."""
    out = []
    for offset in range(0, len(payload), size):
        more = 0x2000 if offset + size < len(payload) else 0
        out.append(ipv4(src, dst, proto, payload[offset:offset + size], flags_fragment=more | offset // 8,
                        ident=ident))
    return out


def fragments_v6(src, dst, proto, payload, ident, size):
    out = []
    for offset in range(0, len(payload), size):
        more = 1 if offset + size < len(payload) else 0
        header = struct.pack("!BBHI", proto, 0, offset | more, ident)
        out.append(ipv6(src, dst, 44, header + payload[offset:offset + size]))
    return out


def stream_frames():
    """streams.pcap: (frame, seconds after T0, nanoseconds), Ethernet only."""
    client, server = "192.168.1.30", "198.51.100.20"
    out = []

    def add(packet, seconds, nanos=0):
        out.append((ethernet(packet), seconds, nanos))

    # A ClientHello in two TLS records over three segments: 1, 3, 2 (out of order), then a
    # segment that overlaps the end of 1 and the start of 2.
    hello = client_hello("split.example", records=2, padding=300)
    third = len(hello) // 3
    seq = 5000
    add(ipv4(client, server, 6, tcp(51000, 443, b"", seq=seq - 1, flags=0x02)), 10)
    add(ipv4(client, server, 6, tcp(51000, 443, hello[:third], seq=seq)), 10, 1_000)
    add(ipv4(client, server, 6, tcp(51000, 443, hello[2 * third:], seq=seq + 2 * third)), 10, 2_000)
    add(ipv4(client, server, 6, tcp(51000, 443, hello[third - 10:third + 20], seq=seq + third - 10)), 10, 3_000)
    add(ipv4(client, server, 6, tcp(51000, 443, hello[third:2 * third], seq=seq + third)), 10, 4_000)
    # HTTP/1.1 keep-alive: request 1, its response (Set-Cookie, a body), request 2 over two
    # segments, its chunked response, request 3 (read after the chunked body), the server's FIN.
    c, s_ = 7000, 9000
    web = "198.51.100.21"
    request1 = (b"GET /a.js HTTP/1.1\r\nHost: www.shop.test\r\nReferer: http://www.shop.test/\r\n"
                b"Cookie: session=abcdef0123456789\r\n\r\n")
    response1 = (b"HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\n"
                 b"Set-Cookie: visitor=v-0123456789abcdef; Path=/; Max-Age=31536000\r\nContent-Length: 5\r\n\r\nhello")
    request2 = b"GET /b.png HTTP/1.1\r\nHost: www.shop.test\r\nReferer: http://www.shop.test/\r\n\r\n"
    response2 = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    request3 = b"HEAD /c HTTP/1.1\r\nHost: www.shop.test\r\n\r\n"
    add(ipv4(client, web, 6, tcp(51001, 80, b"", seq=c - 1, flags=0x02)), 11)
    add(ipv4(web, client, 6, tcp(80, 51001, b"", seq=s_ - 1, flags=0x12)), 11, 500)
    add(ipv4(client, web, 6, tcp(51001, 80, request1, seq=c)), 11, 1_000)
    c += len(request1)
    add(ipv4(web, client, 6, tcp(80, 51001, response1, seq=s_)), 11, 50_000_000)
    s_ += len(response1)
    add(ipv4(client, web, 6, tcp(51001, 80, request2[:20], seq=c)), 11, 60_000_000)
    add(ipv4(client, web, 6, tcp(51001, 80, request2[20:], seq=c + 20)), 11, 61_000_000)
    c += len(request2)
    add(ipv4(web, client, 6, tcp(80, 51001, response2, seq=s_)), 11, 90_000_000)
    s_ += len(response2)
    add(ipv4(client, web, 6, tcp(51001, 80, request3, seq=c)), 11, 95_000_000)
    add(ipv4(web, client, 6, tcp(80, 51001, b"", seq=s_, flags=0x11)), 12)
    # DNS: a fragmented IPv4 answer (many addresses), a fragmented IPv6 query, CNAME cloaking.
    resolver = "192.168.1.1"
    add(ipv4(client, resolver, 17, udp(52000, 53, dns_query(0x2001, "cdn.video.test"))), 13)
    big = udp(53, 52000, dns_response(0x2001, "cdn.video.test", None, "203.0.113.60",
                                     tuple(f"203.0.113.{i}" for i in range(61, 120))))
    for index, fragment in enumerate(fragments_v4(resolver, client, 17, big, ident=77, size=512)):
        add(fragment, 13, 1_000 + index)
    query6 = udp(52001, 53, dns_query(0x2002, "v6.video.test", qtype=28))
    for index, fragment in enumerate(fragments_v6(V6_CLIENT, bytes.fromhex("20010db8000000000000000000000053"), 17,
                                                  query6, ident=0x1234, size=16)):
        add(fragment, 14, index)
    add(ipv4(client, resolver, 17, udp(52002, 53, dns_query(0x2003, "metrics.shop.test"))), 15)
    add(ipv4(resolver, client, 17, udp(53, 52002, dns_response(0x2003, "metrics.shop.test", "shop.eulerian.net",
                                                                 "203.0.113.50"))), 15, 2_000_000)
    # A hello without SNI to the cloaked address, and one with ECH to www.news.test's.
    add(ipv4(client, "203.0.113.50", 6, tcp(51002, 443, client_hello(None), seq=100)), 16)
    add(ipv4(client, resolver, 17, udp(52003, 53, dns_query(0x2004, "www.news.test"))), 17)
    add(ipv4(resolver, client, 17, udp(53, 52003, dns_response(0x2004, "www.news.test", None, "203.0.113.10"))), 17, 1)
    add(ipv4(client, "203.0.113.10", 6, tcp(51003, 443, client_hello("cloudflare-ech.test", ech=True), seq=100)), 18)
    # QUIC v1: one Initial. QUIC v2: a hello over two Initials, CRYPTO frames out of order,
    # with PING and PADDING between them (as Chrome scatters them).
    quic_server = "198.51.100.30"
    hello1 = client_hello("quic.example", alpn=(b"h3",), records=0)
    add(ipv4(client, quic_server, 17, udp(53000, 443, quic_initial(bytes.fromhex("0001020304050607"),
                                                                    crypto_frame(0, hello1)))), 19)
    hello2 = client_hello("quic2.example", alpn=(b"h3",), records=0, padding=1400)
    half = len(hello2) // 2
    dcid2 = bytes.fromhex("a1a2a3a4a5a6a7a8")
    first = crypto_frame(half, hello2[half:half + 600]) + b"\x01" + b"\x00" * 3 + crypto_frame(0, hello2[:half])
    second = crypto_frame(half + 600, hello2[half + 600:])
    add(ipv4(client, quic_server, 17, udp(53001, 443, quic_initial(dcid2, first, version=0x6B3343CF))), 20)
    add(ipv4(client, quic_server, 17, udp(53001, 443, quic_initial(dcid2, second, version=0x6B3343CF,
                                                                    packet_number=1))), 20, 1_000)
    # The server's reply: a QUIC Initial under the server's keys, which Crumbs cannot (and need
    # not) read.
    add(ipv4(quic_server, client, 17, udp(443, 53000, b"\xc0" + struct.pack("!I", 1) + b"\x00" * 1200)), 20, 5_000)
    return out


def streams(path):
    cases = [(1, frame, seconds, nanos) for frame, seconds, nanos in stream_frames()]
    pcap(path, nanoseconds=True, cases=cases)


def main():
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/Capture")
    target.mkdir(parents=True, exist_ok=True)
    pcapng(target / "household.pcapng")
    ethernet_only = [case for case in frames() if case[0] == 1]
    pcap(target / "ethernet-ns-big-endian.pcap", big_endian=True, nanoseconds=True, cases=ethernet_only)
    pcap(target / "ethernet-us.pcap", cases=ethernet_only)
    streams(target / "streams.pcap")


if __name__ == "__main__":
    main()
