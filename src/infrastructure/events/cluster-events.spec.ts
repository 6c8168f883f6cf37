import { MAX_ANNOUNCED_IDS, receivedTouched, touchedTogether } from './cluster-events';

describe('what an announcement names', () => {
  it('names what writes of one turn touched together, each id once', () => {
    expect(
      touchedTogether(
        { threads: ['t1'], boards: ['b1'] },
        { threads: ['t1', 't2'], pages: ['t3'] },
      ),
    ).toEqual({ boards: ['b1'], threads: ['t1', 't2'], pages: ['t3'] });
    expect(touchedTogether({}, {})).toEqual({});
  });

  it('says "anything" when one write may have touched anything', () => {
    expect(touchedTogether(null, { threads: ['t1'] })).toBeNull();
    expect(touchedTogether({ threads: ['t1'] }, null)).toBeNull();
  });

  it('says "anything" past MAX_ANNOUNCED_IDS ids', () => {
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    expect(touchedTogether({ threads: ids('t', MAX_ANNOUNCED_IDS) }, {})).not.toBeNull();
    expect(touchedTogether({ threads: ids('t', MAX_ANNOUNCED_IDS) }, { pages: ['p'] })).toBeNull();
  });

  it('reads a received Touched as it was sent', () => {
    expect(receivedTouched({ ranks: ['b1'], pages: ['t1'] })).toEqual({
      ranks: ['b1'],
      pages: ['t1'],
    });
    expect(receivedTouched({})).toEqual({});
  });

  it('reads anything else as "anything" (an older instance, a malformed message)', () => {
    for (const received of [
      undefined,
      null,
      'threads',
      ['t1'],
      { threads: 't1' },
      { threads: [1] },
      { pages: [null] },
    ]) {
      expect(receivedTouched(received)).toBeNull();
    }
  });
});
