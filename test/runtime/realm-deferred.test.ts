/**
 * realm.fromHostResult: a data source's result whose nextToken is sealed only if the code
 * touches it. Whatever the code does, it must see what it sees on a plain copy of the same
 * result (fromHost of the sealed value), and an untouched member must never be computed.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Deferred } from '../../src/runtime/deferred';
import { createRealm } from '../../src/runtime/realm';

const realm = createRealm('deferred-test', {});
realm.restrict();

/**
 * Runs `body` (a function of `r`, the result) in the realm; its value comes back as JSON text,
 * or what it threw (APPSYNC_JS lacks getOwnPropertyDescriptor, freeze and the like).
 */
function inRealm(body: string, result: unknown): string {
  const run = vm.runInContext(`(r) => JSON.stringify((() => { ${body} })())`, realm.context) as (r: unknown) => string;
  try {
    return run(result);
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

function results() {
  let computed = 0;
  const deferred = realm.fromHostResult({
    items: [{ period: '2026-10' }],
    nextToken: new Deferred(() => {
      computed += 1;
      return 'sealed-token';
    }),
    scannedCount: 1,
  });
  const plain = realm.fromHost({ items: [{ period: '2026-10' }], nextToken: 'sealed-token', scannedCount: 1 });
  return { deferred, plain, computed: () => computed };
}

describe('realm.fromHostResult', () => {
  it.each([
    ['reading the member', 'return r.nextToken;'],
    ['JSON.stringify', 'return JSON.stringify(r);'],
    ['Object.keys and Object.entries', 'return [Object.keys(r), Object.entries(r)];'],
    ['a spread copy', 'return { ...r };'],
    ['its descriptor (refused by APPSYNC_JS)', "return Object.getOwnPropertyDescriptor(r, 'nextToken');"],
    ['a for-in walk with values', 'const out = []; for (const k in r) out.push([k, r[k]]); return out;'],
    ['assigning over it', "r.nextToken = 'mine'; return r;"],
    ['deleting it', 'delete r.nextToken; return [r, Object.keys(r)];'],
    [
      'freezing the object',
      "Object.freeze(r); return [Object.isFrozen(r), r.nextToken, Object.getOwnPropertyDescriptor(r, 'nextToken')];",
    ],
    ["'in' and hasOwnProperty", "return ['nextToken' in r, Object.keys(r).length];"],
  ])('gives what a plain copy gives: %s', (_name, body) => {
    const { deferred, plain } = results();
    expect(inRealm(body, deferred)).toBe(inRealm(body, plain));
  });

  it('never computes a member the code does not touch', () => {
    const { deferred, computed } = results();
    inRealm(
      "return [r.items[0].period, r.scannedCount, 'nextToken' in r, Object.getPrototypeOf(r) === Object.prototype];",
      deferred,
    );
    expect(computed()).toBe(0);
  });

  it('computes a member once, however often it is read', () => {
    const { deferred, computed } = results();
    expect(inRealm('return [r.nextToken, r.nextToken, JSON.stringify(r)];', deferred)).toBe(
      JSON.stringify([
        'sealed-token',
        'sealed-token',
        JSON.stringify({ items: [{ period: '2026-10' }], nextToken: 'sealed-token', scannedCount: 1 }),
      ]),
    );
    expect(computed()).toBe(1);
  });

  it('does not compute a member the code overwrites or deletes first', () => {
    const overwritten = results();
    inRealm("r.nextToken = 'mine'; return r.nextToken;", overwritten.deferred);
    expect(overwritten.computed()).toBe(0);
    const deleted = results();
    inRealm('delete r.nextToken; return r.nextToken;', deleted.deferred);
    expect(deleted.computed()).toBe(0);
  });

  it('copies results without deferred members as fromHost does', () => {
    const value = { items: [], nextToken: null, scannedCount: 0 };
    expect(realm.fromHostResult(value)).toEqual(realm.fromHost(value));
    expect(realm.fromHostResult([1, 2])).toEqual([1, 2]);
    expect(realm.fromHostResult('text')).toBe('text');
  });
});
