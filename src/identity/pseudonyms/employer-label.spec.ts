import { EmployerDisclosure, employerLabel } from './employer-label';

const acme = { name: 'Acme Corp', industry: 'Internet', sizeBand: '1k–5k' };

describe('employerLabel', () => {
  it('names the company when it has at least k current members', () => {
    expect(employerLabel(EmployerDisclosure.COMPANY, acme, 10, 10)).toEqual({
      label: 'Acme Corp',
      disclosure: EmployerDisclosure.COMPANY,
    });
  });

  it('downgrades COMPANY to INDUSTRY below k members, with a notice', () => {
    const sut = employerLabel(EmployerDisclosure.COMPANY, acme, 9, 10);
    expect(sut.label).toBe('an employee at an Internet company, 1k–5k');
    expect(sut.disclosure).toBe(EmployerDisclosure.INDUSTRY);
    expect(sut.downgradeReason).toMatch(/fewer than 10 verified members/);
  });

  it('shows industry and size on request', () => {
    expect(
      employerLabel(EmployerDisclosure.INDUSTRY, { ...acme, industry: 'Finance' }, 500, 10).label,
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
});
