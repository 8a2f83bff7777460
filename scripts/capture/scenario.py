"""Writes the .tcpscenario (profile linux) that re-enacts a capture: the applications' calls at the
times the capture saw them, the calls a driver made on an event ("close on EOF", "close 100 ms after
the error") after a `wait until` for that event (the state the endpoint entered when it happened,
read from the capture's state timeline), what the kernel told the applications as `expect NAME CALL
failed ERRNO`, the router's faults as drop rules, the same addresses, ports and ISNs, the measured
link delay, and `end` at the end of the observation.
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
    lines += stall_lines(case, summary)
    lines += hold_lines(case, summary)
    return lines


def hold_lines(case, summary):
    """A held data segment as `delay ... seq=N ... once`, by what it waited beyond the link's delay."""
    if not case.get('hold'):
        return []
    measured = summary['meta'].get('measuredDelayMs')
    link = measured['median'] if measured else case['delay']
    src = case['hold'][0]['from']
    dst = 'server' if src == 'client' else 'client'
    return [(0, f"delay {src} -> {dst} data seq={p['seq']} len={p['len']} by {round(p['arrival'] - p['t'] - link, 2):g}ms once",
             f"the hold: seq={p['relSeq']} sent at {p['t']:.1f} ms arrived at {p['arrival']:.1f} ms")
            for p in summary['packets'] if p['from'] == src and p.get('held') == 'hold']


def stall_lines(case, summary):
    """A stall as one `delay ... once` per held segment, by what it waited beyond the link's delay.
    Delays that match one segment add up, so each rule names its segment's flags, ACK and length and
    starts between the one before it of the same kind (if any) and its own."""
    if not case.get('stall'):
        return []
    measured = summary['meta'].get('measuredDelayMs')
    link = measured['median'] if measured else case['delay']
    src = case['stall']['from']
    dst = 'server' if src == 'client' else 'client'
    lines = []
    last = {}
    for p in summary['packets']:
        if p['from'] != src:
            continue
        flags = ','.join(f for f in ('SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG') if f in p['flags'])
        kind = (flags, p['ack'], p['len'])
        before = last.get(kind)
        last[kind] = p
        if p.get('held') != 'stall':
            continue
        at = 0 if before is None else (before['t'] + p['t']) / 2
        extra = round(p['arrival'] - p['t'] - link, 2)
        lines.append((at, f"delay {src} -> {dst} {flags} ack={p['ack']} len={p['len']} by {extra:g}ms once",
                      f"the stall: ack={p['relAck']}{' with SACK' if p['options'].get('sack') else ''} "
                      f"sent at {p['t']:.1f} ms arrived at {p['arrival']:.1f} ms"))
    return lines


def fill_window_writes(summary, me, call):
    """The writes of a fill-window call, read off the wire: (time, bytes) per group of new data
    segments from `me` ending with PSH, from the call on (times to 0.1 ms, the write just before its
    first segment)."""
    writes = []
    size = 0
    start = None
    total = 0
    for p in summary['packets']:
        if p['from'] != me or p['len'] == 0 or p['retransmission'] or p['t'] < call['t'] - 1:
            continue
        if start is None:
            start = p['t']
        size += p['len']
        if 'PSH' in p['flags']:
            writes.append((round(start - 0.1, 1), size))
            total += size
            size = 0
            start = None
        if total >= call['bytes']:
            break
    if size:
        writes.append((round(start - 0.1, 1), size))
    return writes or [(call['t'], call['bytes'])]


# The calls of the case's steps in the driver's log (the log has more: the handshake's end, accepts,
# reads as data arrives, the TCP_CONGESTION every socket sets).
STEP_CALLS = {'listen', 'connect', 'send', 'close', 'shutdown', 'setsockopt', 'fill-window', 'inject-fin', 'autoread'}


def step_calls(case, summary, role):
    """Each of the role's steps with the logged call that performed it, in order."""
    logged = [c for c in summary['app'] if c['endpoint'] == role and c['call'] in STEP_CALLS
              and not (c['call'] == 'setsockopt' and c.get('option') == 'TCP_CONGESTION')]
    pairs = []
    for step in case[role]['steps']:
        call = next((c for c in logged if c['call'] == step['call']), None)
        if call is None:
            continue  # the capture ended before the step ran
        logged.remove(call)
        pairs.append((step, call))
    return pairs


def event_time(summary, role, event, before):
    """When the role's driver saw `event` (eof, error): the read that returned 0, or failed."""
    for c in summary['app']:
        if c['endpoint'] != role or c['call'] != 'recv' or c['t'] > before + 0.001:
            continue
        if event == 'eof' and c.get('bytes') == 0 and c['result'] == 'ok':
            return c
        if event == 'error' and c['result'] not in ('ok', 'pending'):
            return c
    return None


def state_at(summary, role, event, seen):
    """The state the role's connection entered when the event reached it: the peer's FIN (eof) or RST
    (error) arrived. The last state entered from its arrival until the application saw the event
    (a FIN,ACK that acknowledges our FIN goes through FIN-WAIT-2 to TIME-WAIT at once)."""
    peer = 'server' if role == 'client' else 'client'
    flag = 'FIN' if event == 'eof' else 'RST'
    arrivals = [p['arrival'] for p in summary['packets'] if p['from'] == peer and flag in p['flags'] and p['arrival'] is not None and p['arrival'] <= seen + 0.5]
    states = sorted((s for sock in summary['sockets'] if sock['endpoint'] == role and not sock['listener'] for s in sock['states']), key=lambda s: s['t'])
    if arrivals:
        entered = [s for s in states if arrivals[0] - 0.5 <= s['t'] <= min(arrivals[0] + 1, seen)]
        if entered:
            return entered[-1]['state']
    before = [s for s in states if s['t'] <= seen]
    return before[-1]['state'] if before else None


def call_text(me, peer, step, call, summary, linger):
    """The statement for a step's call, and a comment."""
    name = call['call']
    if name == 'listen':
        return f'{me} listen', ''
    if name == 'connect':
        return f'{me} connect {peer}', ''
    if name == 'send':
        return f"{me} send {call['bytes']}", ''
    if name == 'fill-window':
        # The first write; statements() adds the others (fill_window_writes).
        writes = fill_window_writes(summary, me, call)
        return f'{me} send {writes[0][1]}', f"fill the window: {len(writes)} writes, {call['bytes']} bytes, each when all before was acknowledged"
    if name == 'inject-fin':
        # The window field scaled as the receiver reads it (both SYNs offered window scaling).
        scales = {p['from']: p['options'].get('wscale') for p in summary['packets'] if 'SYN' in p['flags']}
        shift = scales.get(me) or 0 if all(v is not None for v in scales.values()) and len(scales) == 2 else 0
        return (f"inject {me} -> {peer} FIN,ACK seq={call['seq']} ack={call['ack']} wnd={call['window'] << shift}",
                'sent from a raw socket: the FIN Linux would not send into a zero window')
    if name == 'autoread':
        return f'{me} set autoread=on', 'the application reads everything from now on'
    if name == 'setsockopt' and call.get('option') == 'SO_LINGER':
        on, seconds = call['value']
        linger[me] = (on, seconds)
        return f"{me} set linger={(f'{seconds}s' if seconds else '0') if on else 'off'}", f"setsockopt(SO_LINGER, {{{on}, {seconds}}})"
    if name == 'close':
        return f'{me} close', 'close() with SO_LINGER {1, 0}: a RST' if linger.get(me) == (1, 0) else ''
    if name == 'shutdown':
        how = {'wr': '', 'rd': ' read', 'both': ' both'}[call.get('how', 'wr')]
        return f'{me} shutdown{how}', ''
    return None, ''


def result_expectations(summary, me):
    """What the kernel told the application: `expect NAME CALL failed ERRNO` for each failed call, at its time."""
    out = []
    for c in summary['app']:
        if c['endpoint'] != me or c['result'] in ('ok', 'pending'):
            continue
        call = {'connect-done': 'connect', 'recv': 'receive'}.get(c['call'], c['call'])
        if call in ('connect', 'send', 'receive', 'close', 'shutdown'):
            out.append((c, f"expect {me} {call} failed {c['result']}"))
    return out


def item(t, kind, text, note, after=0.0, order=None):
    """A line of the timeline: `t` when it happened in the capture, `kind` abs (runs at its time),
    wait (waits for an event), rel (`after` past the line before it in its chain) or abs-after (on
    the next line, at the same time); `order` breaks ties at one time (when the call was logged)."""
    return {'t': t, 'kind': kind, 'text': text, 'note': note, 'after': after, 'order': t if order is None else order}


def statements(case, summary):
    """The applications' lines, in the order they happened."""
    zero_shift = summary['meta']['appStart']
    items = []
    linger = {}
    for me in ('client', 'server'):
        peer = 'server' if me == 'client' else 'client'
        expectations = result_expectations(summary, me)
        previous_event = False
        for step, call in step_calls(case, summary, me):
            text, note = call_text(me, peer, step, call, summary, linger)
            if text is None:
                continue
            if 'on' in step:
                seen = event_time(summary, me, step['on'], call['t'])
                state = state_at(summary, me, step['on'], seen['t']) if seen else None
                if seen and state:
                    what = 'recv() returns 0 (EOF)' if step['on'] == 'eof' else f"recv() fails with {seen['result']}"
                    # CLOSED names the connection: an endpoint that listens is LISTEN once its connection is gone.
                    target = f' with {peer}' if state == 'CLOSED' else ''
                    chain = [item(seen['t'], 'wait', f'wait until {me} is {state}{target}', f"{what} at {seen['t']} ms")]
                    for c, expectation in list(expectations):
                        if c is seen:
                            chain.append(item(seen['t'], 'rel', expectation, 'what the kernel told the application'))
                            expectations.remove((c, expectation))
                    chain.append(item(call['t'], 'rel', text, note or ('on EOF' if step['on'] == 'eof' else 'after the error'), step.get('after', 0)))
                    for n, line in enumerate(chain):
                        line['order'] = seen['t'] + n * 1e-6  # the chain stays together, in order
                    items += chain
                    previous_event = True
                    continue
            elif 'after' in step and previous_event:
                items.append(item(call['t'], 'rel', text, note, step['after']))
                continue
            previous_event = False
            items.append(item(when(call, case, zero_shift), 'abs', text, note, order=call['t']))
            if call['call'] == 'fill-window':
                # The driver wrote the advertised window each time everything sent was acknowledged:
                # one write per group of new data segments ending with PSH (tcp_push marks a write's last).
                for wt, size in fill_window_writes(summary, me, call)[1:]:
                    items.append(item(wt, 'abs', f'{me} send {size}', '', order=wt))
            for c, expectation in list(expectations):
                if c is call:
                    # The call itself failed: check it on the next line, at the same time.
                    items.append(item(items[-1]['t'], 'abs-after', expectation, 'what the kernel told the application', order=call['t'] + 1e-6))
                    expectations.remove((c, expectation))
        for c, expectation in expectations:
            if c['call'] == 'connect-done':
                # An asynchronous result: check it once the connection is gone.
                items.append(item(c['t'], 'wait', f'wait until {me} is CLOSED', f"connect() fails with {c['result']} at {c['t']} ms"))
                items.append(item(c['t'], 'rel', expectation, 'what the kernel told the application', order=c['t'] + 1e-6))
    return items


def scenario_text(case, summary):
    endpoints = {e['name']: e for e in summary['endpoints']}
    lines = [
        f"# Capture of Linux {summary['meta']['kernel']}: {case['title']}.",
        f"# {case['what']}",
        '#',
        '# Generated by scripts/capture/capture.py from capture.json (see docs/captures.md): the',
        "# applications' calls at the times the capture saw them, calls made on an event after a",
        "# `wait until` for it, what the kernel told the applications as expectations, the router's",
        '# faults as drop rules, the same addresses, ports and ISNs.',
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
        # Socket options the application set before connecting, as the endpoint's settings.
        syncnt = [v for k, v in case[role].get('options', []) if k == 'TCP_SYNCNT']
        if syncnt:
            extra += f' syn-retries={syncnt[0]}'
        if case[role].get('sysctls', {}).get('net.ipv4.tcp_timestamps') == 0:
            extra += ' timestamps=off'
        if any(k == 'TCP_NODELAY' and v for k, v in case[role].get('options', [])):
            extra += ' nodelay=on'
        # The linux profile's rcvbuf is SO_RCVBUF: the kernel doubles it for memory and sizes its
        # window from that (docs/engine.md).
        rcvbuf = [v for k, v in case[role].get('options', []) if k == 'SO_RCVBUF']
        if rcvbuf:
            extra += f' rcvbuf={rcvbuf[0]}'
        lines.append(f"endpoint {role} {e['address']}:{e['port']}{extra}")
    if any(k == 'SO_RCVBUF' for role in ('client', 'server') for k, _ in case[role].get('options', [])):
        lines.append('# rcvbuf: SO_RCVBUF, as the capture set it (the kernel doubles it for memory)')
    # The delay the router measured (its forwarding adds ~0.15 ms to the 10 ms it waits), so that
    # arrival times do not drift apart round trip after round trip.
    measured = summary['meta'].get('measuredDelayMs')
    if measured:
        lines.append(f"link client <-> server delay={round(measured['median'], 2):g}ms  # measured median; the router waited {case['delay']:g} ms")
    else:
        lines.append(f"link client <-> server delay={case['delay']:g}ms  # what the router waited (no segment got through to measure)")
    lines.append('')
    timeline = [item(t, 'abs', text, note, order=-1) for t, text, note in fault_lines(case, summary)]
    timeline += statements(case, summary)
    # By time; at one time, in the order the applications acted (the listener before the connect).
    timeline.sort(key=lambda line: (line['t'], line['order']))
    previous = None  # the time prefix of the last `@T` line, for lines at the same time
    last_t = None  # when the line before happened in the capture
    for line in timeline:
        t, kind, text, note = line['t'], line['kind'], line['text'], line['note']
        comment = f'  # {note}' if note else ''
        if kind == 'wait':
            # The timeline holds here until the event; what follows counts from it.
            lines.append(f'{text}{comment}')
            previous = None
        elif kind == 'rel':
            # `after` past the line before it in its chain; if a line of the other side came between, the capture's own gap.
            after = line['after'] if last_t is None or abs(t - last_t - line['after']) < 1 else max(0.0, round(t - last_t, 1))
            lines.append(f'{fmt_time(after).replace("@", "+", 1)} {text}{comment}')
            previous = None
        elif kind == 'abs-after':
            lines.append(f'{" " * len(previous or "@0")} {text}{comment}')
        else:
            stamp = fmt_time(t)
            prefix = stamp if stamp != previous else ' ' * len(stamp)
            previous = stamp
            lines.append(f'{prefix} {text}{comment}')
        last_t = t
    lines.append('')
    lines.append(f"end {fmt_time(summary['duration'])}  # the end of the capture")
    return '\n'.join(lines) + '\n'
