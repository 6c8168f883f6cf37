/**
 * A list of 32-bit integers in a typed array grown by doubling. Compiling a rule set adds
 * hundreds of thousands of automaton states and patterns; plain arrays of arrays leave that
 * many objects for the garbage collector, which was a fifth of compile time.
 */
export class IntList {
  length = 0;
  data: Int32Array;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): number {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length] = value;
    return this.length++;
  }

  /** Grows the list to at least `length` entries, new ones 0. */
  extendTo(length: number): void {
    if (length <= this.length) return;
    this.reserve(length);
    this.length = length;
  }

  private reserve(length: number): void {
    if (length <= this.data.length) return;
    let capacity = this.data.length * 2;
    while (capacity < length) capacity *= 2;
    this.data = grownCopy(this.data, new Int32Array(capacity), this.length);
  }
}

/** `fresh` (a bigger array) holding the first `length` entries of `old`. */
export function grownCopy<T extends Int32Array | Uint8Array>(old: T, fresh: T, length: number): T {
  fresh.set(old.subarray(0, length));
  return fresh;
}
