import { registerEnumType } from '@nestjs/graphql';

export enum EmployerDisclosure {
  COMPANY = 'COMPANY',
  INDUSTRY = 'INDUSTRY',
  NONE = 'NONE',
}
registerEnumType(EmployerDisclosure, { name: 'EmployerDisclosure' });

export interface LabelCompany {
  name: string;
  industry: string;
  sizeBand: string;
}

export interface EmployerLabel {
  /** What readers see, e.g. "Acme Corp", "an employee at an Internet company, 1k–5k". */
  label: string;
  /** The disclosure actually applied (may be lower than asked for). */
  disclosure: EmployerDisclosure;
  /** Set when the request was lowered, with the reason to tell the author. */
  downgradeReason?: string;
}

export const VERIFIED_EMPLOYEE = 'a verified employee';

/**
 * The employer label of a post (SPEC §2.7). COMPANY names the employer only when it has at
 * least `kMin` current verified members, so no reader can narrow an author down to a handful
 * of people; otherwise it falls back to INDUSTRY, and the author is told. Without a current
 * membership, only NONE is possible.
 */
export function employerLabel(
  requested: EmployerDisclosure,
  company: LabelCompany | null,
  currentMembers: number,
  kMin: number,
): EmployerLabel {
  if (company === null || requested === EmployerDisclosure.NONE) {
    return {
      label: VERIFIED_EMPLOYEE,
      disclosure: EmployerDisclosure.NONE,
      ...(company === null && requested !== EmployerDisclosure.NONE
        ? {
            downgradeReason:
              'You have no current verified employer, so your post shows no employer.',
          }
        : {}),
    };
  }
  const industry = {
    label: `an employee at ${article(company.industry)} ${company.industry} company, ${company.sizeBand}`,
    disclosure: EmployerDisclosure.INDUSTRY,
  };
  if (requested === EmployerDisclosure.INDUSTRY) return industry;
  if (currentMembers < kMin) {
    return {
      ...industry,
      downgradeReason: `${company.name} has fewer than ${kMin} verified members here, so your post shows only its industry and size to keep you anonymous.`,
    };
  }
  return { label: company.name, disclosure: EmployerDisclosure.COMPANY };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
