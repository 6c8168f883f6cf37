import { domainToASCII } from 'node:url';
import { isEmail } from 'class-validator';
import { BadUserInputException } from '../../common/errors';

export interface EmailAddress {
  /** Lower-case, NFKC, trimmed, domain in punycode: the form that is hashed and mailed. */
  readonly address: string;
  readonly domain: string;
}

/** Parses and normalises an address; refuses anything that is not one with BAD_USER_INPUT. */
export function parseEmail(input: string): EmailAddress {
  const trimmed = input.normalize('NFKC').trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || trimmed.length > 254) throw invalid();
  const domain = domainToASCII(trimmed.slice(at + 1));
  const address = `${trimmed.slice(0, at)}@${domain}`;
  if (domain === '' || !isEmail(address, { require_tld: true, allow_ip_domain: false }))
    throw invalid();
  return { address, domain };
}

function invalid(): BadUserInputException {
  return new BadUserInputException('That is not a valid email address.', { fields: ['email'] });
}
