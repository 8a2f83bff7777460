"""The capture cases of issue 9: what each application does, when, and which fault the router injects.

Times are ms after t0, the moment the client's first call is due (the server's `listen` runs just
before). A step runs at `at`, or `after` ms after the previous step finished, or `after` ms after an
event (`on`: eof, connected, accepted, error). See driver.py for the calls.

Faults (`drops`) are nftables rules on the router, counted with dynamic sets so that exactly the
chosen matching packets are dropped: `nth` lists which matches (1-based) are dropped, 'all' drops every
match. `cross` holds the first packet with exactly these flags in each direction until the other
direction's one arrives (nfqdelay.py), so that two SYNs or two FINs are in flight together.
`stall` holds what one side sends for `ms` from its `nth` packet on, then lets the backlog go one
packet every `gap` ms (nfqdelay.py --stall): a delay spike on one direction. An endpoint's `sysctls`
are set in its namespace before the run (e.g. net.ipv4.tcp_timestamps 0). Each of `hold` makes the
`nth` new data segment one side sends wait `ms` more (nfqdelay.py --hold), so later ones overtake it.
"""

CUBIC = [['TCP_CONGESTION', 'cubic']]


def at(ms, call, **args):
    return {'at': ms, 'call': call, **args}


def on(event, call, after=0, **args):
    return {'on': event, 'after': after, 'call': call, **args}


def then(after, call, **args):
    return {'after': after, 'call': call, **args}


def case(name, title, client, server, duration, repeat=1, drops=(), cross=(), what='', delay=10.0, stall=None, hold=None):
    return {
        'stall': stall, 'hold': hold,
        # Namespace sysctls a case changes (the endpoint's `sysctls`), set before anything runs.
        'name': name, 'title': title, 'what': what, 'duration': duration, 'repeat': repeat,
        'client': {'autoread': True, 'options': CUBIC, **client},
        'server': {'autoread': True, 'options': CUBIC, **server},
        'drops': list(drops), 'cross': list(cross), 'delay': delay,
    }


LISTEN = at(-100, 'listen')
CLOSE_ON_EOF = on('eof', 'close')
# The reordering cases' client: 20 segments at 0.1 s, 20 more at 1.3 s (how many go at once shows
# the congestion window recovery left), close at 2 s.
TWO_WRITES = {'steps': [at(0, 'connect'), at(100, 'send', bytes=28960), at(1300, 'send', bytes=28960), at(2000, 'close')]}

# Packet matches for drop rules (nftables expressions; TCP header lengths assume the timestamps
# option, which every segment after the handshake carries here: IP 20 + TCP 32 bytes).
SYN = {'from': 'client', 'match': 'tcp flags == syn', 'text': 'the SYN'}
SYNACK = {'from': 'server', 'match': 'tcp flags == syn|ack', 'text': "the server's SYN,ACK"}
FULL_SEGMENT = {'from': 'client', 'match': 'tcp flags & (syn|fin|rst) == 0 ip length 1500', 'text': 'a 1448-byte data segment'}
LONE_100 = {'from': 'client', 'match': 'tcp flags & (syn|fin|rst) == 0 ip length 152', 'text': "the client's 100-byte data segment"}
SERVER_FULL_SEGMENT = {'from': 'server', 'match': 'tcp flags & (syn|fin|rst) == 0 ip length 1500', 'text': "a 1448-byte data segment of the server's"}
CLIENT_FIN = {'from': 'client', 'match': 'tcp flags & fin == fin', 'text': "the client's FIN"}
FINAL_ACK = {'from': 'client', 'match': 'tcp flags == ack ip length 52', 'afterFinFrom': 'server',
             'text': "the client's pure ACK after the server's FIN (the final ACK)"}

CASES = [
    case('close-on-eof', 'Close on EOF: the server closes as soon as its read returns 0',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         duration=1400, repeat=30,
         what='The client closes at 1 s; the server application closes right after recv() returns 0.'),
    case('close-on-eof-after-data', 'Close on EOF after a request: data, then FIN, then a prompt close',
         client={'steps': [at(0, 'connect'), at(500, 'send', bytes=100), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         duration=1400, repeat=10,
         what='The client sends 100 bytes at 0.5 s and closes at 1 s; the server closes on EOF.'),
    case('late-close', 'Late close: the server closes 1 s after the client',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, at(2000, 'close')]},
         duration=2400, repeat=5,
         what='The client closes at 1 s; the server application closes at 2 s (it has read EOF long before).'),
    case('late-close-after-data', 'Late close after a request: the FIN\'s ACK waits for the delayed-ACK timer',
         client={'steps': [at(0, 'connect'), at(500, 'send', bytes=100), at(1000, 'close')]},
         server={'steps': [LISTEN, at(2000, 'close')]},
         duration=2400, repeat=5,
         what='The client sends 100 bytes at 0.5 s and closes at 1 s; the server application closes at 2 s.'),
    case('half-close', 'Half-close: the server answers after the client\'s FIN',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=100), at(200, 'shutdown', how='wr'), CLOSE_ON_EOF]},
         server={'steps': [LISTEN, on('eof', 'send', bytes=5000), then(100, 'close')]},
         duration=800, repeat=5,
         what='The client sends 100 bytes, shuts down its sending side (SHUT_WR) at 0.2 s; on EOF the '
              'server sends 5000 bytes and closes 100 ms later; the client closes on EOF.'),
    case('shutdown-read', 'shutdown(SHUT_RD), then SHUT_WR: data before the FIN is taken, data after it gets a RST',
         client={'steps': [at(0, 'connect'), at(100, 'shutdown', how='rd'), at(300, 'shutdown', how='wr')]},
         server={'steps': [LISTEN, at(200, 'send', bytes=100), at(400, 'send', bytes=100), at(600, 'close')]},
         duration=900, repeat=3,
         what='The client shuts its reading side down at 0.1 s (nothing is sent) and its sending side at '
              '0.3 s; the server sends 100 bytes at 0.2 s, while the client only shut reading, and again at '
              '0.4 s, after the client\'s FIN; then it closes at 0.6 s.'),
    case('shutdown-both', 'shutdown(SHUT_RDWR): the FIN goes out; data that arrives after it gets a RST',
         client={'steps': [at(0, 'connect'), at(100, 'shutdown', how='both')]},
         server={'steps': [LISTEN, at(200, 'send', bytes=100), at(400, 'close')]},
         duration=700, repeat=3,
         what='The client shuts both sides down at 0.1 s; the server sends 100 bytes at 0.2 s and closes '
              'at 0.4 s.'),
    case('data-exchange', 'A data exchange of several segment sizes',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=100), at(400, 'send', bytes=3000),
                           at(800, 'send', bytes=1448), at(1200, 'close')]},
         server={'steps': [LISTEN, at(200, 'send', bytes=2000), at(600, 'send', bytes=10),
                           at(1000, 'send', bytes=4000), CLOSE_ON_EOF]},
         duration=1600, repeat=5,
         what='100, 2000, 3000, 10, 1448 and 4000 bytes in turn, 200 ms apart; then the client closes and '
              'the server closes on EOF.'),
    case('refused', 'Connection refused: nobody listens',
         client={'steps': [at(0, 'connect')]},
         server={'steps': []},
         duration=400, repeat=3,
         what='The client connects to a port with no listener.'),
    case('abortive-close', 'Abortive close: SO_LINGER with a zero timeout, then close',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=100), at(500, 'setsockopt', option='SO_LINGER', value=[1, 0]),
                           at(1000, 'close')]},
         server={'steps': [LISTEN, on('error', 'close', after=100)]},
         duration=1400, repeat=3,
         what='The client sends 100 bytes, sets SO_LINGER {on, 0} and closes at 1 s; the server reads the '
              'error and closes.'),
    case('close-unread', 'Close with unread data',
         client={'autoread': False, 'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, at(100, 'send', bytes=100), on('error', 'close', after=100)]},
         duration=1400, repeat=3,
         what="The server sends 100 bytes that the client's application never reads; the client closes at 1 s."),
    case('simultaneous-open', 'Simultaneous open: two SYNs cross',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [at(0, 'connect'), CLOSE_ON_EOF]},
         cross=['SYN'], duration=1400, repeat=5,
         what='Both sides connect to each other at the same time; the router holds the first SYN until the '
              'other one arrives, so they cross. Then the client closes at 1 s and the other side on EOF.'),
    case('simultaneous-close', 'Simultaneous close: two FINs cross',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, at(1000, 'close')]},
         cross=['FIN,ACK'], duration=1400, repeat=5,
         what='Both applications close at 1 s; the router holds the first FIN until the other one arrives.'),
    case('syn-loss', 'Loss of the first SYN',
         client={'steps': [at(0, 'connect'), at(2000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**SYN, 'nth': [1]}], duration=2400, repeat=3,
         what='The router drops the first SYN.'),
    case('syn-loss-twice', 'Loss of two SYNs',
         client={'steps': [at(0, 'connect'), at(3000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**SYN, 'nth': [1, 2]}], duration=3400, repeat=3,
         what='The router drops the first two SYNs.'),
    case('synack-loss', 'Loss of the SYN,ACK',
         client={'steps': [at(0, 'connect'), at(2000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**SYNACK, 'nth': [1]}], duration=2400, repeat=3,
         what="The router drops the server's first SYN,ACK."),
    case('final-ack-loss', 'Loss of the final ACK',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**FINAL_ACK, 'nth': [1]}], duration=2000, repeat=5,
         what="The client closes at 1 s, the server on EOF; the router drops the client's ACK of the server's FIN."),
    case('burst-loss', 'Loss of one segment in the middle of a burst',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=14480), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**FULL_SEGMENT, 'nth': [3]}], duration=1400, repeat=5,
         what='The client writes 14480 bytes (ten full segments, the initial window) at 0.1 s; the router '
              'drops the third 1448-byte segment.'),
    case('tail-loss', 'Loss of the last segment of a flight (tail loss)',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=7240), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**FULL_SEGMENT, 'nth': [5]}], duration=1400, repeat=5,
         what='The client writes 7240 bytes (five full segments) at 0.1 s; the router drops the fifth, '
              'the last of the flight: no later segment can reveal the loss.'),
    case('tail-loss-two', 'Loss of the last two segments of a flight',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=7240), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**FULL_SEGMENT, 'nth': [4, 5]}], duration=1400, repeat=5,
         what='The client writes 7240 bytes (five full segments) at 0.1 s; the router drops the fourth and '
              'the fifth: two segments are still unacknowledged when the last ACK comes.'),
    case('lone-loss', 'Loss of a lone data segment',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=100), at(1500, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**LONE_100, 'nth': [1]}], duration=1900, repeat=5,
         what='The client sends 100 bytes at 0.1 s and nothing after; the router drops them once.'),
    case('fin-loss', 'Loss of a FIN',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         drops=[{**CLIENT_FIN, 'nth': [1]}], duration=1800, repeat=3,
         what="The client closes at 1 s; the router drops its first FIN."),
    case('data-after-close', 'Data arriving after close',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, at(1500, 'send', bytes=100), at(1700, 'send', bytes=100), at(1800, 'close')]},
         duration=2200, repeat=3,
         what='The client closes at 1 s; the server, which has not closed, sends 100 bytes at 1.5 s and again '
              'at 1.7 s, then closes at 1.8 s.'),
    case('zero-window-close', 'Closing while the peer\'s window is zero',
         client={'options': CUBIC + [['TCP_NODELAY', 1]],
                 'steps': [at(0, 'connect'), at(100, 'fill-window', limit=2000), then(200, 'close')]},
         server={'autoread': False, 'options': CUBIC + [['SO_RCVBUF', 4096]],
                 'steps': [LISTEN, at(2500, 'autoread'), CLOSE_ON_EOF]},
         duration=3200, repeat=3,
         what="The server's application reads nothing until 2.5 s (SO_RCVBUF 4096). From 0.1 s the client "
              "sends exactly the window the server advertises until it is zero, then closes 200 ms later. "
              "At 2.5 s the server reads everything and closes on EOF."),
    case('zero-window-fin', 'A FIN into a zero window',
         client={'options': CUBIC + [['TCP_NODELAY', 1]], 'sniff': True,
                 'steps': [at(0, 'connect'), at(100, 'fill-window', limit=2000), then(200, 'inject-fin')]},
         server={'autoread': False, 'options': CUBIC + [['SO_RCVBUF', 4096]], 'steps': [LISTEN]},
         duration=1000, repeat=3,
         what="As zero-window-close, but Linux's sender never sends a FIN into a zero window, so 200 ms "
              "after the window closed the client's driver sends a FIN,ACK at SND.NXT itself from a raw "
              "socket (packetdrill-style; the client's kernel does not know of it): it arrives at RCV.NXT "
              "into the server's zero window. The server's application never reads."),
    case('bulk-200k', 'Bulk transfer of 200 KB (cubic)',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=204800), then(0, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         duration=1500, repeat=3,
         what='The client writes 200 KB at 0.1 s and closes once the kernel has taken it all; the server '
              'reads as data arrives and closes on EOF. Congestion control cubic (TCP_CONGESTION).'),
    case('request-response-loss', 'Request and response: two writes, one server segment lost, the server closes first',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=300), CLOSE_ON_EOF]},
         server={'steps': [LISTEN, at(200, 'send', bytes=6000), at(205, 'send', bytes=900), at(600, 'close')]},
         drops=[{**SERVER_FULL_SEGMENT, 'nth': [2]}], duration=1200, repeat=5,
         what='The held-out case (written after the profile was done, to test it on something it was not '
              'built from): the client sends a 300-byte request at 0.1 s; the server answers with two '
              'writes, 6000 bytes at 0.2 s and 900 bytes 5 ms later, and the router drops its second '
              '1448-byte segment; the server closes first, at 0.6 s, and the client closes on EOF.'),
    case('spurious-rto', 'A spurious retransmission timeout: the ACKs stall for 1 s',
         client={'steps': [at(0, 'connect'), at(100, 'send', bytes=2896), at(1300, 'send', bytes=28960), at(2000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         stall={'from': 'server', 'nth': 2, 'ms': 1000, 'gap': 20}, duration=2400, repeat=5,
         what='The client writes two full segments at 0.1 s; from its ACK of the first on, everything the '
              'server sends is held for 1 s (then released one every 20 ms), so the client\'s loss probe and '
              'retransmission timeouts fire although nothing was lost. At 1.3 s the client writes 20 more '
              'segments (how many go at once shows the congestion window the undo left), at 2 s it closes.'),
    case('spurious-rto-frto', 'A spurious retransmission timeout without timestamps: F-RTO decides',
         client={'sysctls': {'net.ipv4.tcp_timestamps': 0},
                 'steps': [at(0, 'connect'), at(100, 'send', bytes=28960), at(2000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         stall={'from': 'server', 'nth': 2, 'ms': 1000, 'gap': 20}, duration=2400, repeat=5,
         what='As spurious-rto, but the client has tcp_timestamps 0 (so the connection has none: no Eifel '
              'undo) and writes 20 segments at 0.1 s, half of them beyond the initial window: after the '
              'timeouts, F-RTO (RFC 5682) sends new data on the first ACK and calls the timeout spurious '
              'when the next ACK covers a segment never sent again.'),
    case('reorder-dsack', 'Reordering: one data segment overtaken, retransmitted, then D-SACKed',
         client=TWO_WRITES,
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         hold=[{'from': 'client', 'nth': 3, 'ms': 30}], duration=2400, repeat=5,
         what='The client writes 20 segments at 0.1 s; the router holds the third 30 ms more, so the ones '
              'after it arrive first and are SACKed. The client marks it lost (RACK) and sends it again; '
              'then the original arrives and the server D-SACKs it, showing the retransmission needless. '
              'At 1.3 s the client writes 20 more segments (how many go at once shows the congestion '
              'window the undo left), at 2 s it closes.'),
    case('reorder-late', 'Reordering: one data segment overtaken, retransmitted, the original arriving first',
         client=TWO_WRITES,
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         hold=[{'from': 'client', 'nth': 3, 'ms': 15}], duration=2400, repeat=5,
         what='As reorder-dsack, but the third segment waits 15 ms more: the client sends it again (RACK) '
              'but the original arrives before the copy, so the ACK that fills the hole echoes the '
              'original\'s timestamp, and the copy draws a D-SACK.'),
    case('reorder-widen', "Reordering seen, then a D-SACK: RACK's reordering window widens",
         client=TWO_WRITES,
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         hold=[{'from': 'client', 'nth': 3, 'ms': 15}, {'from': 'client', 'nth': 23, 'ms': 12}], duration=2400, repeat=5,
         what='As reorder-late (reordering seen, then the copy\'s D-SACK), then at 1.3 s 20 more segments '
              'whose third waits 12 ms more: with the window RACK had (a quarter of the minimum RTT, 5 ms) it '
              'would be sent again; widened by the D-SACK to two quarters it is not (tcp_rack_update_reo_wnd).'),
    case('syn-give-up', 'SYN retransmissions until connect() gives up',
         client={'steps': [at(0, 'connect')]},
         server={'steps': [LISTEN]},
         drops=[{**SYN, 'nth': 'all'}], duration=140000,
         what='The router drops every SYN; the client retransmits until connect() fails with ETIMEDOUT '
              '(tcp_syn_retries 6, tcp_syn_linear_timeouts 4).'),
    case('syn-give-up-syncnt-2', 'SYN retransmissions with TCP_SYNCNT 2',
         client={'options': CUBIC + [['TCP_SYNCNT', 2]], 'steps': [at(0, 'connect')]},
         server={'steps': [LISTEN]},
         drops=[{**SYN, 'nth': 'all'}], duration=12000,
         what='As syn-give-up with the socket option TCP_SYNCNT 2 (the per-socket tcp_syn_retries).'),
    case('time-wait', 'TIME-WAIT lasts 60 s',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, CLOSE_ON_EOF]},
         duration=70000,
         what='Close on EOF, then watch /proc/net/tcp until the TIME-WAIT socket goes away.'),
    case('fin-wait-2-timeout', 'An orphaned FIN-WAIT-2 ends after tcp_fin_timeout',
         client={'steps': [at(0, 'connect'), at(1000, 'close')]},
         server={'steps': [LISTEN, at(68000, 'send', bytes=100), at(68500, 'close')]},
         duration=69000,
         what='The client closes at 1 s; the server never answers with its FIN. The client socket, '
              'orphaned in FIN-WAIT-2, is watched until it goes away; at 68 s the server sends 100 bytes.'),
]

BY_NAME = {c['name']: c for c in CASES}
