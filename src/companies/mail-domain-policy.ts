import disposableDomains from 'disposable-email-domains';
import freeEmailDomains from 'free-email-domains';

/**
 * Which email domains cannot prove employment: free-mail providers (free-email-domains, which
 * covers Gmail, Outlook, QQ, 163 and the rest) and disposable inboxes
 * (disposable-email-domains). Both are maintained lists shipped as npm packages; updating the
 * package updates the policy. A subdomain of a listed domain is treated like the domain.
 */
const FREE = new Set<string>(freeEmailDomains);
const DISPOSABLE = new Set<string>(disposableDomains);

export type DomainVerdict = 'free' | 'disposable' | 'ok';

export function classifyMailDomain(domain: string): DomainVerdict {
  for (const candidate of parentDomains(domain)) {
    if (DISPOSABLE.has(candidate)) return 'disposable';
    if (FREE.has(candidate)) return 'free';
  }
  return 'ok';
}

/** "mail.eu.acme.com" → ["mail.eu.acme.com", "eu.acme.com", "acme.com"] (never a bare TLD). */
export function parentDomains(domain: string): string[] {
  const labels = domain.split('.');
  const result: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) result.push(labels.slice(i).join('.'));
  return result;
}
