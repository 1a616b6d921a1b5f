/**
 * A member of a data-source result worked out only when the resolver's code first reads it.
 * A Query's nextToken is sealed with AES-GCM, which costs more than most response handlers,
 * and `score` never reads its token; `realm.fromHostResult` gives the code an object that
 * behaves as a plain one, whose deferred members are computed on first touch.
 */
export class Deferred<T> {
  #compute: (() => T) | undefined;
  #value: T | undefined;

  constructor(compute: () => T) {
    this.#compute = compute;
  }

  get value(): T {
    const compute = this.#compute;
    if (compute !== undefined) {
      this.#value = compute();
      this.#compute = undefined;
    }
    return this.#value as T;
  }

  /** How JSON (and the realm's plain copy) sees it: the value itself. */
  toJSON(): T {
    return this.value;
  }
}
