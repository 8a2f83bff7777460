"""Reads the router's pcap (LINUX_SLL2 from `tcpdump -i any`) and decodes IPv4/TCP headers.

Standard library only, so the fixtures can be made without tshark.
"""
import socket
import struct

LINKTYPE_LINUX_SLL2 = 276
PACKET_OUTGOING = 4
FLAG_BITS = [('SYN', 0x02), ('ACK', 0x10), ('FIN', 0x01), ('RST', 0x04), ('PSH', 0x08), ('URG', 0x20)]


def read_pcap(path):
    """[(time in s as float, ifindex, outgoing?, IP packet bytes)]."""
    with open(path, 'rb') as handle:
        data = handle.read()
    if len(data) < 24:
        return []
    magic = struct.unpack_from('<I', data)[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = '<'
    else:
        endian = '>'
        magic = struct.unpack_from('>I', data)[0]
    scale = 1e-9 if magic == 0xA1B23C4D else 1e-6
    linktype = struct.unpack_from(endian + 'I', data, 20)[0]
    if linktype != LINKTYPE_LINUX_SLL2:
        raise ValueError(f'{path}: link type {linktype}, expected LINUX_SLL2 (276)')
    out = []
    offset = 24
    while offset + 16 <= len(data):
        sec, frac, caplen, _origlen = struct.unpack_from(endian + 'IIII', data, offset)
        offset += 16
        frame = data[offset:offset + caplen]
        offset += caplen
        if len(frame) < 20:
            continue
        protocol, _reserved, ifindex = struct.unpack_from('>HHI', frame)
        pkttype = frame[10]
        if protocol != 0x0800:
            continue
        out.append((sec + frac * scale, ifindex, pkttype == PACKET_OUTGOING, frame[20:]))
    return out


def decode_options(raw):
    options = {}
    i = 0
    while i < len(raw):
        kind = raw[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(raw):
            break
        length = raw[i + 1]
        if length < 2 or i + length > len(raw):
            break
        body = raw[i + 2:i + length]
        if kind == 2 and len(body) == 2:
            options['mss'] = struct.unpack('>H', body)[0]
        elif kind == 3 and len(body) == 1:
            options['wscale'] = body[0]
        elif kind == 4:
            options['sackPermitted'] = True
        elif kind == 5 and len(body) % 8 == 0:
            options['sack'] = [{'left': struct.unpack_from('>I', body, j)[0], 'right': struct.unpack_from('>I', body, j + 4)[0]}
                               for j in range(0, len(body), 8)]
        elif kind == 8 and len(body) == 8:
            val, ecr = struct.unpack('>II', body)
            options['ts'] = {'val': val, 'ecr': ecr}
        else:
            options.setdefault('other', []).append(kind)
        i += length
    return options


def decode_tcp(ip):
    """The IPv4/TCP fields of a packet (payload length from the IP total length, not the snap length)."""
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
        return None
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack_from('>H', ip, 2)[0]
    tcp = ip[ihl:]
    if len(tcp) < 20:
        return None
    sport, dport, seq, ack, off_flags, window = struct.unpack_from('>HHIIHH', tcp)
    doff = (off_flags >> 12) * 4
    bits = off_flags & 0x3F
    return {
        'src': f'{socket.inet_ntoa(ip[12:16])}:{sport}',
        'dst': f'{socket.inet_ntoa(ip[16:20])}:{dport}',
        'ipId': struct.unpack_from('>H', ip, 4)[0],
        'flags': [name for name, bit in FLAG_BITS if bits & bit],
        'seq': seq,
        'ack': ack,
        'len': total - ihl - doff,
        'window': window,
        'options': decode_options(tcp[20:doff]),
        # What identifies the packet on both sides of the router (TTL and IP checksum change).
        'key': bytes(ip[:8]) + bytes(ip[9:10]) + bytes(ip[12:20]) + bytes(tcp[:16]) + bytes(tcp[18:doff]),
    }
