#!/usr/bin/env python3
"""A scripted application: performs a case's socket calls at given times or on events, and logs each
call with its time (CLOCK_REALTIME) and result (ok, a byte count, or the errno's name).

Run inside a namespace (`ip netns exec NS driver.py PROGRAM.json LOG.jsonl`). PROGRAM:
  {"name": "client", "local": "10.0.1.1:49152", "peer": "10.0.2.1:80", "t0": <epoch s>,
   "options": [["TCP_CONGESTION", "cubic"], ...],   set on the socket before listen/connect
   "autoread": true,     read whatever arrives at once (as the simulator's autoread)
   "end": <ms>,          the driver exits at t0 + end at the latest
   "steps": [{"at": 0, "call": "connect"}, {"on": "eof", "after": 0, "call": "close"}, ...]}
A step waits for its time (`at`: ms after t0; `after`: ms after the previous step finished) or its
event (`on`: "eof" = a read returned 0, "connected", "accepted", "error"; then `after` counts from the
event), then runs `call`: listen, connect, send (bytes), recv (bytes; waits for data), close,
shutdown (how: wr|rd|both), setsockopt (option, value), fill-window (sends exactly what the peer's
window allows until it is zero), inject-fin (a FIN,ACK at SND.NXT from a raw socket, needs "sniff":
true), autoread (start reading whatever arrives), sleep. One thread, one select() loop: a close never waits behind a
blocked recv in another thread (which would delay the kernel's close until the recv returns).
"""
import errno
import fcntl
import json
import os
import select
import socket
import struct
import sys
import time

from realtime import realtime

OPTIONS = {
    'TCP_CONGESTION': (socket.IPPROTO_TCP, socket.TCP_CONGESTION),
    'TCP_NODELAY': (socket.IPPROTO_TCP, socket.TCP_NODELAY),
    'SO_RCVBUF': (socket.SOL_SOCKET, socket.SO_RCVBUF),
    'SO_SNDBUF': (socket.SOL_SOCKET, socket.SO_SNDBUF),
    'SO_LINGER': (socket.SOL_SOCKET, socket.SO_LINGER),
    'SO_REUSEADDR': (socket.SOL_SOCKET, socket.SO_REUSEADDR),
    'TCP_QUICKACK': (socket.IPPROTO_TCP, socket.TCP_QUICKACK),
    'TCP_SYNCNT': (socket.IPPROTO_TCP, socket.TCP_SYNCNT),
}


def addr(text):
    host, port = text.rsplit(':', 1)
    return host, int(port)


def err_name(error):
    code = error.errno if isinstance(error, OSError) and error.errno else None
    return errno.errorcode.get(code, str(error)) if code else str(error)


class Driver:
    def __init__(self, program, log):
        self.p = program
        self.log_file = log
        self.t0 = program['t0']
        self.listener = None
        self.sock = None
        self.connecting = False
        self.eof = False
        self.error = None
        self.events = {}  # event name -> time it happened
        self.outbox = 0  # bytes of the current send still to hand to the kernel
        self.send_entry = None
        self.pending_recv = None  # size of a recv call waiting for data
        self.received = 0
        self.started = None
        self.sniffer = None
        self.last_sent = None
        if program.get('sniff'):
            # ETH_P_ALL (3): a socket bound with ETH_P_IP saw nothing here; IPv4 is picked out below.
            self.sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))
            self.sniffer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
            self.sniffer.bind(('eth0', 0))
            self.sniffer.setblocking(False)

    def log(self, **entry):
        # A call is logged with the time it was made (self.started), not when it returned.
        entry.setdefault('t', self.started if self.started is not None else time.time())
        entry['endpoint'] = self.p['name']
        self.log_file.write(json.dumps(entry) + '\n')

    def sniff(self):
        """The last segment our TCP sent, from a packet socket opened at start: (seq, next seq, ack,
        window, TS val, TS ecr, when seen)."""
        last = None
        while True:
            try:
                frame, where = self.sniffer.recvfrom(65536)
            except BlockingIOError:
                break
            if where[1] != 0x0800 or where[2] != socket.PACKET_OUTGOING or len(frame) < 40 or frame[9] != 6:
                continue
            ihl = (frame[0] & 15) * 4
            tcp = frame[ihl:]
            if socket.inet_ntoa(frame[12:16]) + ':' + str(struct.unpack_from('>H', tcp)[0]) != self.p['local']:
                continue
            seq, ack = struct.unpack_from('>II', tcp, 4)
            doff = (tcp[12] >> 4) * 4
            flags = tcp[13]
            length = struct.unpack_from('>H', frame, 2)[0] - ihl - doff
            end = seq + length + (1 if flags & 0x03 else 0)
            ts = (0, 0)
            options = tcp[20:doff]
            i = 0
            while i < len(options):
                if options[i] == 1:
                    i += 1
                    continue
                if options[i] == 0 or i + 1 >= len(options):
                    break
                if options[i] == 8:
                    ts = struct.unpack_from('>II', options, i + 2)
                i += max(2, options[i + 1])
            if last is None or (end - last[1]) % 2**32 < 2**31:
                # SIOCGSTAMP: when the packet went out (its TS val was the sender's clock then).
                sec, usec = struct.unpack('@qq', fcntl.ioctl(self.sniffer, 0x8906, b'\0' * 16))
                last = (seq, end, ack, struct.unpack_from('>H', tcp, 14)[0], ts[0], ts[1], sec + usec / 1e6)
        return last

    def inject_fin(self):
        """Sends a FIN,ACK at SND.NXT from a raw socket, as packetdrill's remote side would: our kernel
        (which would not send a FIN into a zero window) knows nothing of it."""
        last = self.sniff() or self.last_sent
        self.last_sent = last
        if last is None:
            self.log(call='inject-fin', result='no segment seen')
            return
        _seq, nxt, ack, window, tsval, tsecr, seen = last
        tsval = (tsval + 1 + int((time.time() - seen) * 1000)) % 2**32
        src, sport = addr(self.p['local'])
        dst, dport = addr(self.p['peer'])
        options = b'\x01\x01\x08\x0a' + struct.pack('>II', tsval, tsecr)
        header = struct.pack('>HHIIBBHHH', sport, dport, nxt, ack, (8 << 4), 0x11, window, 0, 0) + options
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('>BBH', 0, 6, len(header))
        total = 0
        data = pseudo + header
        for i in range(0, len(data), 2):
            total += (data[i] << 8) + data[i + 1]
        while total >> 16:
            total = (total & 0xFFFF) + (total >> 16)
        header = header[:16] + struct.pack('>H', ~total & 0xFFFF) + header[18:]
        ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(header), 0, 0x4000, 64, 6, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        raw.sendto(ip + header, (dst, 0))
        raw.close()
        self.log(call='inject-fin', result='ok', seq=nxt, ack=ack, window=window, tsval=tsval)

    def new_socket(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for name, value in self.p.get('options', []):
            self.setsockopt(sock, name, value)
        sock.bind(addr(self.p['local']))
        return sock

    def setsockopt(self, sock, name, value):
        level, option = OPTIONS[name]
        if name == 'SO_LINGER':
            raw = struct.pack('ii', value[0], value[1])
        elif name == 'TCP_CONGESTION':
            raw = value.encode()
        else:
            raw = value
        try:
            sock.setsockopt(level, option, raw)
            result = 'ok'
        except OSError as error:
            result = err_name(error)
        self.log(call='setsockopt', option=name, value=value, result=result)

    # --- calls -------------------------------------------------------------------------------------
    def call(self, step):
        self.started = time.time()
        try:
            self.perform(step)
        finally:
            self.started = None

    def perform(self, step):
        name = step['call']
        if name == 'listen':
            self.listener = self.new_socket()
            self.listener.listen(8)
            self.listener.setblocking(False)
            self.log(call='listen', result='ok')
        elif name == 'connect':
            self.sock = self.new_socket()
            self.sock.setblocking(False)
            result = self.sock.connect_ex(addr(self.p['peer']))
            self.log(call='connect', result='pending' if result == errno.EINPROGRESS else errno.errorcode.get(result, 'ok'))
            self.connecting = result == errno.EINPROGRESS
            if result == 0:
                self.events['connected'] = time.time()
        elif name == 'send':
            self.outbox = step['bytes']
            self.send_entry = {'call': 'send', 'bytes': step['bytes'], 't': time.time()}
            self.pump()
        elif name == 'recv':
            self.pending_recv = step.get('bytes', 65536)
            if self.read(self.pending_recv, auto=False):
                self.pending_recv = None
        elif name == 'close':
            self.log(call='close', result='ok')
            if self.sock is not None:
                self.sock.close()
                self.sock = None
            elif self.listener is not None:
                self.listener.close()
                self.listener = None
        elif name == 'close-listener':
            self.log(call='close-listener', result='ok')
            if self.listener is not None:
                self.listener.close()
                self.listener = None
        elif name == 'shutdown':
            how = {'wr': socket.SHUT_WR, 'rd': socket.SHUT_RD, 'both': socket.SHUT_RDWR}[step.get('how', 'wr')]
            try:
                self.sock.shutdown(how)
                self.log(call='shutdown', how=step.get('how', 'wr'), result='ok')
            except OSError as error:
                self.log(call='shutdown', how=step.get('how', 'wr'), result=err_name(error))
        elif name == 'setsockopt':
            self.setsockopt(self.sock, step['option'], step['value'])
        elif name == 'fill-window':
            self.fill_window(step)
        elif name == 'inject-fin':
            self.inject_fin()
        elif name == 'autoread':
            self.p['autoread'] = True
            self.log(call='autoread', result='ok')
        elif name == 'sleep':
            pass
        else:
            raise ValueError(f'unknown call {name}')

    def pump(self):
        """Hands the current send's bytes to the kernel as far as the send buffer takes them."""
        while self.outbox > 0 and self.sock is not None:
            try:
                sent = self.sock.send(b'x' * min(self.outbox, 65536))
            except BlockingIOError:
                return
            except OSError as error:
                self.log(**self.send_entry, result=err_name(error), tDone=time.time())
                self.outbox = 0
                self.send_entry = None
                return
            self.outbox -= sent
        if self.send_entry is not None and self.outbox == 0:
            self.log(**self.send_entry, result='ok', tDone=time.time())
            self.send_entry = None

    def read(self, size, auto):
        try:
            data = self.sock.recv(size)
        except BlockingIOError:
            return False
        except OSError as error:
            self.log(call='recv', auto=auto, result=err_name(error))
            self.error = err_name(error)
            self.events.setdefault('error', time.time())
            return True
        self.log(call='recv', auto=auto, bytes=len(data), result='ok')
        self.received += len(data)
        if not data:
            self.eof = True
            self.events.setdefault('eof', time.time())
        return True

    def tcp_info(self):
        # Offsets in Linux's struct tcp_info (include/uapi/linux/tcp.h): tcpi_unacked (segments sent
        # and not acknowledged), tcpi_notsent_bytes, tcpi_snd_wnd (the peer's window, since 6.2).
        raw = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 512)
        if len(raw) < 232:
            raise OSError(errno.ENOTSUP, 'tcp_info has no tcpi_snd_wnd on this kernel')
        return {
            'unacked': struct.unpack_from('=I', raw, 24)[0],
            'notsent': struct.unpack_from('=I', raw, 144)[0],
            'snd_wnd': struct.unpack_from('=I', raw, 228)[0],
        }

    def fill_window(self, step):
        """Sends exactly the peer's advertised window, again and again, until it is zero."""
        sent_total = 0
        deadline = time.time() + step.get('limit', 5000) / 1000
        rounds = 0
        while time.time() < deadline and rounds < 200:
            info = self.tcp_info()
            if info['unacked'] == 0 and info['notsent'] == 0:
                if info['snd_wnd'] == 0 and sent_total > 0:
                    break
                if info['snd_wnd'] > 0:
                    chunk = info['snd_wnd']
                    self.sock.setblocking(True)
                    self.sock.sendall(b'x' * chunk)
                    self.sock.setblocking(False)
                    sent_total += chunk
                    rounds += 1
            time.sleep(0.002)
        info = self.tcp_info()
        self.log(call='fill-window', bytes=sent_total, sndWnd=info['snd_wnd'], result='ok' if info['snd_wnd'] == 0 else 'window still open')

    # --- the loop ----------------------------------------------------------------------------------
    def due(self, step, previous_done):
        """When the step may run (epoch s), or None while its event has not happened."""
        if 'at' in step:
            return self.t0 + step['at'] / 1000
        if 'on' in step:
            happened = self.events.get(step['on'])
            return None if happened is None else happened + step.get('after', 0) / 1000
        return previous_done + step.get('after', 0) / 1000

    def run(self):
        end = self.t0 + self.p['end'] / 1000
        steps = list(self.p['steps'])
        previous_done = self.t0
        while time.time() < end:
            blocked = self.send_entry is not None or self.pending_recv is not None
            if steps and not blocked:
                at = self.due(steps[0], previous_done)
                if at is not None and time.time() >= at:
                    step = steps.pop(0)
                    self.call(step)
                    previous_done = time.time()
                    continue
            readers, writers = [], []
            if self.listener is not None and self.sock is None:
                readers.append(self.listener)
            if self.sock is not None:
                if self.connecting or self.send_entry is not None:
                    writers.append(self.sock)
                reading = self.p.get('autoread') or self.pending_recv is not None
                if (reading or self.connecting) and not self.eof and self.error is None:
                    readers.append(self.sock)
            timeout = max(0.0, end - time.time())
            if steps and not blocked:
                at = self.due(steps[0], previous_done)
                if at is not None:
                    timeout = max(0.0, min(timeout, at - time.time()))
            readable, writable, _ = select.select(readers, writers, [], min(timeout, 0.05))
            if self.listener in readable:
                self.sock, _ = self.listener.accept()
                self.sock.setblocking(False)
                cc = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b'\0').decode()
                self.log(call='accept', result='ok', congestion=cc)
                self.events['accepted'] = time.time()
                continue
            if self.sock is not None and self.connecting and (self.sock in writable or self.sock in readable):
                code = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                self.connecting = False
                result = 'ok' if code == 0 else errno.errorcode.get(code, str(code))
                self.log(call='connect-done', result=result)
                self.events['connected' if code == 0 else 'error'] = time.time()
                if code != 0:
                    self.error = result
                continue
            if self.sock is not None and self.sock in writable and self.send_entry is not None:
                self.pump()
            if self.sock is not None and self.sock in readable:
                if self.pending_recv is not None:
                    if self.read(self.pending_recv, auto=False):
                        self.pending_recv = None
                        previous_done = time.time()
                elif self.p.get('autoread'):
                    self.read(65536, auto=True)
            if self.send_entry is None and self.pending_recv is None and blocked:
                previous_done = time.time()
        self.log(call='exit', result='ok', received=self.received)


def main():
    with open(sys.argv[1]) as handle:
        program = json.load(handle)
    realtime(8)
    # Python starts slowly on a loaded machine: the driver is started early and waits for the
    # orchestrator's "go" file, which holds t0.
    if 'go' in program:
        deadline = time.time() + 60
        while not os.path.exists(program['go']) and time.time() < deadline:
            time.sleep(0.005)
        with open(program['go']) as handle:
            program['t0'] = float(handle.read())
    with open(sys.argv[2], 'w', buffering=1) as log:
        driver = Driver(program, log)
        driver.log(call='start', result='ok')
        driver.run()
    return 0


if __name__ == '__main__':
    sys.exit(main())
