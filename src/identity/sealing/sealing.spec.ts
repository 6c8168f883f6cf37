import { createHmac } from 'node:crypto';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { ContentTokenService } from './content-token.service';
import { SealedReferenceService } from './sealed-reference.service';

const SECRET_A = 'a'.repeat(8) + 'Zq8Vn3kLx0pR7tY2wZ5bC9dF1gH4';
const SECRET_B = 'b'.repeat(8) + 'Zq8Vn3kLx0pR7tY2wZ5bC9dF1gH4';

describe('SealedReferenceService', () => {
  const sut = new SealedReferenceService(new KeyRing(SECRET_A));

  it('opens what it sealed', () => {
    expect(sut.open(sut.seal('seal-id-1'))).toBe('seal-id-1');
  });

  it('seals one author differently every time, so posts are not linkable in the store', () => {
    const a = sut.seal('seal-id-1');
    const b = sut.seal('seal-id-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('seal-id-1');
  });

  it('refuses tampered, foreign-key and malformed references', () => {
    const sealed = sut.seal('seal-id-1');
    // One character of the payload changed (in the middle: every bit there is data).
    const at = Math.floor(sealed.length / 2);
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(flipped).not.toBe(sealed);
    expect(sut.open(flipped)).toBeNull();
    expect(new SealedReferenceService(new KeyRing(SECRET_B)).open(sealed)).toBeNull();
    expect(sut.open('garbage')).toBeNull();
    expect(sut.open('v1.')).toBeNull();
  });

  it('still opens references sealed under the previous secret during a rotation', () => {
    const old = new SealedReferenceService(new KeyRing(SECRET_A)).seal('seal-id-2');
    expect(new SealedReferenceService(new KeyRing(SECRET_B, SECRET_A)).open(old)).toBe('seal-id-2');
  });
});

describe('ContentTokenService', () => {
  const sut = new ContentTokenService(new KeyRing(SECRET_A));

  it('is stable for one person, purpose and target', () => {
    expect(sut.token('vote', 'acc', 'thread-1')).toBe(sut.token('vote', 'acc', 'thread-1'));
  });

  it('differs across targets, purposes and people', () => {
    const base = sut.token('vote', 'acc', 'thread-1');
    expect(sut.token('vote', 'acc', 'thread-2')).not.toBe(base);
    expect(sut.token('report', 'acc', 'thread-1')).not.toBe(base);
    expect(sut.token('vote', 'acc2', 'thread-1')).not.toBe(base);
  });

  it('is the keyed hash of purpose, person and target, computed once while it is asked for often', () => {
    const ring = new KeyRing(SECRET_A);
    const fresh = new ContentTokenService(ring);
    const expected = createHmac('sha256', ring.key('content-token'))
      .update('author\0acc\0thread-9')
      .digest('base64url');
    // The module object the service's import reads `createHmac` from at each call.
    const hmacs = jest.spyOn(
      jest.requireActual<typeof import('node:crypto')>('node:crypto'),
      'createHmac',
    );
    try {
      for (let i = 0; i < 5; i++) expect(fresh.token('author', 'acc', 'thread-9')).toBe(expected);
      expect(hmacs).toHaveBeenCalledTimes(1);
    } finally {
      hmacs.mockRestore();
    }
  });

  it('gives the tokens under both keys during a rotation, each its own', () => {
    const rotating = new ContentTokenService(new KeyRing(SECRET_B, SECRET_A));
    const [current, previous] = rotating.tokens('vote', 'acc', 'thread-1');
    expect(previous).toBe(sut.token('vote', 'acc', 'thread-1'));
    expect(current).toBe(
      new ContentTokenService(new KeyRing(SECRET_B)).token('vote', 'acc', 'thread-1'),
    );
    expect(current).not.toBe(previous);
    expect(rotating.token('vote', 'acc', 'thread-1')).toBe(current);
  });
});
