/** The realm's copy of host values: what a JSON round trip gives, made of the realm's objects. */
import { describe, expect, it } from 'vitest';
import { createRealm } from '../../src/runtime/realm';

describe('createRealm().fromHost', () => {
  const realm = createRealm('test', {});

  it.each([
    ['a nested object', { a: 1, b: { c: [1, 'x', null, true, { d: 2.5 }] }, e: null }],
    ['undefined and functions in objects and lists', { a: undefined, f: () => 1, l: [undefined, () => 1, 3] }],
    ['a Date (through toJSON)', { when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
    ['scalars', 'text'],
    ['a number', 12.5],
  ])('copies %s as JSON would', (_name, value) => {
    expect(realm.fromHost(value)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('leaves out undefined and function members, as JSON does (not merely as undefined)', () => {
    const copied = realm.fromHost({ a: undefined, f: () => 1, kept: 1 }) as Record<string, unknown>;
    expect(Object.keys(copied)).toEqual(['kept']);
    expect(realm.fromHost(() => 1)).toBeUndefined();
  });

  it("keeps a `__proto__` key as an own member, as JSON.parse does, and makes the realm's objects", () => {
    const copied = realm.fromHost(JSON.parse('{"__proto__": {"polluted": true}, "list": [1]}')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(copied)).toEqual(['__proto__', 'list']);
    expect((copied as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(copied)).not.toBe(Object.prototype);
    expect(Array.isArray(copied.list)).toBe(true);
    expect(copied.list).not.toBeInstanceOf(Array);
  });
});
