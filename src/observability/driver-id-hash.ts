/**
 * A driverId identifies a person, so logs carry it only as a keyed hash: HMAC-SHA256 under a
 * per-deployment secret, cut to 128 bits. The same id always gives the same hash within a
 * deployment (an operator can find one person's calls by hashing their id with the same key:
 * `scoredrive hash-id`), while without the key the hash cannot be reversed by trying all ids.
 */
import { createHmac } from 'node:crypto';

export type DriverIdHasher = (driverId: string) => string;

export function driverIdHasher(key: Buffer): DriverIdHasher {
  if (key.length < 32) throw new RangeError('the driverId hash key must be at least 32 bytes');
  return (driverId) => createHmac('sha256', key).update(driverId, 'utf8').digest('hex').slice(0, 32);
}
