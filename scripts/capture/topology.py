"""The capture topology: client ns <-> router ns <-> server ns, all created here and removed after.

    client 10.0.1.1 (eth0) --veth-- (r-client) 10.0.1.254  router  10.0.2.254 (r-server) --veth-- (eth0) 10.0.2.1 server

Every command names a namespace we created (`ip -n NS`, `ip netns exec NS`); nothing touches the
host's own interfaces, routes or nftables ruleset. The veth pairs are created inside the namespaces.
"""
import json
import os
import subprocess

CLIENT_ADDR = '10.0.1.1'
SERVER_ADDR = '10.0.2.1'
ROUTER_CLIENT_ADDR = '10.0.1.254'
ROUTER_SERVER_ADDR = '10.0.2.254'
CLIENT_PORT = 49152
SERVER_PORT = 80

# Sysctls recorded in each capture's metadata (read inside each namespace: most are per netns).
RECORDED_SYSCTLS = [
    'net.ipv4.tcp_congestion_control',
    'net.ipv4.tcp_syn_linear_timeouts',
    'net.ipv4.tcp_early_retrans',
    'net.ipv4.tcp_recovery',
    'net.ipv4.tcp_sack',
    'net.ipv4.tcp_dsack',
    'net.ipv4.tcp_timestamps',
    'net.ipv4.tcp_window_scaling',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_syn_retries',
    'net.ipv4.tcp_synack_retries',
    'net.ipv4.tcp_retries2',
    'net.ipv4.tcp_orphan_retries',
    'net.ipv4.tcp_rmem',
    'net.ipv4.tcp_wmem',
    'net.ipv4.tcp_adv_win_scale',
    'net.ipv4.tcp_slow_start_after_idle',
    'net.ipv4.tcp_no_metrics_save',
    'net.ipv4.tcp_ecn',
    'net.ipv4.tcp_frto',
    'net.ipv4.tcp_thin_linear_timeouts',
    'net.ipv4.tcp_autocorking',
    'net.ipv4.tcp_tso_win_divisor',
    'net.ipv4.tcp_rto_min_us',
    'net.ipv4.tcp_tw_reuse',
    'net.ipv4.tcp_max_tw_buckets',
]


def run(*cmd, check=True, capture=False, timeout=20):
    result = subprocess.run(list(cmd), check=False, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {result.returncode}: {result.stderr.strip()}")
    return result.stdout if capture else result


class Topology:
    def __init__(self, tag):
        self.tag = tag
        self.client = f'tcpcap-{tag}-c'
        self.router = f'tcpcap-{tag}-r'
        self.server = f'tcpcap-{tag}-s'
        self.created = []

    def namespaces(self):
        return [self.client, self.router, self.server]

    def sysctl(self, ns, key, value):
        run('ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', f'{key}={value}')

    def read_sysctl(self, ns, key):
        path = '/proc/sys/' + key.replace('.', '/')
        result = run('ip', 'netns', 'exec', ns, 'cat', path, check=False, capture=True)
        return ' '.join(result.split()) if result else None

    def up(self, host_sysctls):
        for ns in self.namespaces():
            run('ip', 'netns', 'add', ns)
            self.created.append(ns)
            run('ip', '-n', ns, 'link', 'set', 'lo', 'up')
            self.sysctl(ns, 'net.ipv6.conf.all.disable_ipv6', 1)
            self.sysctl(ns, 'net.ipv6.conf.default.disable_ipv6', 1)
        run('ip', '-n', self.router, 'link', 'add', 'r-client', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', self.client)
        run('ip', '-n', self.router, 'link', 'add', 'r-server', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', self.server)
        pairs = [
            (self.client, 'eth0', CLIENT_ADDR), (self.router, 'r-client', ROUTER_CLIENT_ADDR),
            (self.router, 'r-server', ROUTER_SERVER_ADDR), (self.server, 'eth0', SERVER_ADDR),
        ]
        for ns, dev, addr in pairs:
            # One MSS per skb: the capture shows the segments a NIC without TSO would put on the wire.
            run('ip', '-n', ns, 'link', 'set', 'dev', dev, 'gso_max_segs', '1')
            run('ip', '-n', ns, 'addr', 'add', f'{addr}/24', 'dev', dev)
            run('ip', '-n', ns, 'link', 'set', 'dev', dev, 'up')
        run('ip', '-n', self.client, 'route', 'add', 'default', 'via', ROUTER_CLIENT_ADDR)
        run('ip', '-n', self.server, 'route', 'add', 'default', 'via', ROUTER_SERVER_ADDR)
        self.sysctl(self.router, 'net.ipv4.ip_forward', 1)
        for key in ('net.ipv4.conf.all.send_redirects', 'net.ipv4.conf.default.send_redirects'):
            self.sysctl(self.router, key, 0)
        # Static neighbours: no ARP exchange delays the first SYN or the first forwarded packet.
        macs = {(ns, dev): self.mac(ns, dev) for ns, dev, _ in pairs}
        neighbours = [
            (self.client, 'eth0', ROUTER_CLIENT_ADDR, macs[(self.router, 'r-client')]),
            (self.router, 'r-client', CLIENT_ADDR, macs[(self.client, 'eth0')]),
            (self.router, 'r-server', SERVER_ADDR, macs[(self.server, 'eth0')]),
            (self.server, 'eth0', ROUTER_SERVER_ADDR, macs[(self.router, 'r-server')]),
        ]
        for ns, dev, addr, mac in neighbours:
            run('ip', '-n', ns, 'neigh', 'replace', addr, 'lladdr', mac, 'dev', dev, 'nud', 'permanent')
        for ns in (self.client, self.server):
            for key, value in host_sysctls.items():
                self.sysctl(ns, key, value)

    def counters(self, ns):
        """The namespace's non-zero TCP counters (Tcp: from /proc/net/snmp, TcpExt: from /proc/net/netstat):
        which mechanism acted (TCPLossProbes, TCPTimeouts, DelayedACKs, TCPSackRecovery...)."""
        out = {}
        for path, groups in (('/proc/net/snmp', ('Tcp',)), ('/proc/net/netstat', ('TcpExt',))):
            lines = run('ip', 'netns', 'exec', ns, 'cat', path, check=False, capture=True).splitlines()
            for head, values in zip(lines[::2], lines[1::2]):
                names, numbers = head.split(), values.split()
                if names and names[0].rstrip(':') in groups:
                    for name, number in zip(names[1:], numbers[1:]):
                        if number.lstrip('-').isdigit() and int(number) != 0 and name not in ('RtoAlgorithm', 'RtoMin', 'RtoMax', 'MaxConn'):
                            out[name] = int(number)
        return out

    def mac(self, ns, dev):
        info = json.loads(run('ip', '-n', ns, '-j', 'link', 'show', 'dev', dev, capture=True))
        return info[0]['address']

    def ifindex(self, ns, dev):
        info = json.loads(run('ip', '-n', ns, '-j', 'link', 'show', 'dev', dev, capture=True))
        return info[0]['ifindex']

    def nft(self, ruleset):
        path = f'/tmp/tcpcap-{self.tag}.nft'
        with open(path, 'w') as out:
            out.write(ruleset)
        try:
            run('ip', 'netns', 'exec', self.router, 'nft', '-f', path)
        finally:
            os.unlink(path)

    def nft_list(self):
        return run('ip', 'netns', 'exec', self.router, 'nft', 'list', 'ruleset', capture=True, check=False)

    def down(self):
        for ns in reversed(self.created):
            run('ip', 'netns', 'del', ns, check=False)
        self.created = []


def leftover_namespaces():
    """Namespaces of an earlier capture that did not clean up (killed with SIGKILL)."""
    out = run('ip', 'netns', 'list', capture=True, check=False) or ''
    return [line.split()[0] for line in out.splitlines() if line.startswith('tcpcap-')]
