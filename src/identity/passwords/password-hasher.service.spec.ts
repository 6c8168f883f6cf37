import type { BadUserInputException } from '../../common/errors';
import { AppConfig } from '../../infrastructure/config/app-config';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { PasswordHasher } from './password-hasher.service';

const keys = new KeyRing('p'.repeat(8) + 'Zq8Vn3kLx0pR7tY2wZ5bC9dF1gH4');

describe('PasswordHasher', () => {
  const sut = new PasswordHasher(AppConfig.fromEnv({}), keys);

  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hash = await sut.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(sut.verify(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(sut.verify(hash, 'wrong horse battery')).resolves.toBe(false);
  });

  it('peppers: a hash does not verify under another secret', async () => {
    const hash = await sut.hash('correct horse battery');
    const other = new PasswordHasher(
      AppConfig.fromEnv({}),
      new KeyRing('q'.repeat(8) + 'Zq8Vn3kLx0pR7tY2wZ5bC9dF1gH4'),
    );
    await expect(other.verify(hash, 'correct horse battery')).resolves.toBe(false);
  });

  it('treats NFKC-equivalent passwords alike', async () => {
    const hash = await sut.hash('ｃｏｒｒｅｃｔ horse battery');
    await expect(sut.verify(hash, 'correct horse battery')).resolves.toBe(true);
  });

  it('enforces length limits', () => {
    expect(() => PasswordHasher.validate('short')).toThrow(/10 to 128/);
    expect(() => PasswordHasher.validate('x'.repeat(129))).toThrow(/10 to 128/);
    expect(PasswordHasher.validate('long enough password')).toBe('long enough password');
  });

  it('names the argument it was given in the error (newPassword for a change or reset)', () => {
    const fieldsOf = (field?: string): unknown => {
      try {
        PasswordHasher.validate('short', field);
      } catch (error) {
        return (error as BadUserInputException).details.fields;
      }
      return undefined;
    };
    expect(fieldsOf('newPassword')).toEqual(['newPassword']);
    expect(fieldsOf()).toEqual(['password']);
  });

  it('answers RATE_LIMITED at once when the queue is full, and serves the rest', async () => {
    const capped = new PasswordHasher(
      AppConfig.fromEnv({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '2' }),
      keys,
    );
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => capped.hash('correct horse battery')),
    );
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected).toHaveLength(3);
    expect(rejected[0].reason).toMatchObject({ code: 'RATE_LIMITED' });
    expect(capped.load).toEqual({ running: 0, waiting: 0 });
  });
});
