// The rules the engine applies, by id. Every event the engine produces for a reason of TCP's
// carries `rule`, set where the decision is made (the code path taken, never looked up by event
// kind); the trace document lists the rules a run used (`traceDocumentOf`). docs/engine.md shows
// this table; test/engine/rules.test.ts fails when the two differ.
//
// Ids are stable: `<document>.<section>[.<case>]`; the linux profile's own decisions are
// `linux.<source file>.<what>`, written where the kernel makes them (tcp/linux/). Summaries are one English sentence in the
// project's own words; translations belong to the layers that show them.

import type { RuleInfo } from './trace';

const rfc = (n: number, section: string): string => `https://www.rfc-editor.org/rfc/rfc${n}#section-${section}`;
/** A file of the Linux kernel (the version the captures in test/fixtures/captures were taken on); the source names the function. */
const kernel = (path: string): string => `https://elixir.bootlin.com/linux/v6.18/source/${path}`;

function rule(source: string, summary: string, url: string): RuleInfo {
  return { source, summary, url };
}

export const RULES = {
  // ---- RFC 9293: the state machine --------------------------------------------------------------
  'rfc9293.3.1.checksum': rule('RFC 9293 3.1', 'A segment whose checksum fails is discarded by the receiver as if it had never arrived.', rfc(9293, '3.1')),
  'rfc9293.3.5.2.crash': rule('RFC 9293 3.5.2', 'A host that crashes loses every connection at once and sends nothing; while it is down it receives nothing, so its peers learn of it only through their own timers or a RST after it restarts.', rfc(9293, '3.5.2')),
  'rfc9293.3.5.figure-7': rule('RFC 9293 3.5, Figure 7', "In a simultaneous open, the peer's SYN,ACK that acknowledges our SYN completes the handshake in SYN-RECEIVED, as the figure draws it (and as Linux does), although the acceptability table would reject it.", rfc(9293, '3.5')),
  'rfc9293.3.8.3.r2': rule('RFC 9293 3.8.3', 'After R2 retransmissions without an acknowledgment the connection is closed and the application is told it timed out.', rfc(9293, '3.8.3')),
  'rfc9293.3.8.6.1.zero-window-probe': rule('RFC 9293 3.8.6.1', 'When the peer advertises a zero window and data is waiting, the persist timer sends one byte beyond the window now and then, backing off, until the window opens.', rfc(9293, '3.8.6.1')),
  'rfc9293.3.10.1.open.active': rule('RFC 9293 3.10.1', 'An active OPEN picks an initial sequence number, sends <SEQ=ISS><CTL=SYN> and enters SYN-SENT.', rfc(9293, '3.10.1')),
  'rfc9293.3.10.1.open.passive': rule('RFC 9293 3.10.1', 'A passive OPEN enters LISTEN and waits for a SYN.', rfc(9293, '3.10.1')),
  'rfc9293.3.10.2.send': rule('RFC 9293 3.10.2', "Data the application queued goes out in segments of at most one MSS, as far as the peer's window and the congestion window allow.", rfc(9293, '3.10.2')),
  'rfc9293.3.10.4.close': rule('RFC 9293 3.10.4', 'CLOSE sends a FIN after all queued data (entering FIN-WAIT-1, or LAST-ACK from CLOSE-WAIT); before the handshake is done it just deletes the connection.', rfc(9293, '3.10.4')),
  'rfc9293.3.10.5.abort': rule('RFC 9293 3.10.5', 'ABORT sends <SEQ=SND.NXT><CTL=RST> from a synchronized state and deletes the connection at once.', rfc(9293, '3.10.5')),
  'rfc9293.3.10.7.1.closed': rule('RFC 9293 3.10.7.1', 'A segment for a connection that does not exist is answered with a RST (an incoming RST is discarded).', rfc(9293, '3.10.7.1')),
  'rfc9293.3.10.7.2.rst': rule('RFC 9293 3.10.7.2', 'A RST arriving in LISTEN is ignored.', rfc(9293, '3.10.7.2')),
  'rfc9293.3.10.7.2.ack': rule('RFC 9293 3.10.7.2', 'An ACK arriving in LISTEN acknowledges nothing we sent: it is answered with <SEQ=SEG.ACK><CTL=RST>.', rfc(9293, '3.10.7.2')),
  'rfc9293.3.10.7.2.syn': rule('RFC 9293 3.10.7.2', 'A SYN arriving in LISTEN creates a connection in SYN-RECEIVED, which answers <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; the listener stays.', rfc(9293, '3.10.7.2')),
  'rfc9293.3.10.7.2.other': rule('RFC 9293 3.10.7.2', 'A segment in LISTEN with neither SYN, ACK nor RST is dropped.', rfc(9293, '3.10.7.2')),
  'rfc9293.3.10.7.3.bad-ack': rule('RFC 9293 3.10.7.3', 'In SYN-SENT, an ACK that does not acknowledge our SYN exactly is answered with <SEQ=SEG.ACK><CTL=RST> (unless it is a RST).', rfc(9293, '3.10.7.3')),
  'rfc9293.3.10.7.3.rst': rule('RFC 9293 3.10.7.3', 'In SYN-SENT, a RST that acknowledges our SYN closes the connection ("connection refused"); any other RST is dropped.', rfc(9293, '3.10.7.3')),
  'rfc9293.3.10.7.3.syn-ack': rule('RFC 9293 3.10.7.3', 'In SYN-SENT, a SYN that acknowledges our SYN completes the handshake: ESTABLISHED, and an ACK goes back.', rfc(9293, '3.10.7.3')),
  'rfc9293.3.10.7.3.simultaneous-open': rule('RFC 9293 3.10.7.3', 'In SYN-SENT, a SYN without an ACK of ours is a simultaneous open: SYN-RECEIVED, and a SYN,ACK goes out.', rfc(9293, '3.10.7.3')),
  'rfc9293.3.10.7.3.other': rule('RFC 9293 3.10.7.3', 'In SYN-SENT, a segment with neither SYN nor RST is dropped.', rfc(9293, '3.10.7.3')),
  'rfc9293.3.10.7.4.unacceptable': rule('RFC 9293 3.10.7.4', 'A segment outside the receive window is dropped and answered with an ACK that restates what we expect (an unacceptable RST is dropped silently).', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.zero-window': rule('RFC 9293 3.10.7.4', 'With a zero receive window, a segment at RCV.NXT still has its ACK field processed; its text is dropped and an ACK goes back.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.rst': rule('RFC 9293 3.10.7.4', 'A RST with exactly RCV.NXT closes the connection (the application hears "connection reset"); from SYN-RECEIVED after a passive open it goes back to LISTEN.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.syn.syn-received': rule('RFC 9293 3.10.7.4', 'A SYN in SYN-RECEIVED after a passive open sends the connection back to LISTEN.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.no-ack': rule('RFC 9293 3.10.7.4', 'A segment without the ACK bit is dropped once the connection is synchronizing.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.ack.syn-received': rule('RFC 9293 3.10.7.4', 'In SYN-RECEIVED, an ACK of our SYN completes the handshake: ESTABLISHED.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.ack.bad-syn-received': rule('RFC 9293 3.10.7.4', 'In SYN-RECEIVED, an ACK that does not acknowledge our SYN is answered with <SEQ=SEG.ACK><CTL=RST>.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.ack.unsent': rule('RFC 9293 3.10.7.4', 'An ACK of something not yet sent is answered with an ACK and the segment is dropped.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.ack.fin-wait-1': rule('RFC 9293 3.10.7.4', 'In FIN-WAIT-1, the ACK of our FIN moves to FIN-WAIT-2.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.ack.closing': rule('RFC 9293 3.10.7.4', 'In CLOSING, the ACK of our FIN moves to TIME-WAIT and starts the 2 MSL timer.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.ack.last-ack': rule('RFC 9293 3.10.7.4', 'In LAST-ACK, the ACK of our FIN closes the connection.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.text': rule('RFC 9293 3.10.7.4', 'In-order text goes to the receive buffer, RCV.NXT moves over it, and it is acknowledged.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.fin.close-wait': rule('RFC 9293 3.10.7.4', 'A FIN in ESTABLISHED (or SYN-RECEIVED) is acknowledged and moves to CLOSE-WAIT: the peer sends no more.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.fin.closing': rule('RFC 9293 3.10.7.4', 'A FIN in FIN-WAIT-1 before our own FIN is acknowledged (a simultaneous close) moves to CLOSING.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.fin.time-wait': rule('RFC 9293 3.10.7.4', 'A FIN in FIN-WAIT-2 (or in FIN-WAIT-1 once our FIN is acknowledged) moves to TIME-WAIT and starts the 2 MSL timer; a FIN repeated in TIME-WAIT is acknowledged and restarts it.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.7.4.fin.remain': rule('RFC 9293 3.10.7.4', 'A FIN repeated in CLOSE-WAIT, CLOSING or LAST-ACK changes nothing but is acknowledged again.', rfc(9293, '3.10.7.4')),
  'rfc9293.3.10.8.user-timeout': rule('RFC 9293 3.10.8', 'The user timeout runs while data is unacknowledged; when it expires the connection is closed and the application told.', rfc(9293, '3.10.8')),
  'rfc9293.3.10.8.time-wait': rule('RFC 9293 3.10.8', 'When the 2 MSL time-wait timer expires, the connection is deleted.', rfc(9293, '3.10.8')),

  // ---- RFC 5961: blind in-window attacks ----------------------------------------------------------
  'rfc5961.3.2.challenge-ack': rule('RFC 5961 3.2', 'A RST inside the window but not exactly at RCV.NXT is answered with a challenge ACK instead of closing.', rfc(5961, '3.2')),
  'rfc5961.4.2.challenge-ack': rule('RFC 5961 4.2', 'A SYN on a synchronized connection is answered with a challenge ACK, whatever its sequence number.', rfc(5961, '4.2')),

  // ---- RFC 6298: the retransmission timer ---------------------------------------------------------
  'rfc6298.5.1': rule('RFC 6298 (5.1)', 'Sending a segment that occupies sequence space starts the retransmission timer if it is not running.', rfc(6298, '5')),
  'rfc6298.5.2': rule('RFC 6298 (5.2)', 'When everything sent is acknowledged, the retransmission timer is turned off.', rfc(6298, '5')),
  'rfc6298.5.3': rule('RFC 6298 (5.3)', 'An ACK of new data restarts the retransmission timer for the current RTO.', rfc(6298, '5')),
  'rfc6298.5.4': rule('RFC 6298 (5.4)', 'When the retransmission timer expires, the earliest unacknowledged segment is sent again.', rfc(6298, '5')),
  'rfc6298.5.6': rule('RFC 6298 (5.5), (5.6)', 'After a timeout the RTO doubles (up to the maximum) and the timer restarts with it.', rfc(6298, '5')),

  // ---- Congestion control and loss recovery: RFC 5681, 6582, 3042, 6937, 1122 (Nagle) ----------------
  'rfc5681.3.1.timeout': rule('RFC 5681 3.1', 'After a retransmission timeout cwnd drops to one segment (the loss window) and ssthresh to half the data outstanding; slow start then sends again what was outstanding, as the window grows.', rfc(5681, '3.1')),
  'rfc5681.3.2.fast-retransmit': rule('RFC 5681 3.2', 'The third duplicate ACK in a row is taken as a loss: ssthresh drops to half the data outstanding and the missing segment is sent again at once, without waiting for the timer.', rfc(5681, '3.2')),
  'rfc5681.4.1.restart': rule('RFC 5681 4.1', 'A sender that has sent nothing for longer than the retransmission timeout starts again from a window of no more than the initial one.', rfc(5681, '4.1')),
  'rfc6582.3.2.full-ack': rule('RFC 6582 3.2', 'An ACK that covers everything outstanding when the loss was detected ends fast recovery, and cwnd deflates to about ssthresh.', rfc(6582, '3.2')),
  'rfc3042.limited-transmit': rule('RFC 3042', 'Each of the first two duplicate ACKs lets one new segment out beyond cwnd, so that enough duplicates can come back for a fast retransmit.', 'https://www.rfc-editor.org/rfc/rfc3042#section-2'),
  'rfc6937.prr': rule('RFC 6937', 'During recovery, Proportional Rate Reduction lets segments out in proportion to those that leave the network, so the window comes down to ssthresh smoothly and recovery ends with cwnd at ssthresh.', 'https://www.rfc-editor.org/rfc/rfc6937#section-3'),
  'rfc1122.4.2.3.4.nagle': rule('RFC 1122 4.2.3.4', "Nagle's algorithm: while data is unacknowledged, a segment smaller than the MSS waits until the ACK comes or a full segment can be sent.", rfc(1122, '4.2.3.4')),
  'rfc5681.4.2.out-of-order': rule('RFC 5681 4.2', 'A segment that arrives out of order is held for reassembly and answered at once with a duplicate ACK for the byte still missing.', rfc(5681, '4.2')),
  'rfc5681.4.2.gap-filled': rule('RFC 5681 4.2', 'A segment that fills all or part of a gap in what has arrived is acknowledged at once, not delayed.', rfc(5681, '4.2')),
  'rfc6582.3.2.partial-ack': rule('RFC 6582 3.2', 'During recovery, an ACK that covers some but not all of what was outstanding at the loss shows the next hole: that segment is sent again at once.', rfc(6582, '3.2')),

  // ---- RFC 1122: host requirements --------------------------------------------------------------
  'rfc1122.4.2.2.13': rule('RFC 1122 4.2.2.13', 'Closing with received data the application never read, or receiving data after closing, sends a RST instead of a FIN: the data is lost.', rfc(1122, '4.2.2.13')),
  'rfc1122.4.2.3.2.delayed-ack': rule('RFC 1122 4.2.3.2', 'An ACK may wait (up to 500 ms, here the delayed-ACK time) for data to ride on, but every second full segment is acknowledged at once.', rfc(1122, '4.2.3.2')),
  'rfc1122.4.2.3.3.window-update': rule('RFC 1122 4.2.3.3', 'When the application reads and the window opens by at least min(buffer/2, MSS), an ACK announces the new window.', rfc(1122, '4.2.3.3')),
  'rfc1122.4.2.3.6.keepalive': rule('RFC 1122 4.2.3.6', 'After an idle interval a keep-alive probe <SEQ=SND.NXT-1> asks the peer for an ACK; after enough unanswered probes the connection is dropped.', rfc(1122, '4.2.3.6')),

  // ---- Socket calls the RFCs do not define, as Linux implements them ------------------------------
  'linux.tcp_close.linger-zero': rule('tcp.c __tcp_close', 'Closing a socket whose SO_LINGER is on with a zero timeout aborts the connection: a RST,ACK at SND.NXT goes out instead of a FIN, and the connection is gone at once.', kernel('net/ipv4/tcp.c')),
  'linux.inet_shutdown.read': rule('af_inet.c inet_shutdown', 'Shutting the reading side down (SHUT_RD) sends nothing: data still arrives and is acknowledged, and a read returns the end of the data instead of waiting; a listening socket stops listening and a connection still in SYN-SENT is dropped.', kernel('net/ipv4/af_inet.c')),

  // ---- The Linux kernel (the linux profile, tcp/linux/; docs/captures.md shows each) ---------------
  'linux.tcp_ack_snd_check.quickack': rule('tcp_input.c __tcp_ack_snd_check', 'In quick-ACK mode Linux acknowledges every data segment at once: the first segments of a connection (up to 16), and while its receive window is still growing.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_ack_snd_check.two-segments': rule('tcp_input.c __tcp_ack_snd_check', 'Out of quick-ACK mode Linux acknowledges at once when more than one full segment has arrived since its last ACK and its window can move right; otherwise the ACK waits for the delayed-ACK timer.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_send_delayed_ack.ato': rule('tcp_output.c tcp_send_delayed_ack', 'The ACK waits for the delayed-ACK timer: until the next timer tick on a connection that has received no data, 40 ms (TCP_ATO_MIN) after data, longer after missed delayed ACKs; data or a FIN going out carries it first.', kernel('net/ipv4/tcp_output.c')),
  'linux.tcp_fin.pingpong': rule('tcp_input.c tcp_fin', 'A FIN received in ESTABLISHED (or data sent soon after data received) makes the connection interactive (ping-pong): its ACK waits for the delayed-ACK timer, so an application that closes at once sends it in its own FIN,ACK and closing takes three segments.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_delack_timer_handler.fire': rule('tcp_timer.c tcp_delack_timer_handler', 'When the delayed-ACK timer fires the ACK goes out; a delayed ACK that had to fire in ping-pong mode leaves it, otherwise the next delay doubles.', kernel('net/ipv4/tcp_timer.c')),
  'linux.tcp_cleanup_rbuf.ack': rule('tcp.c tcp_cleanup_rbuf', 'After the application reads, Linux sends a pending ACK at once if more than a segment is unacknowledged or a short pushed segment was read, and announces a window that has at least doubled.', kernel('net/ipv4/tcp.c')),
  'linux.tcp_data_queue_ofo.sack': rule('tcp_input.c tcp_data_queue_ofo', 'Out-of-order data is held and acknowledged at once with SACK blocks (RFC 2018), the newest block first; after three such duplicate ACKs for one hole they are compressed.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_data_queue.dsack': rule('tcp_input.c tcp_data_queue', 'Data that had already arrived (or the repeated SYN of a simultaneous open) is acknowledged at once with a D-SACK block naming it (RFC 2883).', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_data_queue.zero-window': rule('tcp_input.c tcp_data_queue', 'Data at RCV.NXT when the receive window is zero is dropped and acknowledged at once; a FIN alone is accepted (the connection closes its receiving side).', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_oow_rate_limited.dupack': rule('tcp_input.c tcp_oow_rate_limited', 'A segment outside the window, or acknowledging data never sent, is answered with a duplicate ACK at most once every 500 ms (tcp_invalid_ratelimit), so two stacks that disagree do not ACK each other for ever.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_rtt_estimator.rto': rule('tcp_input.c tcp_rtt_estimator', 'Linux takes an RTT sample from every ACK of data sent once and sets RTO = SRTT + RTTVAR, keeping RTTVAR at no less than tcp_rto_min (200 ms), in whole jiffies: about 224 ms on a 20 ms path; the timer restarts on each ACK.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_send_loss_probe.tlp': rule('tcp_output.c tcp_send_loss_probe', 'Tail loss probe (RFC 8985 7): when no ACK comes for 2*SRTT + 2 ms (with one segment in flight, 2*SRTT + 200 ms, never later than the RTO), Linux sends the last segment again (or a new one) so that its ACK reveals a loss at the tail.', kernel('net/ipv4/tcp_output.c')),
  'linux.tcp_process_tlp_ack.cwr': rule('tcp_input.c tcp_process_tlp_ack', 'When the ACK of a tail loss probe shows that it repaired a loss, cwnd is reduced once, to ssthresh.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_rack_detect_loss.lost': rule('tcp_recovery.c tcp_rack_detect_loss', 'RACK (RFC 8985 6): a segment is lost once a segment sent after it has been acknowledged or SACKed and it has waited that one\'s RTT plus a reordering window (none once three segments are SACKed); it is sent again at once, and fast recovery (PRR) begins.', kernel('net/ipv4/tcp_recovery.c')),
  'linux.tcp_rack_reo_timeout.fire': rule('tcp_recovery.c tcp_rack_reo_timeout', 'RACK\'s reordering timer: a segment not yet old enough to be lost is given a quarter of the minimum RTT (a quarter more for each D-SACK that showed reordering) to arrive out of order; when the timer fires it is marked lost and sent again.', kernel('net/ipv4/tcp_recovery.c')),
  'linux.tcp_try_undo_loss.undo': rule('tcp_input.c tcp_try_undo_loss', 'An ACK after a retransmission timeout that echoes a timestamp older than the first retransmission (Eifel, RFC 3522), or D-SACKs for every retransmission, shows the timeout was spurious: cwnd and ssthresh go back to what they were and the connection leaves the loss state.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_try_undo_recovery.undo': rule('tcp_input.c tcp_try_undo_recovery', 'When an ACK ends fast recovery and echoes a timestamp older than the first retransmission, or D-SACKs have shown every retransmission needless, the fast retransmit was spurious: cwnd and ssthresh go back to what they were.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_try_undo_dsack.undo': rule('tcp_input.c tcp_try_undo_dsack', 'Once D-SACKs (RFC 2883) have reported every retransmission of a fast recovery as a duplicate, during the recovery or after it, the original segments had only been reordered: cwnd and ssthresh go back to what they were.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_try_undo_partial.undo': rule('tcp_input.c tcp_try_undo_partial', 'A partial ACK during fast recovery that echoes a timestamp older than the first retransmission shows the hole was filled by the original segment (reordering): no more segments are marked lost or sent again, and once no retransmission is in flight the recovery is undone.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_process_loss.frto': rule('tcp_input.c tcp_process_loss', 'F-RTO (RFC 5682 3.1): the first ACK after a retransmission timeout that advances SND.UNA sends new data rather than more retransmissions; if the next ACK acknowledges a segment that was never sent again, the timeout was spurious and is undone.', kernel('net/ipv4/tcp_input.c')),
  'linux.tcp_retransmit_timer.loss': rule('tcp_timer.c tcp_retransmit_timer', 'When the retransmission timer fires, every unacknowledged segment not SACKed is presumed lost, cwnd drops to what is in flight plus one segment, the first is sent again and the RTO doubles.', kernel('net/ipv4/tcp_timer.c')),
  'linux.tcp_retransmit_timer.syn-linear': rule('tcp_timer.c tcp_retransmit_timer', 'A SYN is sent again one initial RTO (1 s) apart for the first tcp_syn_linear_timeouts (4) retransmissions after the first, then the timeout doubles: 1, 1, 1, 1, 1, 2, 4, 8 s...', kernel('net/ipv4/tcp_timer.c')),
  'linux.retransmits_timed_out.give-up': rule('tcp_timer.c retransmits_timed_out', 'Linux gives up by time, not by count: when the time since the first transmission exceeds what its retry count would take with doubling timeouts (tcp_syn_retries 6: 127 s for a SYN; tcp_retries2 15: about 924.6 s for data), the application is told the connection timed out.', kernel('net/ipv4/tcp_timer.c')),
  'linux.tcp_check_req.synack-again': rule('tcp_minisocks.c tcp_check_req', 'A retransmitted SYN reaching a connection in SYN-RECEIVED means the SYN,ACK was lost: it is sent again at once.', kernel('net/ipv4/tcp_minisocks.c')),
  'linux.tcp_v4_send_reset.data-after-close': rule('tcp_ipv4.c tcp_v4_send_reset', 'Data arriving after the application closed is answered with a bare RST whose sequence number is the segment\'s ACK (no ACK bit), and the connection is gone.', kernel('net/ipv4/tcp_ipv4.c')),
  'linux.tcp_close.fin-wait-2': rule('tcp.c tcp_close', 'An orphaned connection in FIN-WAIT-2 (the application closed) waits tcp_fin_timeout (60 s) for the peer\'s FIN and is then deleted without a segment.', kernel('net/ipv4/tcp.c')),
  'linux.tcp_time_wait.timewait-len': rule('tcp_minisocks.c tcp_time_wait', 'Linux keeps TIME-WAIT for TCP_TIMEWAIT_LEN, 60 s, whatever MSL is; a retransmitted FIN restarts it.', kernel('net/ipv4/tcp_minisocks.c')),
  'linux.tcp_write_wakeup.probe0': rule('tcp_output.c tcp_write_wakeup', 'While the peer\'s window is zero and data or a FIN waits, Linux probes with a pure ACK at SEQ = SND.UNA - 1, which the peer answers with its window; the probes back off from the RTO.', kernel('net/ipv4/tcp_output.c')),
  'linux.tcp_snd_wnd_test.fin': rule('tcp_output.c tcp_snd_wnd_test', 'A FIN takes a sequence number the peer\'s window must hold: closing into a zero window waits in FIN-WAIT-1, probing, until the window opens.', kernel('net/ipv4/tcp_output.c')),
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** The table of the rules a trace uses, in order of first use. */
export function rulesOf(events: readonly { rule?: string }[]): Record<string, RuleInfo> {
  const table: Record<string, RuleInfo> = {};
  const all = RULES as Record<string, RuleInfo>;
  for (const e of events) {
    const id = e.rule;
    if (id !== undefined && !(id in table) && all[id] !== undefined) table[id] = all[id];
  }
  return table;
}
