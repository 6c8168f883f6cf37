import { grownCopy } from './int-list';

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
 *   `s` (itself included) that ends a pattern, `nextOutput[s]` the next one after it;
 * - the root and the shallow states with several children reached by a Latin letter or
 *   digit (symbols below `DENSE_SYMBOLS`, given to `a`–`z` and `0`–`4` first) also have a
 *   dense row of complete transitions over those symbols, failure links already followed:
 *   reading ordinary words, the automaton spends most steps in these states, and a step
 *   there is one array read instead of a hash probe and a walk up the failure chain;
 * - states are numbered for locality: the root, then the states with dense rows (row `s` is
 *   state `s`, so a step there reads no other per-state array), then the others breadth
 *   first, so that the shallow states most texts touch share cache lines. `stateOf` maps the
 *   states returned by `add` to these numbers.
 */

/**
 * Transitions (`rootNext`, `onlyNext`, the table's values, dense rows) hold the next state
 * with `OUT_FLAG` set when a pattern ends there or on its failure chain: the search reads
 * `outputLink` only then, saving a cache miss on most characters of a text.
 */
const OUT_FLAG = 1 << 30;
const STATE_MASK = OUT_FLAG - 1;

/** Symbols with dense rows: the Latin letters and digits get the first ones. */
const DENSE_SYMBOLS = 32;
const DENSE_SHIFT = 5;
/** Deepest state given a dense row (rows cost `DENSE_SYMBOLS` entries each). */
const DENSE_MAX_DEPTH = 4;

/** Largest edge table allocated up front (a bad guess costs no more than this). */
const MAX_PRESIZED_SLOTS = 1 << 20;

function edgeHash(state: number, symbol: number): number {
  return (Math.imul(state, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca6b)) >>> 8;
}

export class AhoCorasickBuilder {
  private readonly symbols = new Map<number, number>();
  /** `symbols` of the Basic Multilingual Plane by code point (0: none yet), read per character. */
  private readonly bmpSymbols = new Int32Array(0x10000);
  /** Child of the root per symbol (0: none); the root has the most children by far. */
  private readonly rootChild: number[] = [0];
  private stateCount = 1;
  /** Per state, in typed arrays grown by doubling: no garbage while states are added. */
  private depth = new Int32Array(1024);
  private terminal = new Uint8Array(1024);
  private firstChild = new Int32Array(1024).fill(-1, 0, 1);
  private nextSibling = new Int32Array(1024).fill(-1, 0, 1);
  private edgeSymbol = new Int32Array(1024);
  /**
   * Children below the root by (state, symbol) in an open-addressing table: states near the
   * top of a big trie have hundreds of children, too many for a walk of the sibling list on
   * every lookup while the failure links are computed.
   */
  private edgeKeys: Int32Array;
  private edgeValues: Int32Array;
  private edgeCount = 0;

  /** `expectedStates`: a guess of the trie's size, to allocate once instead of regrowing. */
  constructor(expectedStates = 1024) {
    let slots = 1024;
    while (slots < 2 * expectedStates && slots < MAX_PRESIZED_SLOTS) slots *= 2;
    this.edgeKeys = new Int32Array(2 * slots).fill(-1);
    this.edgeValues = new Int32Array(slots);
    if (expectedStates > this.depth.length) this.grow(Math.min(slots, expectedStates));
    for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789') {
      this.symbols.set(ch.charCodeAt(0), this.symbols.size + 1);
      this.bmpSymbols[ch.charCodeAt(0)] = this.symbols.size;
      this.rootChild.push(0);
    }
  }

  /** Adds a pattern; returns its terminal state (equal patterns share a state). */
  add(codePoints: ArrayLike<number>, length = codePoints.length): number {
    if (length === 0) throw new Error('Aho–Corasick patterns must not be empty');
    let state = 0;
    for (let i = 0; i < length; i++) {
      const cp = codePoints[i];
      let symbol = cp < 0x10000 ? this.bmpSymbols[cp] : (this.symbols.get(cp) ?? 0);
      if (symbol === 0) {
        symbol = this.symbols.size + 1;
        this.symbols.set(cp, symbol);
        if (cp < 0x10000) this.bmpSymbols[cp] = symbol;
        this.rootChild.push(0);
      }
      let next = this.child(state, symbol);
      if (next === -1) {
        if (this.stateCount === this.depth.length) this.grow();
        next = this.stateCount++;
        this.depth[next] = this.depth[state] + 1;
        this.firstChild[next] = -1;
        this.edgeSymbol[next] = symbol;
        this.nextSibling[next] = this.firstChild[state];
        this.firstChild[state] = next;
        if (state === 0) this.rootChild[symbol] = next;
        else this.insertEdge(state, symbol, next);
      }
      state = next;
    }
    this.terminal[state] = 1;
    return state;
  }

  private grow(atLeast = 0): void {
    let capacity = 2 * this.depth.length;
    while (capacity < atLeast) capacity *= 2;
    const n = this.stateCount;
    this.depth = grownCopy(this.depth, new Int32Array(capacity), n);
    this.terminal = grownCopy(this.terminal, new Uint8Array(capacity), n);
    this.firstChild = grownCopy(this.firstChild, new Int32Array(capacity), n);
    this.nextSibling = grownCopy(this.nextSibling, new Int32Array(capacity), n);
    this.edgeSymbol = grownCopy(this.edgeSymbol, new Int32Array(capacity), n);
  }

  /** The child of `state` on `symbol`, or -1. */
  private child(state: number, symbol: number): number {
    if (state === 0) return this.rootChild[symbol] || -1;
    const keys = this.edgeKeys;
    const mask = this.edgeValues.length - 1;
    for (let h = edgeHash(state, symbol) & mask; ; h = (h + 1) & mask) {
      const keyState = keys[h << 1];
      if (keyState === state && keys[(h << 1) + 1] === symbol) return this.edgeValues[h];
      if (keyState === -1) return -1;
    }
  }

  private insertEdge(state: number, symbol: number, child: number): void {
    if (2 * (this.edgeCount + 1) > this.edgeValues.length) this.rehashEdges();
    const keys = this.edgeKeys;
    const mask = this.edgeValues.length - 1;
    let h = edgeHash(state, symbol) & mask;
    while (keys[h << 1] !== -1) h = (h + 1) & mask;
    keys[h << 1] = state;
    keys[(h << 1) + 1] = symbol;
    this.edgeValues[h] = child;
    this.edgeCount++;
  }

  private rehashEdges(): void {
    const oldKeys = this.edgeKeys;
    const oldValues = this.edgeValues;
    this.edgeKeys = new Int32Array(4 * oldValues.length).fill(-1);
    this.edgeValues = new Int32Array(2 * oldValues.length);
    this.edgeCount = 0;
    for (let h = 0; h < oldValues.length; h++) {
      if (oldKeys[h << 1] !== -1)
        this.insertEdge(oldKeys[h << 1], oldKeys[(h << 1) + 1], oldValues[h]);
    }
  }

  /** Whether builder state `state` gets a dense row (the root always has one). */
  private isDense(state: number): boolean {
    const first = this.firstChild[state];
    return (
      state === 0 ||
      (this.depth[state] <= DENSE_MAX_DEPTH &&
        this.edgeSymbol[state] < DENSE_SYMBOLS &&
        first !== -1 &&
        this.nextSibling[first] !== -1)
    );
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
      outputLink[state] = this.terminal[state] === 1 ? state : outputLink[f];
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
    // Numbering: the root, the dense states, then the others, each group breadth first.
    const renumber = new Int32Array(n);
    let id = 1;
    for (let k = 0; k < n - 1; k++) if (this.isDense(order[k])) renumber[order[k]] = id++;
    const denseLast = id - 1;
    for (let k = 0; k < n - 1; k++) if (!this.isDense(order[k])) renumber[order[k]] = id++;
    const edges = {
      firstChild: new Int32Array(n),
      nextSibling: new Int32Array(n),
      edgeSymbol: new Int32Array(n),
    };
    const depth = new Int32Array(n);
    const failOf = new Int32Array(n);
    const outputOf = new Int32Array(n);
    const nextOutputOf = new Int32Array(n);
    const mapped = (state: number): number => (state === -1 ? -1 : renumber[state]);
    for (let state = 0; state < n; state++) {
      const to = renumber[state];
      edges.firstChild[to] = mapped(this.firstChild[state]);
      edges.nextSibling[to] = mapped(this.nextSibling[state]);
      edges.edgeSymbol[to] = this.edgeSymbol[state];
      depth[to] = this.depth[state];
      failOf[to] = renumber[fail[state]];
      outputOf[to] = renumber[outputLink[state]];
      nextOutputOf[to] = renumber[nextOutput[state]];
    }
    return new AhoCorasick(
      this.symbols,
      edges,
      { stateCount: n, denseLast, renumber },
      depth,
      failOf,
      outputOf,
      nextOutputOf,
    );
  }
}

/** The trie's edges as child lists: `edgeSymbol[c]` leads from its parent to state `c`. */
interface TrieEdges {
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly edgeSymbol: Int32Array;
}

interface Numbering {
  readonly stateCount: number;
  /** States `0..denseLast` have dense rows. */
  readonly denseLast: number;
  /** Builder state → automaton state. */
  readonly renumber: Int32Array;
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
  /** Dense rows: `dense[(s << DENSE_SHIFT) + symbol]` is the transition value of state `s`. */
  private readonly dense: Int32Array;
  private readonly denseLast: number;
  /** States below this have their dense rows filled (while they are being built). */
  private denseFilled = 0;
  private readonly renumber: Int32Array;
  /** The trie's child lists, for walks that try every child (a masked character). */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;

  /** Matches of the last `search`: terminal state and end position (inclusive). */
  matchStates = new Int32Array(64);
  matchEnds = new Int32Array(64);

  constructor(
    symbols: ReadonlyMap<number, number>,
    edges: TrieEdges,
    numbering: Numbering,
    depth: Int32Array,
    fail: Int32Array,
    outputLink: Int32Array,
    nextOutput: Int32Array,
  ) {
    const stateCount = numbering.stateCount;
    this.stateCount = stateCount;
    this.denseLast = numbering.denseLast;
    this.renumber = numbering.renumber;
    this.firstChild = edges.firstChild;
    this.nextSibling = edges.nextSibling;
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
          this.rootNext[symbol] = this.transition(next);
        } else if (this.onlySymbol[state] === -1) {
          this.onlySymbol[state] = symbol;
          this.onlyNext[state] = this.transition(next);
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
        this.tableValues[h] = this.transition(next);
      }
    }
    this.dense = new Int32Array((this.denseLast + 1) << DENSE_SHIFT);
    this.buildDenseRows(edges, fail);
  }

  /** The automaton's number of a state returned by the builder's `add`. */
  stateOf(builderState: number): number {
    return this.renumber[builderState];
  }

  /** The transition value of entering `state`: the state, flagged when it has output. */
  private transition(state: number): number {
    return this.outputLink[state] !== 0 ? state | OUT_FLAG : state;
  }

  /**
   * Fills the dense rows of states `0..denseLast`, in breadth-first order so that a state's
   * failure state (shallower) has its row before the state needs it.
   */
  private buildDenseRows(edges: TrieEdges, fail: Int32Array): void {
    const { firstChild, nextSibling, edgeSymbol } = edges;
    const dense = this.dense;
    const symbols = Math.min(DENSE_SYMBOLS, this.alphabetSize + 1);
    for (let state = 0; state <= this.denseLast; state++) {
      const base = state << DENSE_SHIFT;
      for (let symbol = 1; symbol < symbols; symbol++) dense[base + symbol] = -1;
      for (let next = firstChild[state]; next !== -1; next = nextSibling[next]) {
        if (edgeSymbol[next] < DENSE_SYMBOLS)
          dense[base + edgeSymbol[next]] = this.transition(next);
      }
      for (let symbol = 1; symbol < symbols; symbol++) {
        if (dense[base + symbol] === -1) {
          dense[base + symbol] = state === 0 ? 0 : this.step(fail[state], symbol);
        }
      }
      this.denseFilled = state + 1;
    }
  }

  /** The automaton's transition value from `state` on `symbol`, failure links followed. */
  private step(state: number, symbol: number): number {
    for (;;) {
      if (state < this.denseFilled && symbol < DENSE_SYMBOLS) {
        return this.dense[(state << DENSE_SHIFT) + symbol];
      }
      if (state === 0) return this.rootNext[symbol];
      const only = this.onlySymbol[state];
      if (only >= -1) {
        if (only === symbol) return this.onlyNext[state];
      } else {
        const next = this.tableChild(state, symbol);
        if (next > 0) return next;
      }
      state = this.fail[state];
    }
  }

  /** The transition value to the child of a multi-child state from the hash table, or -1. */
  private tableChild(state: number, symbol: number): number {
    for (let h = this.hash(state, symbol); ; h = (h + 1) & this.tableMask) {
      const keyState = this.tableKeys[h << 1];
      if (keyState === state && this.tableKeys[(h << 1) + 1] === symbol) {
        return this.tableValues[h] > 0 ? this.tableValues[h] : -1;
      }
      if (keyState === -1) return -1;
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
    let next: number;
    if (state === 0) {
      next = this.rootNext[symbol];
    } else {
      const only = this.onlySymbol[state];
      if (only >= -1) next = only === symbol ? this.onlyNext[state] : -1;
      else next = this.tableChild(state, symbol);
    }
    return next > 0 ? next & STATE_MASK : -1;
  }

  /** Calls `visit` with every trie child of `state` (no failure links). */
  forEachChild(state: number, visit: (child: number) => void): void {
    for (let c = this.firstChild[state]; c !== -1; c = this.nextSibling[c]) visit(c);
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
      this.tableValues.byteLength +
      this.dense.byteLength +
      this.firstChild.byteLength +
      this.nextSibling.byteLength
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
    const dense = this.dense;
    const denseLast = this.denseLast;
    let count = 0;
    let state = 0;
    for (let i = 0; i < length; i++) {
      const cp = codePoints[i];
      const symbol = cp < 0x10000 ? symbolBmp[cp] : (this.symbolAstral.get(cp) ?? 0);
      if (symbol === 0) {
        state = 0;
        continue;
      }
      // The transition value: the next state, flagged when a pattern ends there.
      let next: number;
      for (;;) {
        if (state <= denseLast && symbol < DENSE_SYMBOLS) {
          next = dense[(state << DENSE_SHIFT) + symbol];
          break;
        }
        if (state === 0) {
          next = rootNext[symbol];
          break;
        }
        const only = onlySymbol[state];
        if (only >= -1) {
          if (only === symbol) {
            next = onlyNext[state];
            break;
          }
          state = fail[state];
          continue;
        }
        let h = (Math.imul(state, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca6b)) >>> shift;
        next = -1;
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
        if (next > 0) break;
        state = fail[state];
      }
      state = next & STATE_MASK;
      if (next < OUT_FLAG) continue;
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
