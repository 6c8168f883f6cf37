import { BadUserInputException } from '../../common/errors';
import { parseEmail } from './email-address';

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
