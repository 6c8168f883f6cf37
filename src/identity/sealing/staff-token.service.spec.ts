import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { StaffTokenService } from './staff-token.service';

describe('StaffTokenService', () => {
  const secret = 'x7Kp2Qm9Lr4Tv8Wz1Bc5Df3Gh6Jn0Ps2';
  const other = 'q1Wz8Tv4Lr9Km2Xp7Bc5Df3Gh6Jn0Ps2';

  it('gives one opaque token per account that names neither the account nor anything else', () => {
    const sut = new StaffTokenService(new KeyRing(secret));
    const token = sut.token('account-1');
    expect(token).toBe(sut.token('account-1'));
    expect(token).not.toBe(sut.token('account-2'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain('account');
  });

  it('matches the account under the current key and, during a rotation, the previous one', () => {
    const before = new StaffTokenService(new KeyRing(other)).token('account-1');
    const sut = new StaffTokenService(new KeyRing(secret, other));
    expect(sut.matches('account-1', sut.token('account-1'))).toBe(true);
    expect(sut.matches('account-1', before)).toBe(true);
    expect(sut.matches('account-2', before)).toBe(false);
    expect(sut.matches('account-1', 'short')).toBe(false);
    expect(new StaffTokenService(new KeyRing(secret)).matches('account-1', before)).toBe(false);
  });
});
