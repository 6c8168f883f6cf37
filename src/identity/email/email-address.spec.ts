import { BadUserInputException } from '../../common/errors';
import { foldWorkAddress, parseEmail } from './email-address';

describe('parseEmail', () => {
  it('normalises case, width and whitespace', () => {
    expect(parseEmail('  Ada.Lovelace@EXAMPLE.org ')).toEqual({
      address: 'ada.lovelace@example.org',
      domain: 'example.org',
    });
    expect(parseEmail('ａｄａ@example.org').address).toBe('ada@example.org');
  });

  it('turns an international domain into punycode', () => {
    expect(parseEmail('wang@例子.中国').domain).toBe('xn--fsqu00a.xn--fiqs8s');
  });

  it.each([
    '',
    'no-at-sign',
    '@example.org',
    'a@b',
    'a@@b.com',
    `${'x'.repeat(250)}@example.org`,
    'a@127.0.0.1',
  ])('refuses %p with BAD_USER_INPUT', (input) => {
    expect(() => parseEmail(input)).toThrow(BadUserInputException);
  });
});

describe('foldWorkAddress', () => {
  it.each([
    ['alice@corp.com', 'alice@corp.com'],
    ['alice+1@corp.com', 'alice@corp.com'],
    ['Alice+board+2@Corp.com', 'alice@corp.com'],
    ['a.l.ice@corp.com', 'alice@corp.com'],
    ['a.lice+x.y@corp.com', 'alice@corp.com'],
    ['+only@corp.com', '+only@corp.com'],
  ])('folds %p to %p', (input, folded) => {
    expect(foldWorkAddress(parseEmail(input))).toEqual({ address: folded, domain: 'corp.com' });
  });
});
