#!/usr/bin/env python3
"""Writes a large pcap for scripts/bench-capture: a household's traffic shape, mostly bulk TLS
data (as on a real network, where the headers Crumbs reads are a small part of the bytes), with
DNS lookups and answers, TCP handshakes and ClientHellos, plain HTTP requests and responses with
cookies, and QUIC Initials, over many devices, sites and trackers.

    capturebench.py --bytes 1100000000 --out FILE.pcap [--seed 7]

Streaming: memory stays small whatever the size. Packets are built from the fixture generator's
helpers (scripts/capturegen.py).
"""
import argparse
import random
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import capturegen as g  # noqa: E402

T0 = 1_733_000_000


def ip(n):
    return f"198.51.{100 + (n >> 8) % 50}.{n & 0xFF}"


class Writer:
    def __init__(self, out):
        self.out = out
        self.time = float(T0)
        self.packets = 0
        self.bytes = 0
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))

    def add(self, frame, gap=0.0002):
        self.time += gap
        seconds = int(self.time)
        micros = int((self.time - seconds) * 1e6)
        self.out.write(struct.pack("<IIII", seconds, micros, len(frame), len(frame)))
        self.out.write(frame)
        self.packets += 1
        self.bytes += 16 + len(frame)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bytes", type=int, default=1_100_000_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sites = [f"www.site{i}.test" for i in range(400)]
    # Made-up trackers and real ones (so that classification does its real work).
    real = ["www.google-analytics.com", "connect.facebook.net", "securepubads.g.doubleclick.net",
            "static.hotjar.com", "bat.bing.com", "sb.scorecardresearch.com", "pixel.eulerian.net",
            "cdn.taboola.com", "s.yimg.com", "analytics.tiktok.com"]
    trackers = [f"t{i}.tracker{i % 40}.test" for i in range(110)] + real
    bulk = bytes(rng.getrandbits(8) for _ in range(1400))
    # QUIC Initials are costly to build in Python: a few variants, reused on new client ports.
    quic = [g.quic_initial(bytes([i]) * 8, g.crypto_frame(0, g.client_hello(trackers[i], alpn=(b"h3",), records=0)))
            for i in range(16)]
    with open(args.out, "wb") as out:
        w = Writer(out)
        flow = 0
        while w.bytes < args.bytes:
            flow += 1
            device = f"192.168.1.{10 + flow % 40}"
            name = sites[flow % len(sites)] if flow % 3 else trackers[flow % len(trackers)]
            server = ip(flow)
            port = 10000 + flow % 50000
            ident = flow & 0xFFFF
            # The lookup and its answer.
            w.add(g.ethernet(g.ipv4(device, "192.168.1.1", 17, g.udp(port, 53, g.dns_query(ident, name)))))
            w.add(g.ethernet(g.ipv4("192.168.1.1", device, 17,
                                    g.udp(53, port, g.dns_response(ident, name, None, server)))))
            if flow % 8 == 0:
                w.add(g.ethernet(g.ipv4(device, server, 17, g.udp(port, 443, quic[flow % 16]))))
                continue
            seq, peer = 1000 + flow, 5000 + flow
            w.add(g.ethernet(g.ipv4(device, server, 6, g.tcp(port, 443 if flow % 4 else 80, b"", seq=seq, flags=0x02))))
            w.add(g.ethernet(g.ipv4(server, device, 6, g.tcp(443 if flow % 4 else 80, port, b"", seq=peer, flags=0x12))))
            seq += 1
            peer += 1
            if flow % 4:
                hello = g.client_hello(name, padding=200 + flow % 300)
                w.add(g.ethernet(g.ipv4(device, server, 6, g.tcp(port, 443, hello, seq=seq))))
                sport = 443
            else:
                request = (f"GET /p/{flow}.js?v={flow % 97} HTTP/1.1\r\nHost: {name}\r\n"
                           f"Referer: http://{sites[(flow + 1) % len(sites)]}/\r\n"
                           f"Cookie: id={flow:016x}; s={flow * 7:08x}\r\nUser-Agent: bench\r\n\r\n").encode()
                w.add(g.ethernet(g.ipv4(device, server, 6, g.tcp(port, 80, request, seq=seq))))
                body = 1400 * 8
                response = (f"HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nContent-Length: {body}\r\n"
                            f"Set-Cookie: uid={flow:020x}; Max-Age=31536000; Path=/\r\n\r\n").encode()
                w.add(g.ethernet(g.ipv4(server, device, 6, g.tcp(80, port, response, seq=peer))))
                peer += len(response)
                sport = 80
            # The bulk of the bytes: the server's data, and the device's acknowledgements.
            for index in range(8 if sport == 80 else 24):
                w.add(g.ethernet(g.ipv4(server, device, 6, g.tcp(sport, port, bulk, seq=peer))), gap=0.00005)
                peer += len(bulk)
                if index % 4 == 3:
                    w.add(g.ethernet(g.ipv4(device, server, 6, g.tcp(port, sport, b"", seq=seq + 600, flags=0x10))))
            w.add(g.ethernet(g.ipv4(server, device, 6, g.tcp(sport, port, b"", seq=peer, flags=0x11))))
    print(f"{w.packets} packets, {w.bytes} bytes, {flow} flows")


if __name__ == "__main__":
    main()
