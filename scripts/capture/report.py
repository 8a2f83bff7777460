#!/usr/bin/env python3
"""Prints the fixtures as Markdown, one section per case: the segments with their times, the states,
the application calls and what the repetitions showed. docs/captures.md's "The cases" section is this
output (regenerate it after a new capture: python3 scripts/capture/report.py > /tmp/cases.md).

    python3 scripts/capture/report.py [--fixtures DIR] [CASE...]
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import cases as case_defs  # noqa: E402

DEFAULT = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'test', 'fixtures', 'captures')
LABEL_ORDER = ['SYN', 'FIN', 'RST', 'PSH', 'URG', 'ACK']


def flags(p):
    return ','.join(f for f in LABEL_ORDER if f in p['flags'])


def options(p):
    o = p['options']
    parts = []
    if 'mss' in o:
        parts.append(f"mss {o['mss']}")
    if o.get('sackPermitted'):
        parts.append('sackOK')
    if 'ts' in o and 'SYN' in p['flags']:
        parts.append('TS')
    if 'wscale' in o:
        parts.append(f"wscale {o['wscale']}")
    if 'sack' in o:
        isn = p['ack'] - (p['relAck'] or 0)
        parts.append('sack ' + ' '.join(f"{(b['left'] - isn) % 2**32}-{(b['right'] - isn) % 2**32}" for b in o['sack']))
    return ', '.join(parts)


def fmt(t):
    return f'{t:.1f}'


def behaviour(b):
    if 'firstDifference' not in b:
        return f"{len(b['runs'])} as above"
    shown = ', '.join(f"{seg} at {t:.1f}" for seg, t in zip(b['segments'][:3], b['times'][:3]))
    return f"{len(b['runs'])} differing from segment {b['firstDifference']} on ({shown})"


def section(summary):
    out = [f"### {summary['case']}: {summary['title']}", '', summary['description'], '']
    if summary['meta']['faults']:
        out.append('Fault: ' + '; '.join(summary['meta']['faults']) + '.')
        out.append('')
    out.append('| # | t (ms) | | segment | win | options | |')
    out.append('|---|---|---|---|---|---|---|')
    packets = summary['packets']
    shown = packets if len(packets) <= 40 else packets[:24] + [None] + packets[-6:]
    for p in shown:
        if p is None:
            out.append(f"| | | | ... {len(packets) - 30} more segments (capture.json) | | | |")
            continue
        arrow = 'C → S' if p['from'] == 'client' else 'S → C'
        ack = '' if p['relAck'] is None else f" ack={p['relAck']}"
        notes = []
        if p['dropped']:
            notes.append('**dropped**')
        if p['retransmission']:
            notes.append('retransmission')
        if p.get('held') == 'stall':
            notes.append(f"held by the stall, arrived at {fmt(p['arrival'])}")
        elif p.get('held') == 'hold':
            notes.append(f"held, arrived at {fmt(p['arrival'])}")
        elif p.get('held'):
            notes.append('held to cross')
        out.append(f"| {p['index']} | {fmt(p['t'])} | {arrow} | {flags(p)} seq={p['relSeq']}{ack} len={p['len']} | {p['scaledWindow']} | {options(p)} | {', '.join(notes)} |")
    out.append('')
    for sock in summary['sockets']:
        kind = ' (listener)' if sock['listener'] else ''
        states = ' → '.join(f"{s['state']} {fmt(s['t'])}" for s in sock['states'])
        out.append(f"- {sock['endpoint']}{kind}: {states}")
    calls = [c for c in summary['app'] if c['call'] not in ('setsockopt',) and not (c['call'] == 'recv' and c.get('auto') and c.get('bytes', 0) > 0)]
    out.append('- calls: ' + '; '.join(
        f"{c['endpoint']} {c['call']}{' ' + str(c['bytes']) if 'bytes' in c and c['call'] != 'recv' else ''}"
        f"{' (EOF)' if c['call'] == 'recv' and c.get('bytes') == 0 else ''} {fmt(c['t'])}"
        f"{'' if c['result'] in ('ok', 'pending') else ' → ' + c['result']}" for c in calls))
    counters = summary['meta'].get('counters') or {}
    interesting = ('TCPLossProbes', 'TCPLossProbeRecovery', 'TCPTimeouts', 'DelayedACKs', 'TCPSackRecovery', 'TCPFastRetrans',
                   'TCPSynRetrans', 'TCPAbortOnData', 'TCPAbortOnClose', 'TCPAbortOnLinger', 'TCPWinProbe', 'TCPToZeroWindowAdv',
                   'TCPFromZeroWindowAdv', 'TCPSACKReorder', 'TCPTSReorder', 'TCPDSACKRecv', 'TCPDSACKOldSent', 'TCPDSACKIgnoredNoUndo', 'TCPDSACKUndo', 'TCPLossUndo', 'TCPSpuriousRTOs', 'TCPFullUndo', 'TCPPartialUndo', 'TCPLostRetransmit', 'TCPSlowStartRetrans')
    shown = [f"{role} {k} {v}" for role, c in counters.items() for k, v in c.items() if k in interesting]
    if shown:
        out.append('- counters: ' + ', '.join(shown))
    resets = [e for e in summary['kernelEvents'] if e['event'] == 'tcp_send_reset']
    if resets:
        out.append('- resets sent: ' + ', '.join(f"{e.get('saddr')} {e.get('reason')}" for e in resets))
    rep = summary.get('repetitions')
    if rep and rep['runs'] > 1:
        kinds = len(rep['behaviours'])
        line = f"- {rep['runs']} runs: " + ('the same segments every time' if kinds == 1 else
                                             f"{kinds} behaviours: " + '; '.join(behaviour(b) for b in rep['behaviours']))
        spreads = [t['max'] - t['min'] for t in rep['packetTimes']]
        line += f"; segment times varied by at most {max(spreads):.1f} ms" if spreads else ''
        out.append(line)
    out.append('')
    return '\n'.join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('cases', nargs='*')
    parser.add_argument('--fixtures', default=DEFAULT)
    args = parser.parse_args()
    names = args.cases or [c['name'] for c in case_defs.CASES]
    for name in names:
        path = os.path.join(args.fixtures, name, 'capture.json')
        if not os.path.exists(path):
            continue
        with open(path) as handle:
            print(section(json.load(handle)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
