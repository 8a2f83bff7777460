"""Turns one run's raw files into the capture summary (capture.json, typed in src/interop/capture.ts)
and a case's runs into the fixture folder: the representative run's pcap and summary, the statistics
of all runs, and the scenario that re-enacts it.
"""
import datetime
import json
import os
import shutil
import statistics

import pcap
import scenario
import topology

STATE_NAMES = {
    'TCP_ESTABLISHED': 'ESTABLISHED', 'TCP_SYN_SENT': 'SYN-SENT', 'TCP_SYN_RECV': 'SYN-RECEIVED',
    'TCP_FIN_WAIT1': 'FIN-WAIT-1', 'TCP_FIN_WAIT2': 'FIN-WAIT-2', 'TCP_TIME_WAIT': 'TIME-WAIT',
    'TCP_CLOSE': 'CLOSED', 'TCP_CLOSE_WAIT': 'CLOSE-WAIT', 'TCP_LAST_ACK': 'LAST-ACK',
    'TCP_LISTEN': 'LISTEN', 'TCP_CLOSING': 'CLOSING', 'TCP_NEW_SYN_RECV': 'SYN-RECEIVED',
}
ADDRESSES = {
    'client': f'{topology.CLIENT_ADDR}:{topology.CLIENT_PORT}',
    'server': f'{topology.SERVER_ADDR}:{topology.SERVER_PORT}',
}
ROLE_OF = {topology.CLIENT_ADDR: 'client', topology.SERVER_ADDR: 'server'}


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ms(t, zero):
    return round((t - zero) * 1000, 3)


def packets_of(raw, meta):
    """The segments each side sent (seen entering the router) and their fate (seen leaving it)."""
    facing = {int(k): v for k, v in meta['ifindex'].items()}
    sent, left = [], {}
    for t, ifindex, outgoing, ip in pcap.read_pcap(raw['capture.pcap']):
        fields = pcap.decode_tcp(ip)
        if fields is None or ifindex not in facing:
            continue
        if outgoing:
            left.setdefault(fields['key'], []).append(t)
        else:
            fields['t'] = t
            fields['from'] = facing[ifindex]
            sent.append(fields)
    for packet in sent:
        arrivals = [a for a in left.get(packet['key'], []) if a >= packet['t']]
        if arrivals:
            packet['arrival'] = arrivals[0]
            left[packet['key']].remove(arrivals[0])
        else:
            packet['arrival'] = None
    return sent


def relative(packets):
    """ISNs from each side's first SYN; relative seq/ack as Wireshark shows them; scaled windows;
    retransmissions (a segment that occupies sequence space a previous one already covered)."""
    isn, wscale, highest = {}, {}, {}
    for p in packets:
        if 'SYN' in p['flags']:
            isn.setdefault(p['from'], p['seq'])
            if 'wscale' in p['options']:
                wscale.setdefault(p['from'], p['options']['wscale'])
    both_scale = len(wscale) == 2
    for p in packets:
        me, peer = p['from'], p['to']
        p['relSeq'] = (p['seq'] - isn[me]) % 2**32 if me in isn else p['seq']
        p['relAck'] = ((p['ack'] - isn[peer]) % 2**32 if peer in isn else p['ack']) if 'ACK' in p['flags'] else None
        shift = wscale.get(me, 0) if both_scale and 'SYN' not in p['flags'] else 0
        p['scaledWindow'] = p['window'] << shift
        space = p['len'] + (1 if 'SYN' in p['flags'] else 0) + (1 if 'FIN' in p['flags'] else 0)
        end = (p['relSeq'] + space) if me in isn else None
        top = highest.get(me)
        p['retransmission'] = bool(space and end is not None and top is not None and p['relSeq'] < top)
        if end is not None and (top is None or end > top):
            highest[me] = end
    return isn


def trace_events(raw):
    lines = read_jsonl(raw['trace.jsonl'])
    return lines[1:] if lines and 'events' in lines[0] else lines


def socket_timelines(raw, packets, zero):
    """Per socket (endpoint, local, remote): its states in time, from the state tracepoint (exact) and
    the sock_diag poll (request and TIME-WAIT sockets; when a socket goes away)."""
    sockets = {}

    def entry(role, local, remote):
        key = (role, local, remote)
        if key not in sockets:
            sockets[key] = {'endpoint': role, 'local': local, 'remote': remote,
                            'listener': remote == '0.0.0.0:0', 'states': []}
        return sockets[key]

    def add(sock, t, state, source):
        states = sock['states']
        if states and states[-1]['state'] == state:
            return
        states.append({'t': ms(t, zero), 'state': state, 'source': source})

    for e in sorted((e for e in trace_events(raw) if e['event'] == 'inet_sock_set_state'), key=lambda e: e['t']):
        role = ROLE_OF.get(e['saddr'])
        if role is None:
            continue
        sock = entry(role, f"{e['saddr']}:{e['sport']}", f"{e['daddr']}:{e['dport']}")
        old, new = STATE_NAMES.get(e['oldstate'], e['oldstate']), STATE_NAMES.get(e['newstate'], e['newstate'])
        if not sock['states'] and old not in ('CLOSED', 'LISTEN'):
            add(sock, e['t'], old, 'trace')
        add(sock, e['t'], new, 'trace')
    polls = {}
    for role in ('client', 'server'):
        for e in read_jsonl(raw[f'proc-{role}.jsonl']):
            if 'socket' not in e:
                continue
            local, remote = e['socket'].split(' ')
            polls.setdefault((role, local, remote), []).append(e)
    for key, seen in polls.items():
        sock = entry(*key)
        merged = sock['states']
        for e in seen:
            t = e['t']
            if e['state'] is None:
                # Gone. The tracepoint already said CLOSED for full sockets; a TIME-WAIT or FIN-WAIT-2
                # socket (inet_timewait_sock) or a request socket ends only here.
                if merged and merged[-1]['state'] != 'CLOSED':
                    merged.append({'t': ms(t, zero), 'state': 'CLOSED', 'source': 'poll'})
                continue
            state = e['state']
            if state in ('TIME-WAIT', 'FIN-WAIT-2') and merged and merged[-1]['state'] == 'CLOSED' and merged[-1]['source'] == 'trace':
                # The full socket was closed (tracepoint: -> CLOSED) and replaced by a timewait socket:
                # for TCP that is the transition to TIME-WAIT (or staying in FIN-WAIT-2, orphaned).
                closed = merged.pop()
                if not merged or merged[-1]['state'] != state:
                    merged.append({'t': closed['t'], 'state': state, 'source': 'trace+poll'})
                if e.get('timer') == 'time-wait' and e.get('expires'):
                    sock['timewaitExpiresMs'] = e['expires']
                continue
            if not any(s['state'] == state for s in merged):
                merged.append({'t': ms(t, zero), 'state': state, 'source': 'poll'})
                merged.sort(key=lambda s: s['t'])
    # A passive connection is in SYN-RECEIVED (a request socket) from the moment its SYN arrives; the
    # tracepoint sees only the full socket created when the handshake's ACK comes. The poll may miss
    # a request socket that lives one round trip: then the SYN's arrival (leaving the router) says it.
    for sock in sockets.values():
        states = sock['states']
        if sock['listener'] or not states or states[0]['state'] != 'SYN-RECEIVED':
            continue
        syns = [p for p in packets if p['flags'] == ['SYN'] and p['dst'] == sock['local'] and p['arrival'] is not None]
        if syns and ms(syns[0]['arrival'], zero) < states[0]['t']:
            states[0] = {'t': ms(syns[0]['arrival'], zero), 'state': 'SYN-RECEIVED', 'source': 'pcap'}
    return sorted(sockets.values(), key=lambda s: (s['endpoint'], s['listener'], s['local']))


def within(sockets, end):
    """Only what happened while the capture was running (the drivers exit after it), and only sockets
    that had a state (a socket that was only ever CLOSED, e.g. bound and released, is left out)."""
    for sock in sockets:
        sock['states'] = [s for s in sock['states'] if s['t'] <= end]
    return [s for s in sockets if any(x['state'] != 'CLOSED' for x in s['states'])]


def app_calls(raw, zero):
    calls = []
    for role in ('client', 'server'):
        for e in read_jsonl(raw[f'app-{role}.jsonl']):
            if e['call'] in ('start', 'exit'):
                continue
            call = {'t': ms(e['t'], zero), 'endpoint': role, 'call': e['call'], 'result': e['result']}
            for key in ('bytes', 'how', 'option', 'value', 'auto', 'congestion', 'sndWnd', 'seq', 'ack', 'window'):
                if key in e:
                    call[key] = e[key]
            if 'tDone' in e:
                call['done'] = ms(e['tDone'], zero)
            calls.append(call)
    return sorted(calls, key=lambda c: c['t'])


def fault_texts(case):
    out = []
    for drop in case['drops']:
        nth = drop['nth']
        which = 'every' if nth == 'all' else ' and '.join(ordinal(n) for n in nth)
        out.append(f"drop {which} match of {drop['text']} ({drop['from']} -> router: {drop['match']})")
    for flags in case['cross']:
        out.append(f'hold the first {flags} of each direction until the other one arrives, then release both')
    if case.get('stall'):
        stall = case['stall']
        out.append(f"stall: from {ordinal(stall['nth'])} packet the {stall['from']} sends, hold what it sends for {stall['ms']:g} ms, "
                   f"then release it one every {stall['gap']:g} ms")
    for hold in case.get('hold') or []:
        out.append(f"hold {ordinal(hold['nth'])} new data segment the {hold['from']} sends {hold['ms']:g} ms more, so later ones overtake it")
    return out


def ordinal(n):
    return {1: 'the first', 2: 'the second', 3: 'the third'}.get(n, f'the {n}th')


def delays(raw, packets):
    held = {}
    for e in read_jsonl(raw['nfq.jsonl']):
        if e.get('held') and e.get('packet'):
            held.setdefault((e['packet']['src'], e['packet']['dst'], tuple(e['packet']['flags'])), []).append(e['held'])
    measured = [
        (p['arrival'] - p['t']) * 1000 for p in packets
        if p['arrival'] is not None and (p['src'], p['dst'], tuple(sorted(p['flags']))) not in held
    ]
    if not measured:
        return None
    return {'min': round(min(measured), 3), 'median': round(statistics.median(measured), 3), 'max': round(max(measured), 3)}


def summarize(case, raw, meta):
    packets = packets_of(raw, meta)
    if not packets:
        raise RuntimeError(f"{case['name']}: the capture holds no packet")
    zero = packets[0]['t']
    for p in packets:
        p['to'] = 'server' if p['from'] == 'client' else 'client'
    isn = relative(packets)
    nfq = {(e['packet']['src'], e['packet']['dst'], tuple(e['packet']['flags'])): e['held']
           for e in read_jsonl(raw['nfq.jsonl']) if e.get('held') and e.get('packet')}
    out_packets = []
    for index, p in enumerate(packets, 1):
        item = {
            'index': index, 't': ms(p['t'], zero),
            'arrival': None if p['arrival'] is None else ms(p['arrival'], zero),
            'dropped': p['arrival'] is None,
            'from': p['from'], 'to': p['to'],
            'flags': p['flags'], 'seq': p['seq'], 'ack': p['ack'], 'relSeq': p['relSeq'], 'relAck': p['relAck'],
            'len': p['len'], 'window': p['window'], 'scaledWindow': p['scaledWindow'],
            'options': {k: v for k, v in p['options'].items() if k != 'other'},
            'retransmission': p['retransmission'],
        }
        held = nfq.get((p['src'], p['dst'], tuple(sorted(p['flags']))))
        if held and 'SYN' in p['flags'] or held and 'FIN' in p['flags']:
            item['held'] = held
        elif case.get('stall') and item['arrival'] is not None and item['arrival'] - item['t'] > case['delay'] + 50:
            item['held'] = 'stall'
        elif case.get('hold') and item['arrival'] is not None and item['len'] > 0 and item['arrival'] - item['t'] > case['delay'] + min(h['ms'] for h in case['hold']) / 2:
            item['held'] = 'hold'
        out_packets.append(item)
    trace = trace_events(raw)
    kernel_events = [
        {'t': ms(e['t'], zero), 'event': e['event'],
         **{k: e[k] for k in ('saddr', 'sport', 'daddr', 'dport', 'state', 'reason') if k in e}}
        for e in trace if e['event'] != 'inet_sock_set_state'
    ]
    polls = {}
    for role in ('client', 'server'):
        last = [e for e in read_jsonl(raw[f'proc-{role}.jsonl']) if 'polls' in e]
        if last:
            polls[role] = round(last[-1]['seconds'] * 1000 / max(1, last[-1]['polls']), 3)
    endpoints = []
    for role in ('client', 'server'):
        address, port = ADDRESSES[role].split(':')
        item = {'name': role, 'address': address, 'port': int(port)}
        if role in isn:
            item['isn'] = isn[role]
        endpoints.append(item)
    congestion = sorted({c.get('congestion') or c.get('value') for c in app_calls(raw, zero)
                         if c['call'] == 'accept' or c.get('option') == 'TCP_CONGESTION'})
    return {
        'version': 1,
        'case': case['name'],
        'title': case['title'],
        'description': case['what'],
        'endpoints': endpoints,
        'duration': ms(meta['t0'] + case['duration'] / 1000, zero),
        'packets': out_packets,
        'sockets': within(socket_timelines(raw, packets, zero), ms(meta['t0'] + case['duration'] / 1000, zero)),
        'app': app_calls(raw, zero),
        'kernelEvents': kernel_events,
        'meta': {
            'kernel': meta['kernel'],
            'hz': meta.get('hz'),
            'captured': datetime.datetime.fromtimestamp(zero, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
            'appStart': ms(meta['t0'], zero),
            'delayMs': case['delay'],
            'measuredDelayMs': delays(raw, packets),
            'faults': fault_texts(case),
            'nftRuleset': meta['nftRuleset'],
            'nftAfter': meta['nftCounters'],
            'counters': meta.get('counters'),
            'congestionControl': congestion,
            'sysctls': meta['sysctls'],
            'tools': meta['tools'],
            'statePollMs': polls,
            'tracepoints': bool(meta.get('tracepoints')),
            'loadAverage': [round(x, 2) for x in meta['load']],
        },
    }


def signature(summary):
    """What must be the same for two runs to count as the same behaviour: the segments in order with
    their flags, relative numbers, lengths and fate (times are compared separately)."""
    out = []
    for p in summary['packets']:
        arrow = 'C>S' if p['from'] == 'client' else 'S>C'
        ack = '' if p['relAck'] is None else f" ack={p['relAck']}"
        sack = ''
        if p['options'].get('sack'):
            sack = ' sack'
        out.append(f"{arrow} {','.join(p['flags'])} seq={p['relSeq']}{ack} len={p['len']}{sack}{' DROPPED' if p['dropped'] else ''}")
    return out


def signature_text(summary):
    parts = signature(summary)
    return f'{len(parts)} segments: ' + '; '.join(parts[:12]) + (' ...' if len(parts) > 12 else '')


def example(runs, sig, numbers, modal):
    """A behaviour other than the commonest: where its segments first differ from the commonest's, the
    segments and times from there (at most 8) and its first run's application calls."""
    if sig == modal:
        return {'runs': numbers}
    summary = runs[numbers[0] - 1][0]
    first = next((i for i, (a, b) in enumerate(zip(sig, modal)) if a != b), min(len(sig), len(modal)))
    return {
        'runs': numbers,
        'firstDifference': first + 1,
        'segments': list(sig[first:first + 8]),
        'times': [p['t'] for p in summary['packets'][first:first + 8]],
        'app': [[c['t'], c['endpoint'], c['call'], c['result']] for c in summary['app'] if c['call'] != 'setsockopt'],
    }


def repetitions(runs):
    signatures = {}
    for number, (summary, _raw, _dir) in enumerate(runs, 1):
        signatures.setdefault(tuple(signature(summary)), []).append(number)
    ordered = sorted(signatures.items(), key=lambda item: (-len(item[1]), item[1][0]))
    modal_runs = ordered[0][1]
    modal = [runs[n - 1][0] for n in modal_runs]
    times = []
    for i in range(len(modal[0]['packets'])):
        values = [s['packets'][i]['t'] for s in modal]
        times.append({'min': min(values), 'median': round(statistics.median(values), 3), 'max': max(values)})
    # The representative: a run of the commonest behaviour, closest to the median times.
    best = min(modal_runs, key=lambda n: sum(abs(p['t'] - times[i]['median']) for i, p in enumerate(runs[n - 1][0]['packets'])))
    states = {}
    for number, (summary, _raw, _dir) in enumerate(runs, 1):
        seq = ' | '.join(
            f"{s['endpoint']}{' listener' if s['listener'] else ''}: " + ' > '.join(x['state'] for x in s['states'])
            for s in summary['sockets'])
        states.setdefault(seq, []).append(number)
    return best, {
        'runs': len(runs),
        'representative': best,
        'behaviours': [example(runs, sig, numbers, ordered[0][0]) for sig, numbers in ordered],
        'stateSequences': [{'runs': numbers, 'states': seq} for seq, numbers in sorted(states.items(), key=lambda i: -len(i[1]))],
        'packetTimes': times,
    }


def dumps(value, indent=0, width=600):
    """JSON that stays small and readable: a value on one line when it fits, else one item per line."""
    flat = json.dumps(value, separators=(', ', ': '), ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    pad = ' ' * (indent + 1)
    if isinstance(value, dict):
        items = [f'{pad}{json.dumps(k)}: {dumps(v, indent + 1, width)}' for k, v in value.items()]
        return '{\n' + ',\n'.join(items) + '\n' + ' ' * indent + '}'
    items = [pad + dumps(v, indent + 1, width) for v in value]
    return '[\n' + ',\n'.join(items) + '\n' + ' ' * indent + ']'


def write_case(case, runs, case_dir):
    best, stats = repetitions(runs)
    summary, raw, _workdir = runs[best - 1]
    summary = dict(summary)
    summary['repetitions'] = stats
    shutil.copyfile(raw['capture.pcap'], os.path.join(case_dir, 'capture.pcap'))
    with open(os.path.join(case_dir, 'capture.json'), 'w') as out:
        out.write(dumps(summary) + '\n')
    with open(os.path.join(case_dir, 'scenario.tcpscenario'), 'w') as out:
        out.write(scenario.scenario_text(case, summary))


def write_scenario(case, case_dir):
    """Rewrites a case's scenario from its stored summary (after a change to scenario.py)."""
    with open(os.path.join(case_dir, 'capture.json')) as handle:
        summary = json.load(handle)
    with open(os.path.join(case_dir, 'scenario.tcpscenario'), 'w') as out:
        out.write(scenario.scenario_text(case, summary))
