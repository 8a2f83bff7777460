import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeScenario, firstInvalidUtf8, ReadError } from '../../src/run/read';

describe('decoding a scenario file', () => {
  test('firstInvalidUtf8 agrees with a fatal TextDecoder on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        const at = firstInvalidUtf8(bytes);
        assert.equal(at === -1, valid);
        // The bytes before the reported one decode.
        if (at >= 0) new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at));
      }),
      { seed: 12, numRuns: 3000 },
    );
  });

  test('an invalid byte is reported at its line and its column in UTF-16 units', () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFFa\nb😀c'), Buffer.from([0xc0, 0x80])]);
    assert.throws(() => decodeScenario(bytes), (error: unknown) => error instanceof ReadError && error.line === 2 && error.column === 5 && /0xC0/.test(error.message));
  });

  test('a NUL byte is reported where it is', () => {
    assert.throws(() => decodeScenario(Buffer.from('ab\ncd\0')), (error: unknown) => error instanceof ReadError && error.where('f') === 'f:2:3');
  });

  test('valid text, with or without a byte order mark, decodes', () => {
    assert.equal(decodeScenario(Buffer.from('\uFEFFscenario "握手"\n')), 'scenario "握手"\n');
  });
});
