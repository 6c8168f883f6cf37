import { decodeOpaqueCursor, encodeOpaqueCursor, withLazyCursor } from '../../common/opaque-cursor';
import { BadUserInputException } from '../../common/errors';
import { decodeCursor, encodeCursor, feedList } from '../../posts/cursor';
import { CursorCipher } from './cursor-cipher';
import { KeyRing } from './key-ring';

describe('CursorCipher', () => {
  const secret = 'x7Kp2Qm9Lr4Tv8Wz1Bc5Df3Gh6Jn0Ps2';
  const previous = 'Zq3Wm8Np1Rt6Yv0Ks4Hd9Fg2Jc7Lb5Xa';
  const sut = new CursorCipher(new KeyRing(secret));
  const id = '0b7c6a52-3f3e-4a8e-9d55-6c1f0a2b9e11';
  const createdAt = 1795737612345;
  const position = { order: 'NEW', key: createdAt, id };
  const board = feedList('5d1c2c7e-6a55-4b61-a0a2-0f6f3b1e8c44');

  const opened = (cursor: string) => Buffer.from(cursor, 'base64url').toString('latin1');

  it('hides the sort key, the order and the id, and seals the same position differently each time', () => {
    const cursor = encodeCursor(sut, board, position);
    const raw = opened(cursor);
    expect(raw).not.toContain(id);
    expect(raw).not.toContain(String(createdAt));
    expect(raw).not.toContain('NEW');
    expect(raw).not.toMatch(/\d{6,}/);
    expect(encodeCursor(sut, board, position)).not.toBe(cursor);
    expect(decodeCursor(sut, board, cursor, 'NEW')).toEqual(position);
  });

  it('gives cursors of one length whatever the digits of the sort key', () => {
    const lengths = [0, 7, 1795737612345, 39884.12345678901, -2].map(
      (key) => encodeCursor(sut, board, { order: 'HOT', key, id }).length,
    );
    expect(new Set(lengths).size).toBe(1);
  });

  it('refuses a tampered cursor, a plain one and one of another list or order', () => {
    const cursor = encodeCursor(sut, board, position);
    const refused = (after: string, list = board, order = 'NEW') => {
      try {
        decodeCursor(sut, list, after, order);
        return null;
      } catch (error) {
        return error;
      }
    };
    for (let i = 0; i < cursor.length; i += 7) {
      const flipped = cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
      expect(refused(flipped)).toBeInstanceOf(BadUserInputException);
    }
    const plain = Buffer.from(JSON.stringify(['NEW', createdAt, id])).toString('base64url');
    expect(refused(plain)).toBeInstanceOf(BadUserInputException);
    expect(refused(cursor.slice(0, 20))).toBeInstanceOf(BadUserInputException);
    expect(refused(`${cursor}!`)).toBeInstanceOf(BadUserInputException);
    expect(refused('')).toBeInstanceOf(BadUserInputException);
    expect(refused(cursor, feedList('another-board'))).toBeInstanceOf(BadUserInputException);
    expect(refused(cursor, board, 'TOP')).toBeInstanceOf(BadUserInputException);
    expect(refused(cursor)).toBeNull();
  });

  it('opens cursors sealed under the previous secret during a rotation, and no longer after it', () => {
    const old = encodeCursor(new CursorCipher(new KeyRing(previous)), board, position);
    expect(
      decodeCursor(new CursorCipher(new KeyRing(secret, previous)), board, old, 'NEW'),
    ).toEqual(position);
    expect(() => decodeCursor(sut, board, old, 'NEW')).toThrow(BadUserInputException);
  });

  it('binds opaque cursors to their kind', () => {
    const valid = (parts: unknown[]): parts is [number, string] => parts.length === 2;
    const cursor = encodeOpaqueCursor(sut, 'audit-log', [createdAt, 'identity']);
    expect(decodeOpaqueCursor(sut, 'audit-log', cursor, valid, 'bad')).toEqual([
      createdAt,
      'identity',
    ]);
    expect(() => decodeOpaqueCursor(sut, 'review-queue:OLDEST', cursor, valid, 'bad')).toThrow(
      'bad',
    );
  });

  it('seals an edge cursor only when it is read, and once', () => {
    const seal = jest.fn(() => encodeCursor(sut, board, position));
    const edge = withLazyCursor({ node: 1 }, seal);
    expect(seal).not.toHaveBeenCalled();
    const first = edge.cursor;
    expect(edge.cursor).toBe(first);
    expect(seal).toHaveBeenCalledTimes(1);
    expect(decodeCursor(sut, board, first, 'NEW')).toEqual(position);
  });
});
