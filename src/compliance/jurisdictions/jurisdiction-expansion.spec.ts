import { countryOf, expandJurisdiction, parseJurisdictionCode } from './jurisdiction-expansion';

describe('expandJurisdiction', () => {
  const groups: Record<string, string[]> = {
    DE: ['EU'],
    FR: ['EU'],
    NO: ['EEA'],
    IE: ['EU', 'EEA'],
  };
  const groupsOf = (member: string) => groups[member] ?? [];
  const sut = (code: string) => expandJurisdiction(code, groupsOf);

  it('adds the groups a country belongs to', () => {
    expect(sut('DE')).toEqual(['DE', 'EU']);
    expect(sut('IE')).toEqual(['IE', 'EEA', 'EU']);
  });

  it('adds the country of a subdivision, and the groups of that country', () => {
    expect(sut('US-CA')).toEqual(['US-CA', 'US']);
    expect(sut('FR-75')).toEqual(['FR-75', 'FR', 'EU']);
  });

  it('leaves a country without groups, a group and an unknown code alone', () => {
    expect(sut('CN')).toEqual(['CN']);
    expect(sut('EU')).toEqual(['EU']);
    expect(sut('XX')).toEqual(['XX']);
  });

  it('normalises case and spaces, and expands nothing to nothing', () => {
    expect(sut(' de ')).toEqual(['DE', 'EU']);
    expect(sut('us-ca')).toEqual(['US-CA', 'US']);
    expect(sut('  ')).toEqual([]);
  });

  it('is idempotent over its own result', () => {
    const once = sut('FR-75');
    expect([...new Set(once.flatMap(sut))]).toEqual(once);
  });
});

describe('jurisdiction codes', () => {
  it('accepts countries, subdivisions and groups, upper-cased', () => {
    expect(parseJurisdictionCode('de')).toBe('DE');
    expect(parseJurisdictionCode('US-CA')).toBe('US-CA');
    expect(parseJurisdictionCode('EU')).toBe('EU');
  });

  it('refuses malformed codes', () => {
    for (const bad of ['', 'D', 'DE-', 'DE-ABCD', 'U5', '1234', 'DE CA', 'TOOLONGGROUP']) {
      expect(parseJurisdictionCode(bad)).toBeNull();
    }
  });

  it('finds the country of a subdivision only', () => {
    expect(countryOf('US-CA')).toBe('US');
    expect(countryOf('US')).toBeNull();
    expect(countryOf('EU')).toBeNull();
  });
});
