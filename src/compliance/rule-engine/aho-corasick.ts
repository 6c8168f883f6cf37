/**
 * Aho–Corasick automaton over Unicode code points, with flat typed-array storage.
 *
 * Written here rather than taken from npm: the packages available either report only the
 * matched string (no end offset or per-pattern payload), work on UTF-16 units or bytes
 * rather than code points, build object-per-node tries that take seconds and hundreds of
 * megabytes for tens of thousands of CJK terms, or are unmaintained. What the rule engine
 * needs is small: end offsets, a pattern id per terminal state, and a lookup that costs a
 * few array reads.
 *
 * Layout:
 * - code points are mapped to dense symbols (`symbolOf`); a code point that occurs in no
 *   pattern is symbol 0 and sends the automaton straight back to the root;
 * - the root's transitions are a dense array by symbol;
 * - a state with a single child keeps it inline (`onlySymbol` / `onlyNext`): most states
 *   of a trie have one child or none;
 * - the transitions of states with several children live in one open-addressing hash
 *   table keyed by (state, symbol);
 * - `fail` are the failure links, `outputLink[s]` the nearest state on the failure chain of
 *   `s` (itself included) that ends a pattern, `nextOutput[s]` the next one after it.
 */

export class AhoCorasickBuilder {
  private readonly symbols = new Map<number, number>();
  /** Child of the root per symbol (0: none); the root has the most children by far. */
  private readonly rootChild: number[] = [0];
  private stateCount = 1;
  private readonly depth: number[] = [0];
  private readonly terminal: boolean[] = [false];
  private readonly firstChild: number[] = [-1];
  private readonly nextSibling: number[] = [-1];
  private readonly edgeSymbol: number[] = [0];

  /** Adds a pattern; returns its terminal state (equal patterns share a state). */
  add(codePoints: ArrayLike<number>): number {
    if (codePoints.length === 0) throw new Error('Aho–Corasick patterns must not be empty');
    let state = 0;
    for (let i = 0; i < codePoints.length; i++) {
      const cp = codePoints[i];
      let symbol = this.symbols.get(cp);
      if (symbol === undefined) {
        symbol = this.symbols.size + 1;
        this.symbols.set(cp, symbol);
        this.rootChild.push(0);
      }
      let next = this.child(state, symbol);
      if (next === -1) {
        next = this.stateCount++;
        this.depth.push(this.depth[state] + 1);
        this.terminal.push(false);
        this.firstChild.push(-1);
        this.edgeSymbol.push(symbol);
        this.nextSibling.push(this.firstChild[state]);
        this.firstChild[state] = next;
        if (state === 0) this.rootChild[symbol] = next;
      }
      state = next;
    }
    this.terminal[state] = true;
    return state;
  }

  /**
   * The child of `state` on `symbol`, or -1. Below the root a state has few children (a
   * trie of words), so a walk of its sibling list beats any hash: integer arrays only, no
   * allocation while hundreds of thousands of states are added.
   */
  private child(state: number, symbol: number): number {
    if (state === 0) return this.rootChild[symbol] || -1;
    for (let c = this.firstChild[state]; c !== -1; c = this.nextSibling[c]) {
      if (this.edgeSymbol[c] === symbol) return c;
    }
    return -1;
  }

  build(): AhoCorasick {
    const n = this.stateCount;
    const fail = new Int32Array(n);
    const outputLink = new Int32Array(n);
    const nextOutput = new Int32Array(n);
    const order = new Int32Array(n);
    let head = 0;
    let tail = 0;
    for (let child = this.firstChild[0]; child !== -1; child = this.nextSibling[child]) {
      order[tail++] = child;
    }
    while (head < tail) {
      const state = order[head++];
      // outputLink of `state` is final once its failure state (shallower) is done.
      const f = fail[state];
      nextOutput[state] = outputLink[f];
      outputLink[state] = this.terminal[state] ? state : outputLink[f];
      for (let child = this.firstChild[state]; child !== -1; child = this.nextSibling[child]) {
        const symbol = this.edgeSymbol[child];
        let probe = f;
        let target = -1;
        for (;;) {
          const t = this.child(probe, symbol);
          if (t !== -1) {
            target = t;
            break;
          }
          if (probe === 0) break;
          probe = fail[probe];
        }
        fail[child] = target > 0 && target !== child ? target : 0;
        order[tail++] = child;
      }
    }
    return new AhoCorasick(
      this.symbols,
      { firstChild: this.firstChild, nextSibling: this.nextSibling, edgeSymbol: this.edgeSymbol },
      n,
      Int32Array.from(this.depth),
      fail,
      outputLink,
      nextOutput,
    );
  }
}

/** The trie's edges as child lists: `edgeSymbol[c]` leads from its parent to state `c`. */
interface TrieEdges {
  readonly firstChild: readonly number[];
  readonly nextSibling: readonly number[];
  readonly edgeSymbol: readonly number[];
}

export class AhoCorasick {
  readonly stateCount: number;
  readonly alphabetSize: number;
  /** Pattern length (in positions) of each state. */
  readonly depth: Int32Array;
  private readonly symbolBmp = new Int32Array(0x10000);
  private readonly symbolAstral = new Map<number, number>();
  private readonly rootNext: Int32Array;
  private readonly fail: Int32Array;
  private readonly outputLink: Int32Array;
  private readonly nextOutput: Int32Array;
  /** Symbol of the only child of a state; -1: no child; -2: several (use the table). */
  private readonly onlySymbol: Int32Array;
  private readonly onlyNext: Int32Array;
  private readonly tableShift: number;
  private readonly tableMask: number;
  /** [state, symbol] pairs; state -1 = empty slot. */
  private readonly tableKeys: Int32Array;
  private readonly tableValues: Int32Array;

  /** Matches of the last `search`: terminal state and end position (inclusive). */
  matchStates = new Int32Array(64);
  matchEnds = new Int32Array(64);

  constructor(
    symbols: ReadonlyMap<number, number>,
    edges: TrieEdges,
    stateCount: number,
    depth: Int32Array,
    fail: Int32Array,
    outputLink: Int32Array,
    nextOutput: Int32Array,
  ) {
    this.stateCount = stateCount;
    this.alphabetSize = symbols.size;
    this.depth = depth;
    this.fail = fail;
    this.outputLink = outputLink;
    this.nextOutput = nextOutput;
    for (const [cp, symbol] of symbols) {
      if (cp < 0x10000) this.symbolBmp[cp] = symbol;
      else this.symbolAstral.set(cp, symbol);
    }
    this.rootNext = new Int32Array(symbols.size + 1);
    this.onlySymbol = new Int32Array(stateCount).fill(-1);
    this.onlyNext = new Int32Array(stateCount);
    // Pass 1: root edges, and states with a single child (most of a trie) need no table.
    const { firstChild, nextSibling, edgeSymbol } = edges;
    let tableEdges = 0;
    for (let state = 0; state < stateCount; state++) {
      for (let next = firstChild[state]; next !== -1; next = nextSibling[next]) {
        const symbol = edgeSymbol[next];
        if (state === 0) {
          this.rootNext[symbol] = next;
        } else if (this.onlySymbol[state] === -1) {
          this.onlySymbol[state] = symbol;
          this.onlyNext[state] = next;
        } else {
          if (this.onlySymbol[state] !== -2) tableEdges++;
          this.onlySymbol[state] = -2;
          tableEdges++;
        }
      }
    }
    // Pass 2: edges of states with several children go to the hash table.
    let bits = 4;
    while (1 << bits < tableEdges * 2) bits++;
    this.tableShift = 32 - bits;
    this.tableMask = (1 << bits) - 1;
    this.tableKeys = new Int32Array(2 << bits).fill(-1);
    this.tableValues = new Int32Array(1 << bits);
    for (let state = 1; state < stateCount; state++) {
      if (this.onlySymbol[state] !== -2) continue;
      for (let next = firstChild[state]; next !== -1; next = nextSibling[next]) {
        const symbol = edgeSymbol[next];
        let h = this.hash(state, symbol);
        while (this.tableKeys[h << 1] !== -1) h = (h + 1) & this.tableMask;
        this.tableKeys[h << 1] = state;
        this.tableKeys[(h << 1) + 1] = symbol;
        this.tableValues[h] = next;
      }
    }
  }

  private hash(state: number, symbol: number): number {
    return (Math.imul(state, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca6b)) >>> this.tableShift;
  }

  /** The trie child of `state` on `codePoint` (no failure links), or -1: walks a word. */
  child(state: number, codePoint: number): number {
    const symbol =
      codePoint < 0x10000 ? this.symbolBmp[codePoint] : (this.symbolAstral.get(codePoint) ?? 0);
    if (symbol === 0) return -1;
    if (state === 0) return this.rootNext[symbol] > 0 ? this.rootNext[symbol] : -1;
    const only = this.onlySymbol[state];
    if (only !== -2) return only === symbol ? this.onlyNext[state] : -1;
    for (let h = this.hash(state, symbol); ; h = (h + 1) & this.tableMask) {
      const keyState = this.tableKeys[h << 1];
      if (keyState === state && this.tableKeys[(h << 1) + 1] === symbol) {
        return this.tableValues[h] > 0 ? this.tableValues[h] : -1;
      }
      if (keyState === -1) return -1;
    }
  }

  /** Bytes held by the automaton's typed arrays. */
  byteSize(): number {
    return (
      this.depth.byteLength +
      this.symbolBmp.byteLength +
      this.rootNext.byteLength +
      this.fail.byteLength +
      this.outputLink.byteLength +
      this.nextOutput.byteLength +
      this.onlySymbol.byteLength +
      this.onlyNext.byteLength +
      this.tableKeys.byteLength +
      this.tableValues.byteLength
    );
  }

  /**
   * Scans `codePoints[0..length)`; returns the number of matches, stored in `matchStates` /
   * `matchEnds` (valid until the next search).
   */
  search(codePoints: Int32Array, length: number): number {
    const symbolBmp = this.symbolBmp;
    const rootNext = this.rootNext;
    const fail = this.fail;
    const outputLink = this.outputLink;
    const nextOutput = this.nextOutput;
    const keys = this.tableKeys;
    const values = this.tableValues;
    const mask = this.tableMask;
    const shift = this.tableShift;
    const onlySymbol = this.onlySymbol;
    const onlyNext = this.onlyNext;
    let count = 0;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const cp = codePoints[i];
      const symbol = cp < 0x10000 ? symbolBmp[cp] : (this.symbolAstral.get(cp) ?? 0);
      if (symbol === 0) {
        state = 0;
        continue;
      }
      for (;;) {
        if (state === 0) {
          state = rootNext[symbol];
          break;
        }
        const only = onlySymbol[state];
        if (only !== -2) {
          if (only === symbol) {
            state = onlyNext[state];
            break;
          }
          state = fail[state];
          continue;
        }
        let h = (Math.imul(state, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca6b)) >>> shift;
        let next = -1;
        for (;;) {
          const k = h << 1;
          const keyState = keys[k];
          if (keyState === state && keys[k + 1] === symbol) {
            next = values[h];
            break;
          }
          if (keyState === -1) break;
          h = (h + 1) & mask;
        }
        if (next > 0) {
          state = next;
          break;
        }
        state = fail[state];
      }
      let out = outputLink[state];
      while (out !== 0) {
        if (count === this.matchStates.length) this.growMatches();
        this.matchStates[count] = out;
        this.matchEnds[count] = i;
        count++;
        out = nextOutput[out];
      }
    }
    return count;
  }

  private growMatches(): void {
    const states = new Int32Array(this.matchStates.length * 2);
    const ends = new Int32Array(this.matchEnds.length * 2);
    states.set(this.matchStates);
    ends.set(this.matchEnds);
    this.matchStates = states;
    this.matchEnds = ends;
  }
}
