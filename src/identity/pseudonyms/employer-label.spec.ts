import { EmployerDisclosure, employerLabel } from './employer-label';

const acme = { name: 'Acme Corp', industry: 'Internet', sizeBand: '1k–5k' };
/** Acme and another company share the band, with enough people between them. */
const shared = { companies: 2, members: 40 };

describe('employerLabel', () => {
  it('names the company when it has at least k current members', () => {
    expect(employerLabel(EmployerDisclosure.COMPANY, acme, 10, 10)).toEqual({
      label: 'Acme Corp',
      disclosure: EmployerDisclosure.COMPANY,
    });
  });

  it('downgrades COMPANY to INDUSTRY below k members, with a notice', () => {
    const sut = employerLabel(EmployerDisclosure.COMPANY, acme, 9, 10, shared);
    expect(sut.label).toBe('an employee at an Internet company, 1k–5k');
    expect(sut.disclosure).toBe(EmployerDisclosure.INDUSTRY);
    expect(sut.downgradeReason).toMatch(/fewer than 10 verified members/);
  });

  it('shows industry and size on request', () => {
    expect(
      employerLabel(EmployerDisclosure.INDUSTRY, { ...acme, industry: 'Finance' }, 500, 10, shared)
        .label,
    ).toBe('an employee at a Finance company, 1k–5k');
  });

  it('shows only "a verified employee" for NONE, or without a membership', () => {
    expect(employerLabel(EmployerDisclosure.NONE, acme, 500, 10)).toEqual({
      label: 'a verified employee',
      disclosure: EmployerDisclosure.NONE,
    });
    const sut = employerLabel(EmployerDisclosure.COMPANY, null, 0, 10);
    expect(sut.disclosure).toBe(EmployerDisclosure.NONE);
    expect(sut.downgradeReason).toMatch(/no current verified employer/);
  });

  it('never uses an INDUSTRY label that only one company carries: it would name the company', () => {
    for (const requested of [EmployerDisclosure.COMPANY, EmployerDisclosure.INDUSTRY]) {
      const sut = employerLabel(requested, acme, 3, 10, { companies: 1, members: 3 });
      expect(sut).toMatchObject({
        label: 'a verified employee',
        disclosure: EmployerDisclosure.NONE,
      });
      expect(sut.downgradeReason).toMatch(/a verified employee/);
    }
    // Even a big company alone in its band: its INDUSTRY label points at it.
    expect(
      employerLabel(EmployerDisclosure.INDUSTRY, acme, 500, 10, { companies: 1, members: 500 })
        .disclosure,
    ).toBe(EmployerDisclosure.NONE);
  });

  it('uses an INDUSTRY label only when the companies sharing it have k people between them', () => {
    const few = employerLabel(EmployerDisclosure.COMPANY, acme, 2, 10, {
      companies: 3,
      members: 9,
    });
    expect(few.disclosure).toBe(EmployerDisclosure.NONE);
    const enough = employerLabel(EmployerDisclosure.COMPANY, acme, 2, 10, {
      companies: 2,
      members: 10,
    });
    expect(enough.disclosure).toBe(EmployerDisclosure.INDUSTRY);
  });
});
