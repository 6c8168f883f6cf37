import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { NotificationSealer } from './notification-sealer';

const SECRET = 'n7Kp2Qm9Lr4Tv8Wz1Bc5Df3Gh6Jn0Ps2';
const OTHER = 'm1Wz8Tv4Lr9Km2Xp7Bc5Df3Gh6Jn0Ps2';
const CONTENT_ID = '6f1c1f9e-2b7a-4c55-9d51-3b0f7e1a2c44';
const ID = 'a3e0f0d2-6a7b-4d3e-8f10-2c9b8e7d6f51';
const ACCOUNT = '0b6f5e4d-3c2b-4a19-8877-665544332211';

describe('NotificationSealer', () => {
  const sut = new NotificationSealer(new KeyRing(SECRET));
  const content = {
    message: 'Your comment was removed: personal information.',
    contentId: CONTENT_ID,
    at: new Date('2026-11-21T10:15:42.123Z'),
  };

  it('opens what it sealed: message, content id and exact time', () => {
    expect(sut.open(ID, ACCOUNT, sut.seal(ID, ACCOUNT, content))).toEqual(content);
    const noContent = { ...content, contentId: null };
    expect(sut.open(ID, ACCOUNT, sut.seal(ID, ACCOUNT, noContent))).toEqual(noContent);
  });

  it('keeps the kind and the count of a coalesced notification, and no count for a single one', () => {
    const three = { ...content, count: 3, kind: 'FOLLOWED_THREAD_ACTIVITY' };
    expect(sut.open(ID, ACCOUNT, sut.seal(ID, ACCOUNT, three))).toEqual(three);
    expect(sut.open(ID, ACCOUNT, sut.seal(ID, ACCOUNT, { ...content, count: 1 }))).toEqual(content);
  });

  it('seals the same text differently every time and shows none of it', () => {
    const a = sut.seal(ID, ACCOUNT, content);
    const b = sut.seal(ID, ACCOUNT, content);
    expect(a).not.toBe(b);
    for (const payload of [a, b]) {
      expect(payload).not.toContain(CONTENT_ID);
      expect(payload).not.toContain(CONTENT_ID.replace(/-/g, ''));
      expect(payload.toLowerCase()).not.toContain('removed');
      expect(Buffer.from(payload.slice(3), 'base64url').toString('latin1')).not.toContain(
        CONTENT_ID,
      );
    }
  });

  it('does not open a payload moved to another notification or account, tampered with, or under another key', () => {
    const payload = sut.seal(ID, ACCOUNT, content);
    expect(sut.open('b3e0f0d2-6a7b-4d3e-8f10-2c9b8e7d6f51', ACCOUNT, payload)).toBeNull();
    expect(sut.open(ID, '1b6f5e4d-3c2b-4a19-8877-665544332211', payload)).toBeNull();
    // One bit of the sealed bytes changed (after the three-character version prefix).
    const bytes = Buffer.from(payload.slice(3), 'base64url');
    bytes[bytes.length - 5] ^= 0x01;
    const flipped = payload.slice(0, 3) + bytes.toString('base64url');
    expect(flipped).not.toBe(payload);
    expect(sut.open(ID, ACCOUNT, flipped)).toBeNull();
    expect(new NotificationSealer(new KeyRing(OTHER)).open(ID, ACCOUNT, payload)).toBeNull();
    expect(sut.open(ID, ACCOUNT, 'garbage')).toBeNull();
  });

  it('still opens payloads sealed under the previous secret during a rotation', () => {
    const old = new NotificationSealer(new KeyRing(OTHER)).seal(ID, ACCOUNT, content);
    expect(new NotificationSealer(new KeyRing(SECRET, OTHER)).open(ID, ACCOUNT, old)).toEqual(
      content,
    );
  });
});
