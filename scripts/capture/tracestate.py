#!/usr/bin/env python3
"""Reads the kernel's TCP tracepoints for the capture: sock:inet_sock_set_state (every state change of
a full socket) and tcp:tcp_retransmit_skb, tcp:tcp_retransmit_synack, tcp:tcp_send_reset,
tcp:tcp_receive_reset.

Run it under `unshare -m` (capture.py does): tracefs is mounted in that private mount namespace only,
and the events go to a trace instance of our own (instances/tcpcap-PID, removed on exit), so the
host's global trace buffer and settings are untouched. The tracepoints fire for every network
namespace; the kernel filter keeps the capture's ports and this script keeps the capture's addresses.
Timestamps: the instance's clock is CLOCK_MONOTONIC, converted to CLOCK_REALTIME (the clock of
tcpdump and of the other logs) with an offset measured at start.
"""
import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import time

EVENTS = [
    'sock/inet_sock_set_state',
    'tcp/tcp_retransmit_skb',
    'tcp/tcp_retransmit_synack',
    'tcp/tcp_send_reset',
    'tcp/tcp_receive_reset',
]
LINE = re.compile(r'^\s*(?P<task>.*?)\s+\[(?P<cpu>\d+)\]\s+\S+\s+(?P<ts>\d+\.\d+): (?P<event>\w+): (?P<rest>.*)$')
FIELD = re.compile(r'(\w+)=(\S+)')


def write(path, text):
    with open(path, 'w') as out:
        out.write(text)


def clock_offset():
    """CLOCK_REALTIME - CLOCK_MONOTONIC, from the closest of a few back-to-back samples."""
    best = None
    for _ in range(20):
        a = time.clock_gettime(time.CLOCK_MONOTONIC)
        r = time.time()
        b = time.clock_gettime(time.CLOCK_MONOTONIC)
        if best is None or b - a < best[0]:
            best = (b - a, r - (a + b) / 2)
    return best[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--ports', required=True, help='comma-separated ports to keep')
    parser.add_argument('--addrs', required=True, help='comma-separated IPv4 addresses to keep')
    parser.add_argument('--max-seconds', type=float, default=600.0)
    parser.add_argument('--log', required=True)
    parser.add_argument('--ready', required=True)
    args = parser.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    root = '/sys/kernel/tracing'
    if not os.path.exists(os.path.join(root, 'instances')):
        subprocess.run(['mount', '-t', 'tracefs', 'nodev', root], check=True)
    instance = os.path.join(root, 'instances', f'tcpcap-{os.getpid()}')
    os.mkdir(instance)
    addrs = set(args.addrs.split(','))
    ports = [int(p) for p in args.ports.split(',')]
    port_filter = ' || '.join(f'sport == {p} || dport == {p}' for p in ports)
    enabled = []
    try:
        write(os.path.join(instance, 'trace_clock'), 'mono')
        write(os.path.join(instance, 'buffer_size_kb'), '1024')
        for event in EVENTS:
            path = os.path.join(instance, 'events', event)
            if not os.path.exists(path):
                continue
            with open(os.path.join(path, 'format')) as handle:
                has_ports = ' sport;' in handle.read()
            if has_ports:
                write(os.path.join(path, 'filter'), port_filter)
            # else (tcp_send_reset: src=ADDR:PORT dest=ADDR:PORT) rare enough to filter here only.
            write(os.path.join(path, 'enable'), '1')
            enabled.append(event)
        offset = clock_offset()
        deadline = time.time() + args.max_seconds
        with open(os.path.join(instance, 'trace_pipe'), 'rb', buffering=0) as pipe, open(args.log, 'w', buffering=1) as log:
            log.write(json.dumps({'events': enabled, 'clockOffset': offset}) + '\n')
            write(args.ready, str(os.getpid()))
            pending = b''
            draining = 0
            while time.time() < deadline and draining < 3:
                if stop:
                    draining += 1  # a few more reads after SIGTERM: events already in the buffer
                readable, _, _ = select.select([pipe], [], [], 0.1)
                if not readable:
                    continue
                chunk = os.read(pipe.fileno(), 65536)
                if not chunk:
                    continue
                pending += chunk
                *lines, pending = pending.split(b'\n')
                for raw in lines:
                    match = LINE.match(raw.decode('utf-8', 'replace'))
                    if not match:
                        continue
                    fields = dict(FIELD.findall(match['rest']))
                    for side, short in (('src', 's'), ('dest', 'd')):
                        if side in fields and ':' in fields[side]:
                            fields[short + 'addr'], fields[short + 'port'] = fields[side].rsplit(':', 1)
                    if fields.get('saddr') not in addrs and fields.get('daddr') not in addrs:
                        continue
                    record = {'t': float(match['ts']) + offset, 'event': match['event']}
                    for key in ('saddr', 'sport', 'daddr', 'dport', 'oldstate', 'newstate', 'state', 'reason'):
                        if key in fields:
                            record[key] = fields[key]
                    log.write(json.dumps(record) + '\n')
    finally:
        for event in enabled:
            try:
                write(os.path.join(instance, 'events', event, 'enable'), '0')
            except OSError:
                pass
        try:
            os.rmdir(instance)
        except OSError as error:
            print(f'tracestate: could not remove {instance}: {error}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
