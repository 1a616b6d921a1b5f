/** `util.autoId`, `util.autoUlid`, `util.autoKsuid`. */
import { randomBytes, randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** KSUID epoch: 2014-05-13T16:53:20Z (https://github.com/segmentio/ksuid). */
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A KSUID: 4 bytes of seconds since the KSUID epoch, then 16 random bytes, as 27 base62
 * characters. Written here because the npm `ksuid` packages are either unmaintained or async;
 * the format is 20 bytes and one base conversion.
 */
export function ksuid(nowMillis: number = Date.now()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(nowMillis / 1000) - KSUID_EPOCH_SECONDS, 0);
  randomBytes(16).copy(bytes, 4);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

export const idUtil = {
  autoId: (): string => randomUUID(),
  autoUlid: (): string => ulid(),
  autoKsuid: (): string => ksuid(),
};
