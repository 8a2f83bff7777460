#!/usr/bin/env python3
"""Captures the real Linux kernel playing the cases of cases.py and writes the test fixtures.

    sudo python3 scripts/capture/capture.py                 # every case, into test/fixtures/captures/
    sudo python3 scripts/capture/capture.py CASE... [--out DIR] [--repeat N] [--keep-raw]

Needs root, `ip` (iproute2), `nft` (nftables), `iptables` (for the NFQUEUE target: this kernel's
nftables has no `queue` expression, iptables-nft reaches xt_NFQUEUE through nft_compat), `tcpdump`,
and tracefs for the state tracepoints (optional: /proc/net/tcp polling is always there).
Each run builds its own namespaces (topology.py), starts the observers, the two drivers, waits for
the case's duration, stops everything and removes the namespaces, also on error or Ctrl-C.
"""
import argparse
import json
import os
import platform
import select
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree

import cases as case_defs  # noqa: E402
import summarize  # noqa: E402
import topology  # noqa: E402
from topology import Topology, run  # noqa: E402

PYTHON = shutil.which('python3', path='/usr/bin:/bin') or sys.executable
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(ROOT, 'test', 'fixtures', 'captures')


class Interrupted(Exception):
    pass


def on_signal(signum, _frame):
    raise Interrupted(f'signal {signum}')


def wait_for_file(path, seconds, proc=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path):
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.01)
    return False


def stop(proc, seconds=5):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=seconds)


def started_before(log, t):
    try:
        with open(log) as handle:
            first = json.loads(handle.readline())
    except (OSError, ValueError):
        return False
    return first.get('call') == 'start' and first['t'] < t


def nft_rules(case, topo):
    """The router's nftables ruleset: counted drops with dynamic sets (see cases.py)."""
    lines = ['table inet capture {']
    rules = []
    addresses = {'client': topology.CLIENT_ADDR, 'server': topology.SERVER_ADDR}
    for index, drop in enumerate(case['drops'], 1):
        src = addresses[drop['from']]
        match = f"ip saddr {src} {drop['match']}"
        key = 'ip saddr . tcp sport'
        if 'afterFinFrom' in drop:
            other = addresses[drop['afterFinFrom']]
            lines.append(f'  set r{index}_fin {{ type ipv4_addr . inet_service; flags dynamic; }}')
            rules.append(f'    ip saddr {other} tcp flags & fin == fin add @r{index}_fin {{ ip daddr . tcp dport }}')
            match += f' {key} @r{index}_fin'
        if drop['nth'] == 'all':
            rules.append(f'    {match} counter drop')
            continue
        top = max(drop['nth'])
        for level in range(1, top + 1):
            lines.append(f'  set r{index}_{level} {{ type ipv4_addr . inet_service; flags dynamic; }}')

        def verdict(n):
            return 'counter drop' if n in drop['nth'] else 'accept'
        # Sets grow one level per match (r_1 holds flows matched once, r_2 twice...): the highest
        # level a flow is in tells how many matches came before this one.
        rules.append(f'    {match} {key} @r{index}_{top} accept')
        for level in range(top - 1, 0, -1):
            rules.append(f'    {match} {key} @r{index}_{level} add @r{index}_{level + 1} {{ {key} }} {verdict(level + 1)}')
        rules.append(f'    {match} add @r{index}_1 {{ {key} }} {verdict(1)}')
    # Before iptables' filter chain (priority 0), which queues to nfqdelay: a dropped packet is never delayed.
    lines.append('  chain faults {')
    lines.append('    type filter hook forward priority -10; policy accept;')
    lines.extend(rules)
    lines.append('  }')
    lines.append('}')
    return '\n'.join(lines) + '\n'


def driver_program(case, role, go):
    me, peer = (
        (f'{topology.CLIENT_ADDR}:{topology.CLIENT_PORT}', f'{topology.SERVER_ADDR}:{topology.SERVER_PORT}')
        if role == 'client' else
        (f'{topology.SERVER_ADDR}:{topology.SERVER_PORT}', f'{topology.CLIENT_ADDR}:{topology.CLIENT_PORT}')
    )
    spec = case[role]
    return {
        'name': role, 'local': me, 'peer': peer, 'go': go, 'end': case['duration'] + 300,
        'autoread': spec['autoread'], 'options': spec['options'], 'steps': spec['steps'], 'sniff': spec.get('sniff', False),
    }


def tool_versions():
    versions = {'python': platform.python_version()}
    for name, cmd in (('tcpdump', ['tcpdump', '--version']), ('nft', ['nft', '--version']),
                      ('iptables', ['iptables', '--version']), ('iproute2', ['ip', '-V'])):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=5)
            versions[name] = (out.stdout or out.stderr).splitlines()[0].strip()
        except (OSError, IndexError, subprocess.TimeoutExpired):
            versions[name] = None
    return versions


def capture_once(case, tag, workdir):
    """One run of a case; returns the raw file paths and the run's metadata."""
    topo = Topology(tag)
    procs = {}
    raw = {name: os.path.join(workdir, name) for name in (
        'capture.pcap', 'nfq.jsonl', 'trace.jsonl', 'proc-client.jsonl', 'proc-server.jsonl',
        'app-client.jsonl', 'app-server.jsonl', 'client.json', 'server.json')}
    meta = {}
    for name in list(raw.values()) + [os.path.join(workdir, f) for f in ('go', 'nfq.ready', 'trace.ready')]:
        if os.path.exists(name):
            os.unlink(name)  # from an earlier attempt of this run
    try:
        topo.up({})
        for role, ns in (('client', topo.client), ('server', topo.server)):
            for key, value in case[role].get('sysctls', {}).items():
                topo.sysctl(ns, key, value)
        ruleset = nft_rules(case, topo)
        topo.nft(ruleset)
        run('ip', 'netns', 'exec', topo.router, 'iptables-nft', '-A', 'FORWARD', '-p', 'tcp',
            '-j', 'NFQUEUE', '--queue-num', '0', '--queue-bypass')
        meta['ifindex'] = {str(topo.ifindex(topo.router, 'r-client')): 'client', str(topo.ifindex(topo.router, 'r-server')): 'server'}
        meta['sysctls'] = {
            role: {key: topo.read_sysctl(ns, key) for key in topology.RECORDED_SYSCTLS}
            for role, ns in (('client', topo.client), ('server', topo.server))
        }
        span = case['duration'] / 1000 + 30
        # The drivers start first (Python is slow to start on a loaded machine) and wait for the go file.
        go = os.path.join(workdir, 'go')
        for role, ns in (('server', topo.server), ('client', topo.client)):
            with open(raw[f'{role}.json'], 'w') as out:
                json.dump(driver_program(case, role, go), out)
            procs[f'app-{role}'] = subprocess.Popen(
                ['ip', 'netns', 'exec', ns, PYTHON, os.path.join(HERE, 'driver.py'), raw[f'{role}.json'], raw[f'app-{role}.jsonl']])
        if case['delay'] > 0 or case['cross'] or case.get('stall') or case.get('hold'):
            ready = os.path.join(workdir, 'nfq.ready')
            cmd = ['ip', 'netns', 'exec', topo.router, PYTHON, os.path.join(HERE, 'nfqdelay.py'),
                   '--delay', str(case['delay']), '--log', raw['nfq.jsonl'], '--ready', ready, '--max-seconds', str(span)]
            for flags in case['cross']:
                cmd += ['--cross', flags]
            if case.get('stall'):
                stall = case['stall']
                src = topology.CLIENT_ADDR if stall['from'] == 'client' else topology.SERVER_ADDR
                cmd += ['--stall', f"{src},{stall['nth']},{stall['ms']},{stall['gap']}"]
            for hold in case.get('hold') or []:
                src = topology.CLIENT_ADDR if hold['from'] == 'client' else topology.SERVER_ADDR
                cmd += ['--hold', f"{src},{hold['nth']},{hold['ms']}"]
            procs['nfq'] = subprocess.Popen(cmd)
            if not wait_for_file(ready, 10, procs['nfq']):
                raise RuntimeError('the NFQUEUE reader did not start')
        ready = os.path.join(workdir, 'trace.ready')
        procs['trace'] = subprocess.Popen(
            ['unshare', '-m', '--propagation', 'private', PYTHON, os.path.join(HERE, 'tracestate.py'),
             '--ports', f'{topology.CLIENT_PORT},{topology.SERVER_PORT}',
             '--addrs', f'{topology.CLIENT_ADDR},{topology.SERVER_ADDR}',
             '--log', raw['trace.jsonl'], '--ready', ready, '--max-seconds', str(span)],
            stderr=subprocess.PIPE, text=True)
        meta['tracepoints'] = wait_for_file(ready, 10, procs['trace'])
        if not meta['tracepoints']:
            stop(procs['trace'])
            print(f"no tracepoints ({procs.pop('trace').stderr.read().strip()[-300:]}); states from /proc/net/tcp only", file=sys.stderr)
        for role, ns in (('client', topo.client), ('server', topo.server)):
            procs[f'proc-{role}'] = subprocess.Popen(
                ['ip', 'netns', 'exec', ns, PYTHON, os.path.join(HERE, 'statepoll.py'),
                 '--interval', '2', '--log', raw[f'proc-{role}.jsonl'], '--max-seconds', str(span)])
        procs['tcpdump'] = subprocess.Popen(
            ['ip', 'netns', 'exec', topo.router, 'tcpdump', '--immediate-mode', '-i', 'any', '-y', 'LINUX_SLL2', '-s', '128', '-n',
             '--time-stamp-precision=nano', '-U', '-w', raw['capture.pcap'], 'tcp'],
            stderr=subprocess.PIPE)
        # tcpdump says "listening on" once its socket is bound.
        # Raw reads with select (a buffered readline could hold the line select is waiting for).
        said = b''
        deadline = time.time() + 15
        err = procs['tcpdump'].stderr.fileno()
        while b'listening' not in said and time.time() < deadline:
            ready, _, _ = select.select([err], [], [], max(0.0, deadline - time.time()))
            chunk = os.read(err, 4096) if ready else b''
            if not chunk:
                break
            said += chunk
        if b'listening' not in said:
            raise RuntimeError(f"tcpdump: {said.decode(errors='replace').strip()}")
        time.sleep(0.2)
        go = os.path.join(workdir, 'go')
        t0 = time.time() + 0.3
        with open(go + '.tmp', 'w') as out:
            out.write(repr(t0))
        os.rename(go + '.tmp', go)
        end = t0 + case['duration'] / 1000
        while time.time() < end:
            time.sleep(min(0.2, max(0.0, end - time.time())))
        meta['t0'] = t0
        meta['lateStart'] = [role for role in ('client', 'server') if not started_before(raw[f'app-{role}.jsonl'], t0 - 0.15)]
        time.sleep(0.1)
        stop(procs.pop('tcpdump'))
        for name in ('proc-client', 'proc-server', 'trace', 'nfq'):
            stop(procs.pop(name, None))
        meta['nftCounters'] = topo.nft_list()
        meta['counters'] = {role: topo.counters(ns) for role, ns in (('client', topo.client), ('server', topo.server))}
        meta['nftRuleset'] = ruleset
        meta['load'] = os.getloadavg()
    finally:
        for proc in procs.values():
            stop(proc, 2)
        topo.down()
    return raw, meta


def kernel_hz():
    """CONFIG_HZ from /proc/config.gz when the kernel exposes its configuration (timer granularity)."""
    import gzip
    try:
        with gzip.open('/proc/config.gz', 'rt') as config:
            for line in config:
                if line.startswith('CONFIG_HZ='):
                    return int(line.split('=')[1])
    except OSError:
        pass
    return None


def cleanup_leftovers():
    """Namespaces of an earlier run of this tool whose process is gone (it was killed)."""
    for ns in topology.leftover_namespaces():
        pid = ns.split('-')[1] if ns.count('-') >= 3 else ''
        if pid.isdigit() and not os.path.exists(f'/proc/{pid}'):
            print(f'removing leftover namespace {ns}')
            run('ip', 'netns', 'del', ns, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('cases', nargs='*', help='case names (default: all)')
    parser.add_argument('--out', default=DEFAULT_OUT)
    parser.add_argument('--repeat', type=int, help="runs per case (default: the case's own)")
    parser.add_argument('--keep-raw', action='store_true', help='keep every run\'s raw files in OUT/CASE/runs/')
    parser.add_argument('--list', action='store_true')
    parser.add_argument('--scenarios-only', action='store_true',
                        help='rewrite each case\'s scenario.tcpscenario from its stored capture.json (no capture, no root)')
    args = parser.parse_args()
    if args.list:
        for c in case_defs.CASES:
            print(f"{c['name']:24} x{c['repeat']:<3} {c['title']}")
        return 0
    if args.scenarios_only:
        for case in [case_defs.BY_NAME[name] for name in args.cases] if args.cases else case_defs.CASES:
            case_dir = os.path.join(args.out, case['name'])
            if os.path.exists(os.path.join(case_dir, 'capture.json')):
                summarize.write_scenario(case, case_dir)
        return 0
    if os.geteuid() != 0:
        print('capture.py needs root (network namespaces, nftables, tcpdump)', file=sys.stderr)
        return 2
    missing = [tool for tool in ('ip', 'nft', 'iptables-nft', 'tcpdump', 'unshare') if shutil.which(tool) is None]
    if missing:
        print(f"capture.py needs {', '.join(missing)} (Debian: iproute2 nftables iptables tcpdump util-linux)", file=sys.stderr)
        return 2
    unknown = [name for name in args.cases if name not in case_defs.BY_NAME]
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}; --list shows them", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    cleanup_leftovers()
    selected = [case_defs.BY_NAME[name] for name in args.cases] if args.cases else case_defs.CASES
    environment = {'kernel': platform.release(), 'machine': platform.machine(), 'tools': tool_versions(), 'hz': kernel_hz()}
    counter = 0
    try:
        for case in selected:
            repeat = args.repeat or case['repeat']
            case_dir = os.path.join(args.out, case['name'])
            os.makedirs(case_dir, exist_ok=True)
            runs = []
            for index in range(repeat):
                counter += 1
                workdir = os.path.join(case_dir, 'runs', str(index + 1)) if args.keep_raw else os.path.join('/tmp', f'tcpcap-{os.getpid()}-{counter}')
                os.makedirs(workdir, exist_ok=True)
                for attempt in range(3):
                    raw, meta = capture_once(case, f'{os.getpid()}-{counter}', workdir)
                    if not meta['lateStart']:
                        break
                    print(f"{case['name']}: {', '.join(meta['lateStart'])} started late; again", file=sys.stderr)
                summary = summarize.summarize(case, raw, {**meta, **environment})
                runs.append((summary, raw, workdir))
                print(f"{case['name']} run {index + 1}/{repeat}: {summarize.signature_text(summary)}", flush=True)
            summarize.write_case(case, runs, case_dir)
            if not args.keep_raw:
                for _summary, _raw, workdir in runs:
                    shutil.rmtree(workdir, ignore_errors=True)
    except Interrupted as stopped:
        print(f'stopped ({stopped}); namespaces removed', file=sys.stderr)
        return 130
    return 0


if __name__ == '__main__':
    sys.exit(main())
