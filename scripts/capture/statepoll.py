#!/usr/bin/env python3
"""Polls the TCP sockets of the namespace it runs in (run it with `ip netns exec NS`) every
--interval ms and writes a JSON line each time a socket appears, changes state or disappears.

It asks the kernel through sock_diag (NETLINK_SOCK_DIAG, what `ss` uses): reading /proc/net/tcp
walks the whole host-wide established hash table and took ~9 ms per read on the capture machine,
too slow to poll every millisecond. Polling shows what the state tracepoint cannot: request sockets
(SYN-RECEIVED before the handshake's ACK) and TIME-WAIT sockets, their timer, and when they go away.
Stops on SIGTERM or after --max-seconds.
"""
import argparse
import json
import signal
import socket
import struct
import sys
import time

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST = 1
NLM_F_DUMP = 0x300
NLMSG_DONE = 3
NLMSG_ERROR = 2
STATES = {
    1: 'ESTABLISHED', 2: 'SYN-SENT', 3: 'SYN-RECEIVED', 4: 'FIN-WAIT-1', 5: 'FIN-WAIT-2',
    6: 'TIME-WAIT', 7: 'CLOSED', 8: 'CLOSE-WAIT', 9: 'LAST-ACK', 10: 'LISTEN', 11: 'CLOSING',
    12: 'SYN-RECEIVED',  # TCP_NEW_SYN_RECV: a request socket
}
TIMERS = {0: None, 1: 'retransmission', 2: 'keepalive', 3: 'time-wait', 4: 'zero-window-probe'}


def request():
    # struct inet_diag_req_v2: family, protocol, ext, pad, states (all), then a zero inet_diag_sockid.
    body = struct.pack('=BBBBI', socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF) + b'\0' * 48
    return struct.pack('=IHHII', 16 + len(body), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + body


def snapshot(sock, message):
    sock.send(message)
    out = {}
    while True:
        data = sock.recv(1 << 16)
        offset = 0
        while offset + 16 <= len(data):
            length, kind = struct.unpack_from('=IH', data, offset)
            if kind == NLMSG_DONE or kind == NLMSG_ERROR:
                return out
            # struct inet_diag_msg: family, state, timer, retrans, sockid (sport, dport big-endian,
            # src[4], dst[4], if, cookie[2]), expires (ms), rqueue, wqueue, uid, inode.
            _family, state, timer, retrans = struct.unpack_from('=BBBB', data, offset + 16)
            sport, dport = struct.unpack_from('>HH', data, offset + 20)
            src = socket.inet_ntoa(data[offset + 24:offset + 28])
            dst = socket.inet_ntoa(data[offset + 40:offset + 44])
            expires = struct.unpack_from('=I', data, offset + 68)[0]
            key = f'{src}:{sport} {dst}:{dport}'
            out[key] = (STATES.get(state, str(state)), TIMERS.get(timer, str(timer)), expires, retrans)
            offset += (length + 3) & ~3
        if not data:
            return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--interval', type=float, default=1.0, help='ms')
    parser.add_argument('--max-seconds', type=float, default=600.0)
    parser.add_argument('--log', required=True)
    args = parser.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    deadline = time.time() + args.max_seconds
    known = {}
    polls = 0
    started = time.time()
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    sock.settimeout(2.0)  # a dump always ends with NLMSG_DONE; never wait for ever all the same
    message = request()
    with open(args.log, 'w', buffering=1) as log:
        next_poll = time.time()
        while not stop and time.time() < deadline:
            now = time.time()
            current = snapshot(sock, message)
            polls += 1
            for key, (state, timer, expires, _retrans) in current.items():
                if key not in known or known[key][0] != state:
                    log.write(json.dumps({'t': now, 'socket': key, 'state': state, 'timer': timer, 'expires': expires}) + '\n')
            for key in known.keys() - current.keys():
                log.write(json.dumps({'t': now, 'socket': key, 'state': None}) + '\n')
            known = current
            next_poll += args.interval / 1000
            pause = next_poll - time.time()
            if pause > 0:
                time.sleep(pause)
            else:
                next_poll = time.time()
        log.write(json.dumps({'t': time.time(), 'polls': polls, 'seconds': time.time() - started}) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
