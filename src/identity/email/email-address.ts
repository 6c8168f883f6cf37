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

/**
 * The person behind a work address, as far as its spelling tells: the local part without a
 * `+tag` and without dots (`a.lice+2@corp.com` → `alice@corp.com`). An employer controls its
 * mail domain, so variants of one mailbox must not count as several people towards
 * k-anonymity nor verify several accounts. Folding dots is conservative: two people whose
 * addresses differ only by dots count as one (the later one to verify holds the membership).
 * A local part that would fold to nothing is kept as it is.
 */
export function foldWorkAddress(email: EmailAddress): EmailAddress {
  const at = email.address.lastIndexOf('@');
  const local = email.address.slice(0, at);
  const plus = local.indexOf('+');
  const folded = (plus < 0 ? local : local.slice(0, plus)).replaceAll('.', '');
  if (folded === '') return email;
  return { address: `${folded}@${email.domain}`, domain: email.domain };
}
