import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing, loadOrCreateDevSecret } from './key-ring';

describe('KeyRing', () => {
  const secret = 'x7Kp2Qm9Lr4Tv8Wz1Bc5Df3Gh6Jn0Ps2';

  it('derives a different 32-byte key per purpose, the same each time', () => {
    const sut = new KeyRing(secret);
    const a = sut.key('email-index');
    const b = sut.key('seal');
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    expect(new KeyRing(secret).key('email-index').equals(a)).toBe(true);
  });

  it('derives different keys from different secrets', () => {
    expect(new KeyRing(secret).key('seal').equals(new KeyRing(`${secret}!`).key('seal'))).toBe(
      false,
    );
  });

  it('refuses a short master secret', () => {
    expect(() => new KeyRing('short')).toThrow(/at least 32/);
  });
});

describe('loadOrCreateDevSecret', () => {
  it('creates a private random secret once and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-secret-'));
    try {
      const first = loadOrCreateDevSecret(join(dir, 'data'));
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(loadOrCreateDevSecret(join(dir, 'data'))).toBe(first);
      expect(statSync(join(dir, 'data', '.dev-secret')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
