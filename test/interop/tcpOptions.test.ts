import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { ENCODE_MESSAGES, EncodeError } from '../../src/interop/messages';
import { decodeTcpOptions, encodeTcpOptions, MAX_OPTION_BYTES, type TcpOptions } from '../../src/interop/tcpOptions';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const options: fc.Arbitrary<TcpOptions> = fc.record(
  {
    mss: fc.integer({ min: 0, max: 0xffff }),
    wscale: fc.integer({ min: 0, max: 14 }),
    sackPermitted: fc.constant(true),
    ts: fc.record({ val: u32, ecr: u32 }),
    sack: fc.array(fc.record({ left: u32, right: u32 }), { minLength: 1, maxLength: 4 }),
  },
  { requiredKeys: [] },
);

describe('TCP options', () => {
  test("a SYN's options take Linux's 20-byte layout: MSS, SACK-permitted, timestamps, NOP, window scale", () => {
    const { bytes } = encodeTcpOptions({ mss: 1460, sackPermitted: true, ts: { val: 0x01020304, ecr: 0 }, wscale: 7 });
    // tcp_output.c tcp_options_write, as tcpdump shows a Linux SYN: mss 1460,sackOK,TS val .. ecr 0,nop,wscale 7
    assert.deepEqual([...bytes], [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7]);
  });

  test('each option alone is padded with NOPs to a multiple of 4 bytes', () => {
    assert.deepEqual([...encodeTcpOptions({ sackPermitted: true }).bytes], [1, 1, 4, 2]);
    assert.deepEqual([...encodeTcpOptions({ wscale: 14 }).bytes], [1, 3, 3, 14]);
    assert.deepEqual([...encodeTcpOptions({ ts: { val: 1, ecr: 2 } }).bytes], [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]);
    assert.equal(encodeTcpOptions(undefined).bytes.length, 0);
    assert.equal(encodeTcpOptions({}).bytes.length, 0);
  });

  test('any options survive encoding and decoding; SACK blocks beyond the 40 bytes are left out and counted', () => {
    fc.assert(
      fc.property(options, (generated) => {
        const o = JSON.parse(JSON.stringify(generated)) as TcpOptions; // plain objects (fast-check's have no prototype)
        const { bytes, sackBlocksDropped } = encodeTcpOptions(o);
        assert.equal(bytes.length % 4, 0);
        assert.ok(bytes.length <= MAX_OPTION_BYTES);
        const decoded = decodeTcpOptions(bytes);
        assert.equal(decoded.problem, undefined);
        assert.deepEqual(decoded.other, []);
        const kept = (o.sack?.length ?? 0) - sackBlocksDropped;
        const expected: TcpOptions = { ...o };
        if (o.sack) {
          if (kept > 0) expected.sack = o.sack.slice(0, kept);
          else delete expected.sack;
        }
        assert.deepEqual(decoded.options, expected);
      }),
      { numRuns: 300 },
    );
  });

  test('three SACK blocks fit beside the timestamps (RFC 2018 3); a fourth does not', () => {
    const blocks = [1, 2, 3, 4].map((n) => ({ left: n * 1000, right: n * 1000 + 500 }));
    const three = encodeTcpOptions({ ts: { val: 5, ecr: 6 }, sack: blocks.slice(0, 3) });
    assert.equal(three.bytes.length, 40);
    assert.equal(three.sackBlocksDropped, 0);
    const four = encodeTcpOptions({ ts: { val: 5, ecr: 6 }, sack: blocks });
    assert.equal(four.sackBlocksDropped, 1);
    assert.deepEqual(decodeTcpOptions(four.bytes).options.sack, blocks.slice(0, 3));
    assert.equal(encodeTcpOptions({ sack: blocks }).sackBlocksDropped, 0);
  });

  test('values that cannot be written are refused with what is wrong', () => {
    assert.throws(() => encodeTcpOptions({ mss: 70000 }), /MSS option 70000 does not fit in 16 bits/);
    assert.throws(() => encodeTcpOptions({ wscale: 300 }), /window scale option 300/);
    assert.throws(() => encodeTcpOptions({ ts: { val: -1, ecr: 0 } }), /timestamp value -1/);
    assert.throws(() => encodeTcpOptions({ sack: [{ left: 1.5, right: 2 }] }), /SACK left edge 1.5/);
  });

  test('a refusal is a template and its arguments, a phrase nested as a template, for translation', () => {
    assert.throws(() => encodeTcpOptions({ mss: 70000 }), (e: unknown) => e instanceof EncodeError && e.template === ENCODE_MESSAGES.mssRange && e.args.join() === '70000');
    assert.throws(
      () => encodeTcpOptions({ ts: { val: 0, ecr: 2 ** 32 } }),
      (e: unknown) => e instanceof EncodeError && e.template === ENCODE_MESSAGES.notU32 && isDeepStrictEqual(e.args, [{ template: ENCODE_MESSAGES.timestampEcho, args: [] }, '4294967296']) && e.message === 'timestamp echo reply 4294967296 is not a 32-bit unsigned integer',
    );
  });

  test('decoding keeps what precedes a broken option and says where it broke', () => {
    const broken = Uint8Array.from([2, 4, 0x05, 0xb4, 1, 8, 10, 0]);
    const decoded = decodeTcpOptions(broken);
    assert.deepEqual(decoded.options, { mss: 1460 });
    assert.match(decoded.problem ?? '', /option kind 8 at byte 5 .* length 10, outside the header/);
    assert.match(decodeTcpOptions(Uint8Array.from([3, 4, 7, 0])).problem ?? '', /option kind 3 at byte 0 .* has length 4/);
    assert.match(decodeTcpOptions(Uint8Array.from([1, 1, 1, 30])).problem ?? '', /no length byte/);
    // Unknown kinds (here 30, MPTCP) are listed; EOL ends the list.
    assert.deepEqual(decodeTcpOptions(Uint8Array.from([30, 4, 0, 0, 0, 2, 4, 5])), { options: {}, other: [30] });
  });
});
