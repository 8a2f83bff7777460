#!/usr/bin/env python3
"""NFQUEUE reader for the capture router: a fixed one-way delay and "hold until crossed".

Runs inside the router namespace (netlink sockets belong to a network namespace). The router's
nftables forward chain sends every forwarded TCP packet to queue 0 (`queue num 0 bypass`); this
reader gives each one its verdict (ACCEPT) `delay` ms after the packet entered the queue. Packets
stay in the kernel meanwhile; only their first 128 bytes are copied here to match hold rules.

Hold rules ("cross"): the first packet of each direction whose TCP flags are exactly FLAGS is held
until the other direction's matching packet has arrived too; both are then released together (after
the delay), so two SYNs or two FINs are in flight at once whatever the drivers' scheduling jitter.
A hold never lasts more than `--hold-max` ms.

Stall ("--stall SRC,NTH,MS,GAP"): from the NTH packet sent by address SRC on, every packet from SRC
that enters within MS ms is held until the stall ends, then the backlog goes one packet every GAP ms
in order (then the delay): a delay spike on one direction, as a stalled link gives, so that the
other side's retransmission timer fires before the ACKs it waits for arrive.

Hold ("--hold SRC,NTH,MS", repeatable): the NTH packet carrying new data that SRC sends (its sequence
number beyond all SRC sent before: retransmissions are not counted) waits MS ms more than the delay,
so the packets sent after it overtake it: reordering of one segment.

Speaks nfnetlink_queue (include/uapi/linux/netfilter/nfnetlink_queue.h) with the standard library
only. Writes one JSON line per packet to --log: when it entered and left the queue (CLOCK_REALTIME).
Stops on SIGTERM/SIGINT or after --max-seconds.
"""
import argparse
import heapq
import json
import os
import select
import signal
import socket
import struct
import sys
import time

from realtime import realtime

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_TIMESTAMP = 4
NFQA_PAYLOAD = 10
NFQNL_CFG_CMD_BIND = 1
NFQNL_CFG_CMD_UNBIND = 2
NFQNL_COPY_PACKET = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NF_ACCEPT = 1
FLAG_BITS = {'FIN': 0x01, 'SYN': 0x02, 'RST': 0x04, 'PSH': 0x08, 'ACK': 0x10, 'URG': 0x20}


def attr(kind, data):
    length = 4 + len(data)
    return struct.pack('=HH', length, kind) + data + b'\0' * ((4 - length % 4) % 4)


def message(msg_type, flags, seq, queue, payload):
    body = struct.pack('=BBH', socket.AF_UNSPEC, 0, socket.htons(queue)) + payload
    return struct.pack('=IHHII', 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0) + body


def parse_attrs(data):
    out = {}
    offset = 0
    while offset + 4 <= len(data):
        length, kind = struct.unpack_from('=HH', data, offset)
        if length < 4:
            break
        out[kind & 0x7FFF] = data[offset + 4:offset + length]
        offset += (length + 3) & ~3
    return out


def tcp_summary(packet):
    """(src, dst, flags set) of an IPv4/TCP packet, or None."""
    if len(packet) < 20 or packet[0] >> 4 != 4 or packet[9] != 6:
        return None
    ihl = (packet[0] & 0x0F) * 4
    if len(packet) < ihl + 14:
        return None
    src = socket.inet_ntoa(packet[12:16]) + ':' + str(struct.unpack_from('!H', packet, ihl)[0])
    dst = socket.inet_ntoa(packet[16:20]) + ':' + str(struct.unpack_from('!H', packet, ihl + 2)[0])
    bits = packet[ihl + 13]
    flags = {name for name, bit in FLAG_BITS.items() if bits & bit}
    return src, dst, flags


def data_seq(packet):
    """(sequence number, bytes of TCP payload) of an IPv4/TCP packet (from the headers: only 128 bytes are copied)."""
    ihl = (packet[0] & 0x0F) * 4
    total = struct.unpack_from('!H', packet, 2)[0]
    return struct.unpack_from('!I', packet, ihl + 4)[0], total - ihl - (packet[ihl + 12] >> 4) * 4


class Queue:
    def __init__(self, queue):
        self.queue = queue
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind((0, 0))
        self.seq = 0

    def config(self, payload):
        self.seq += 1
        self.sock.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, self.seq, self.queue, payload))
        reply = self.sock.recv(65536)
        _length, kind = struct.unpack_from('=IH', reply)
        if kind == NLMSG_ERROR:
            error = struct.unpack_from('=i', reply, 16)[0]
            if error != 0:
                raise OSError(-error, os.strerror(-error))

    def bind(self):
        self.config(attr(NFQA_CFG_CMD, struct.pack('!BxH', NFQNL_CFG_CMD_BIND, socket.AF_INET)))
        self.config(attr(NFQA_CFG_PARAMS, struct.pack('!IB', 128, NFQNL_COPY_PACKET)))
        self.config(attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack('!I', 4096)))

    def unbind(self):
        try:
            self.config(attr(NFQA_CFG_CMD, struct.pack('!BxH', NFQNL_CFG_CMD_UNBIND, socket.AF_INET)))
        except OSError:
            pass

    def verdict(self, packet_id):
        self.seq += 1
        payload = attr(NFQA_VERDICT_HDR, struct.pack('!II', NF_ACCEPT, packet_id))
        self.sock.send(message(NFQNL_MSG_VERDICT, NLM_F_REQUEST, self.seq, self.queue, payload))

    def packets(self):
        """The packets waiting on the socket now: (id, kernel timestamp or None, payload)."""
        out = []
        while True:
            try:
                data = self.sock.recv(1 << 20, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return out
            offset = 0
            while offset + 16 <= len(data):
                length, kind = struct.unpack_from('=IH', data, offset)
                if length < 16:
                    break
                if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    attrs = parse_attrs(data[offset + 20:offset + length])
                    packet_id = struct.unpack('!I', attrs[NFQA_PACKET_HDR][:4])[0]
                    stamp = None
                    if NFQA_TIMESTAMP in attrs:
                        sec, usec = struct.unpack('!QQ', attrs[NFQA_TIMESTAMP])
                        stamp = sec + usec / 1e6
                    out.append((packet_id, stamp, attrs.get(NFQA_PAYLOAD, b'')))
                offset += (length + 3) & ~3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--queue', type=int, default=0)
    parser.add_argument('--delay', type=float, default=10.0, help='one-way delay, ms')
    parser.add_argument('--cross', action='append', default=[], help='hold FLAGS (e.g. SYN or FIN,ACK) until both directions have one')
    parser.add_argument('--hold-max', type=float, default=3000.0, help='longest hold, ms')
    parser.add_argument('--stall', help='SRC,NTH,MS,GAP: hold what SRC sends for MS ms from its NTH packet on')
    parser.add_argument('--hold', action='append', default=[], help='SRC,NTH,MS: the NTH new data packet from SRC waits MS ms more')
    parser.add_argument('--max-seconds', type=float, default=600.0)
    parser.add_argument('--log', required=True)
    parser.add_argument('--ready', required=True, help='file written once the queue is bound')
    args = parser.parse_args()

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    realtime(10)

    queue = Queue(args.queue)
    queue.bind()
    cross = [set(spec.upper().split(',')) for spec in args.cross]
    crossed = [dict() for _ in cross]  # per rule: direction -> (id, t_in) held; 'done' once released
    due = []  # heap of (release time, id, t_in, summary)
    log = open(args.log, 'w', buffering=1)
    with open(args.ready, 'w') as ready:
        ready.write(str(os.getpid()))
    deadline = time.time() + args.max_seconds
    delay = args.delay / 1000
    stall = None  # [src, nth, seconds, gap seconds, packets seen, end (None until it starts), last release]
    if args.stall:
        src, nth, ms, gap = args.stall.split(',')
        stall = [src, int(nth), float(ms) / 1000, float(gap) / 1000, 0, None, 0.0]

    holds = {}  # src -> {nth: seconds}
    for spec in args.hold:
        src, nth, ms = spec.split(',')
        holds.setdefault(src, {})[int(nth)] = float(ms) / 1000
    new_data = {}  # src -> [new data packets seen, end of the highest]

    def release(at, packet_id, t_in, info, held):
        heapq.heappush(due, (at, packet_id, t_in, info, held))

    while not stop and time.time() < deadline:
        now = time.time()
        while due and due[0][0] <= now:
            _at, packet_id, t_in, info, held = heapq.heappop(due)
            queue.verdict(packet_id)
            t_out = time.time()
            log.write(json.dumps({'id': packet_id, 'in': t_in, 'out': t_out, 'packet': info, 'held': held}) + '\n')
        for index, rule in enumerate(crossed):
            for direction, entry in list(rule.items()):
                if entry != 'done' and now - entry[1] > args.hold_max / 1000:
                    release(now, entry[0], entry[1], entry[2], 'timeout')
                    rule[direction] = 'done'
        timeout = 0.05
        if due:
            timeout = min(timeout, max(0.0, due[0][0] - time.time()))
        # select() takes microseconds (poll() only whole milliseconds, which would add ~0.5 ms).
        readable, _, _ = select.select([queue.sock], [], [], timeout)
        if readable:
            for packet_id, stamp, payload in queue.packets():
                t_in = time.time()
                # The kernel's receive stamp, when it kept one, is when the packet reached the router.
                if stamp is not None and 0 <= t_in - stamp < 0.05:
                    t_in = stamp
                summary = tcp_summary(payload)
                info = None if summary is None else {'src': summary[0], 'dst': summary[1], 'flags': sorted(summary[2])}
                held = False
                src = None if summary is None else summary[0].split(':')[0]
                if src in holds:
                    seq, length = data_seq(payload)
                    seen = new_data.setdefault(src, [0, None])
                    if length > 0 and (seen[1] is None or (seq - seen[1]) % (1 << 32) < (1 << 31)):
                        seen[0] += 1
                        seen[1] = (seq + length) % (1 << 32)
                        if seen[0] in holds[src]:
                            release(t_in + delay + holds[src][seen[0]], packet_id, t_in, info, 'hold')
                            continue
                if stall is not None and summary is not None and summary[0].split(':')[0] == stall[0]:
                    stall[4] += 1
                    if stall[4] == stall[1]:
                        stall[5] = t_in + stall[2]
                    if stall[5] is not None and t_in < stall[5]:
                        # Held to the stall's end, then one every GAP in arrival order.
                        stall[6] = max(stall[5], stall[6] + stall[3])
                        release(stall[6] + delay, packet_id, t_in, info, 'stall')
                        continue
                for index, flags in enumerate(cross):
                    rule = crossed[index]
                    if summary is None or summary[2] != flags:
                        continue
                    direction = summary[0] + '>' + summary[1]
                    if direction in rule:
                        continue
                    others = [d for d, e in rule.items() if e != 'done']
                    if others:
                        # The crossing packet: release both together.
                        other = rule[others[0]]
                        release(t_in + delay, other[0], other[1], other[2], 'crossed')
                        rule[others[0]] = 'done'
                        rule[direction] = 'done'
                        release(t_in + delay, packet_id, t_in, info, 'crossed')
                    else:
                        rule[direction] = (packet_id, t_in, info)
                    held = True
                    break
                if not held:
                    release(t_in + delay, packet_id, t_in, info, False)
    # Let everything still held go (late rather than lost), then unbind.
    for _at, packet_id, t_in, info, held in sorted(due):
        queue.verdict(packet_id)
    for rule in crossed:
        for entry in rule.values():
            if entry != 'done':
                queue.verdict(entry[0])
    queue.unbind()
    log.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
