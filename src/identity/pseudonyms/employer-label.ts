import { registerEnumType } from '@nestjs/graphql';

export enum EmployerDisclosure {
  COMPANY = 'COMPANY',
  INDUSTRY = 'INDUSTRY',
  NONE = 'NONE',
}
registerEnumType(EmployerDisclosure, {
  name: 'EmployerDisclosure',
  description:
    'How much of your employer a post shows. The server lowers it when it would narrow you down to too few people, and says so.',
  valuesMap: {
    COMPANY: {
      description: 'The company name, when it has enough verified members here; else as INDUSTRY.',
    },
    INDUSTRY: {
      description:
        'Industry and size band ("an employee at an Internet company, 5k–10k"), when enough people share it; else NONE.',
    },
    NONE: { description: 'Only "a verified employee".' },
  },
});

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

/** Who shares an INDUSTRY label: companies of that industry and size band with counted members. */
export interface IndustryCrowd {
  companies: number;
  members: number;
}

/**
 * The employer label of a post (SPEC §2.7). COMPANY names the employer only when it has at
 * least `kMin` counted verified members, so no reader can narrow an author down to a handful
 * of people; otherwise it falls back to INDUSTRY, and the author is told. INDUSTRY itself is
 * used only when it names no company and hides the author among `kMin` people: at least two
 * companies with counted members share that industry and size band, with at least `kMin`
 * counted members together. A company alone in its band would be named by it, so the label is
 * then the coarser "a verified employee". Without a current membership, only NONE is possible.
 */
export function employerLabel(
  requested: EmployerDisclosure,
  company: LabelCompany | null,
  currentMembers: number,
  kMin: number,
  crowd: IndustryCrowd = { companies: 0, members: 0 },
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
  if (requested === EmployerDisclosure.COMPANY && currentMembers >= kMin) {
    return { label: company.name, disclosure: EmployerDisclosure.COMPANY };
  }
  const band = `${company.industry} company, ${company.sizeBand}`;
  if (crowd.companies < 2 || crowd.members < kMin) {
    return {
      label: VERIFIED_EMPLOYEE,
      disclosure: EmployerDisclosure.NONE,
      downgradeReason:
        requested === EmployerDisclosure.COMPANY
          ? `${company.name} has fewer than ${kMin} verified members here, and too few people at other companies share its industry and size, so your post shows only "${VERIFIED_EMPLOYEE}" to keep you anonymous.`
          : `Too few verified members share the label "${band}" (or only your company does), so your post shows only "${VERIFIED_EMPLOYEE}" to keep you anonymous.`,
    };
  }
  const industry = {
    label: `an employee at ${article(company.industry)} ${band}`,
    disclosure: EmployerDisclosure.INDUSTRY,
  };
  if (requested === EmployerDisclosure.INDUSTRY) return industry;
  return {
    ...industry,
    downgradeReason: `${company.name} has fewer than ${kMin} verified members here, so your post shows only its industry and size to keep you anonymous.`,
  };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
