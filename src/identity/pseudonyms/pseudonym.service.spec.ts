import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { PseudonymService } from './pseudonym.service';

describe('PseudonymService', () => {
  const sut = new PseudonymService(new KeyRing('k'.repeat(16) + 'Zq8Vn3kLx0pR7tY2wZ5b'));

  it('gives one person one readable handle throughout a thread', () => {
    const handle = sut.threadHandle('account-1', 'thread-1');
    expect(handle).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(sut.threadHandle('account-1', 'thread-1')).toBe(handle);
  });

  it('gives the same person unrelated handles in different threads', () => {
    const handles = new Set(
      Array.from({ length: 50 }, (_, i) => sut.threadHandle('account-1', `thread-${i}`)),
    );
    expect(handles.size).toBeGreaterThan(40);
  });

  it('gives different people different handles in one thread, mostly', () => {
    const handles = new Set(
      Array.from({ length: 30 }, (_, i) => sut.threadHandle(`account-${i}`, 'thread-1')),
    );
    expect(handles.size).toBeGreaterThan(25);
  });

  it('gives each person a fixed sequence of candidates, numbered after the first sixteen', () => {
    const candidates = Array.from({ length: 40 }, (_, n) =>
      sut.threadHandle('account-1', 'thread-1', n),
    );
    expect(candidates[0]).toBe(sut.threadHandle('account-1', 'thread-1'));
    expect(candidates).toEqual(
      Array.from({ length: 40 }, (_, n) => sut.threadHandle('account-1', 'thread-1', n)),
    );
    expect(new Set(candidates).size).toBeGreaterThan(35);
    for (const handle of candidates.slice(0, 16))
      expect(handle).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    for (const handle of candidates.slice(16)) {
      expect(handle).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [1-9]\d$/);
    }
    // Another person's candidates in the same thread are unrelated.
    const others = Array.from({ length: 40 }, (_, n) =>
      sut.threadHandle('account-2', 'thread-1', n),
    );
    expect(others.filter((h, n) => h === candidates[n]).length).toBeLessThan(3);
    expect(() => sut.threadHandle('account-1', 'thread-1', -1)).toThrow(RangeError);
    expect(() => sut.threadHandle('account-1', 'thread-1', 1024)).toThrow(RangeError);
  });

  it('derives handles from the key: another key, other handles', () => {
    const other = new PseudonymService(new KeyRing('x'.repeat(16) + 'Zq8Vn3kLx0pR7tY2wZ5b'));
    const same = Array.from(
      { length: 20 },
      (_, i) => other.threadHandle(`a${i}`, 't') === sut.threadHandle(`a${i}`, 't'),
    );
    expect(same.filter(Boolean).length).toBeLessThan(5);
  });

  it('gives staff a stable handle unrelated to their thread handles', () => {
    expect(sut.staffHandle('account-1')).toBe(sut.staffHandle('account-1'));
    expect(sut.staffHandle('account-1')).toMatch(/^Staff [A-Z][a-z]+ [A-Z][a-z]+ \d{4}$/);
    expect(sut.staffHandle('account-1')).not.toBe(sut.staffHandle('account-2'));
  });
});
