"""Writes the .tcpscenario (profile linux) that re-enacts a capture: the applications' calls at the
times the capture saw them (the language has fixed times only; an event-driven call such as "close on
EOF" is written at the time it happened), the router's faults as drop rules, the same addresses, ports
and ISNs, the 10 ms link, and `end` at the end of the observation.
"""


def fmt_time(ms):
    if ms <= 0:
        return '@0'
    if abs(ms - round(ms / 1000) * 1000) < 1e-6:
        return f'@{round(ms / 1000)}s'
    text = f'{ms:.1f}'.rstrip('0').rstrip('.')
    return f'@{text}ms'


def planned_times(case, role):
    return [step['at'] for step in case[role]['steps'] if 'at' in step]


def when(call, case, zero_shift):
    """A call's time in the scenario: its planned time when it was a timed step (the capture saw it
    within a millisecond of that), else when it happened, to 0.1 ms."""
    for at in planned_times(case, call['endpoint']):
        if abs(call['t'] - (at + zero_shift)) < 1.0:
            return max(0.0, float(at))
    return max(0.0, round(call['t'], 1))


def fault_lines(case, summary):
    lines = []
    packets = summary['packets']
    for drop in case['drops']:
        src, dst = drop['from'], 'server' if drop['from'] == 'client' else 'client'
        nth = drop['nth']
        count = 'always' if nth == 'all' else {1: 'once', 2: 'twice'}.get(len(nth), f'{len(nth)} times')
        dropped = [p for p in packets if p['dropped'] and p['from'] == src]
        text = drop['text']
        if drop.get('afterFinFrom'):
            fins = [p for p in packets if p['from'] == drop['afterFinFrom'] and 'FIN' in p['flags']]
            at = fins[0]['t'] if fins else 0
            lines.append((at, f'drop {src} -> {dst} ACK len=0 {count}', text))
        elif 'ip length 1500' in drop['match']:
            names = {1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth'}
            which = ' and '.join(names.get(n, str(n)) for n in nth)
            # The n-th full segment is the one at seq ISN + 1 + (n-1)*1448: one rule per dropped segment.
            for n, p in zip(nth, dropped):
                lines.append((0, f"drop {src} -> {dst} data len=1448 seq={p['seq']} once", f'{text}: the {names.get(n, str(n))}'))
            if len(dropped) < len(nth):
                lines.append((0, f'drop {src} -> {dst} data len=1448 {count}', f'{text}: the {which}'))
        elif 'ip length 152' in drop['match']:
            lines.append((0, f'drop {src} -> {dst} data len=100 {count}', text))
        elif drop['match'] == 'tcp flags == syn':
            lines.append((0, f'drop {src} -> {dst} SYN {count}', text))
        elif drop['match'] == 'tcp flags == syn|ack':
            lines.append((0, f'drop {src} -> {dst} SYN,ACK {count}', text))
        elif 'fin' in drop['match']:
            lines.append((0, f'drop {src} -> {dst} FIN,ACK {count}', text))
        else:
            raise ValueError(f"no scenario pattern for {drop['match']}")
    return lines


def statements(case, summary):
    zero_shift = summary['meta']['appStart']
    out = []
    linger = {}
    for call in summary['app']:
        me = call['endpoint']
        peer = 'server' if me == 'client' else 'client'
        t = when(call, case, zero_shift)
        name = call['call']
        note = ''
        if name == 'listen':
            out.append((t, f'{me} listen', ''))
        elif name == 'connect':
            out.append((t, f'{me} connect {peer}', ''))
        elif name == 'connect-done' and call['result'] != 'ok':
            out.append((t, None, f"{me}: connect() fails with {call['result']} at {call['t']} ms"))
        elif name in ('send', 'fill-window'):
            if name == 'fill-window':
                note = f"sent exactly the advertised window until it was zero: {call['bytes']} bytes"
            elif call['result'] != 'ok':
                note = f"send() failed with {call['result']}"
            out.append((t, f"{me} send {call['bytes']}", note))
        elif name == 'recv' and call.get('auto') and call['result'] != 'ok':
            out.append((t, None, f"{me}: recv() fails with {call['result']} at {call['t']} ms"))
        elif name == 'recv' and call.get('auto') and call.get('bytes') == 0:
            out.append((t, None, f'{me}: recv() returns 0 (EOF) at {call["t"]} ms'))
        elif name == 'inject-fin':
            # The window field scaled as the receiver reads it (both SYNs offered window scaling).
            scales = {p['from']: p['options'].get('wscale') for p in summary['packets'] if 'SYN' in p['flags']}
            shift = scales.get(me) or 0 if all(v is not None for v in scales.values()) and len(scales) == 2 else 0
            out.append((t, f"inject {me} -> {peer} FIN,ACK seq={call['seq']} ack={call['ack']} wnd={call['window'] << shift}",
                        'sent from a raw socket: the FIN Linux would not send into a zero window'))
        elif name == 'autoread':
            out.append((t, f'{me} receive', 'the application reads everything from now on'))
        elif name == 'setsockopt' and call.get('option') == 'SO_LINGER':
            linger[me] = call['value'] == [1, 0]
            out.append((t, None, f'{me}: setsockopt(SO_LINGER, {{on, 0}})'))
        elif name == 'close':
            if linger.get(me):
                out.append((t, f'{me} abort', 'close() with SO_LINGER {on, 0}'))
            else:
                prior = [c for c in summary['app'] if c['endpoint'] == me and c['t'] <= call['t'] and c['call'] == 'recv' and c.get('bytes') == 0]
                errors = [c for c in summary['app'] if c['endpoint'] == me and c['t'] <= call['t'] and c['result'] not in ('ok', 'pending')]
                if prior and abs(prior[-1]['t'] - call['t']) < 1:
                    note = 'on EOF'
                elif errors and call['t'] - errors[-1]['t'] < 150 and t != call['t']:
                    note = ''
                out.append((t, f'{me} close', note))
        elif name == 'shutdown':
            out.append((t, f'{me} shutdown' if call.get('how', 'wr') == 'wr' else f"{me} shutdown {call['how']}", ''))
    return out


def scenario_text(case, summary):
    endpoints = {e['name']: e for e in summary['endpoints']}
    lines = [
        f"# Capture of Linux {summary['meta']['kernel']}: {case['title']}.",
        f"# {case['what']}",
        '#',
        '# Generated by scripts/capture/capture.py from capture.json (see docs/captures.md): the',
        "# applications' calls at the times the capture saw them (event-driven calls at the time they",
        '# happened), the router\'s faults as drop rules, the same addresses, ports and ISNs.',
        '',
        f"scenario \"Capture: {case['title']}\"",
        'profile linux',
        '',
    ]
    for role in ('client', 'server'):
        e = endpoints[role]
        extra = ''
        if 'isn' in e:
            extra += f" isn={e['isn']}"
        if not case[role].get('autoread', True):
            extra += ' autoread=off'
        rcvbuf = [v for k, v in case[role].get('options', []) if k == 'SO_RCVBUF']
        fills = [c for c in summary['app'] if c['call'] == 'fill-window']
        if rcvbuf and fills:
            extra += f" rcvbuf={fills[0]['bytes']}"
        lines.append(f"endpoint {role} {e['address']}:{e['port']}{extra}")
    if any(k == 'SO_RCVBUF' for role in ('client', 'server') for k, _ in case[role].get('options', [])):
        lines.append('# rcvbuf: the bytes the receiver took before its window closed (SO_RCVBUF 4096 in the capture)')
    # The delay the router measured (its forwarding adds ~0.15 ms to the 10 ms it waits), so that
    # arrival times do not drift apart round trip after round trip.
    measured = summary['meta'].get('measuredDelayMs')
    if measured:
        lines.append(f"link client <-> server delay={round(measured['median'], 2):g}ms  # measured median; the router waited {case['delay']:g} ms")
    else:
        lines.append(f"link client <-> server delay={case['delay']:g}ms  # what the router waited (no segment got through to measure)")
    lines.append('')
    timeline = [(t, text, note) for t, text, note in fault_lines(case, summary)]
    timeline += statements(case, summary)
    timeline.sort(key=lambda item: item[0])
    previous = None
    for t, text, note in timeline:
        stamp = fmt_time(t)
        if text is None:
            lines.append(f'# {note}')
            continue
        prefix = stamp if stamp != previous else ' ' * len(stamp)
        previous = stamp
        comment = f'  # {note}' if note else ''
        lines.append(f'{prefix} {text}{comment}')
    lines.append('')
    lines.append(f"end {fmt_time(summary['duration'])}  # the end of the capture")
    return '\n'.join(lines) + '\n'
