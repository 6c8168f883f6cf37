import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../src/common/project-root';
import { signUpMember } from '../../utils/identity-client';
import { SmtpPeer } from '../../utils/smtp-peer';
import { createTestApp, type TestApp } from '../../utils/test-app';
import { HANG_MS } from '../../utils/wait';

const CLI = join(PROJECT_ROOT, 'dist', 'src', 'cli.js');

describe('npm run cli -- grant-role (the first admin)', () => {
  const smtp = new SmtpPeer();
  let sut: TestApp;

  beforeAll(async () => {
    await smtp.start();
    sut = await createTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await sut.close();
    await smtp.stop();
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, ...sut.env },
      encoding: 'utf8',
      timeout: HANG_MS * 4,
    });

  it('makes an existing account admin, which can then use admin operations', async () => {
    const founder = await signUpMember(sut, smtp, { email: 'founder@example.org' });
    const before = await founder.gql(
      'mutation { createCompany(name: "A", slug: "a-co", domains: ["a-co.example"], industry: "Retail", sizeBand: "1–10", jurisdiction: "US") { id } }',
    );
    expect(before.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const result = cli('grant-role', '--email', 'Founder@Example.org', '--role', 'ADMIN');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Granted ADMIN.\n');
    expect(result.status).toBe(0);

    const viewer = await founder.gql<{ viewer: { roles: string[] } }>('{ viewer { roles } }');
    expect(viewer.data?.viewer.roles).toEqual(['MEMBER', 'ADMIN']);
  });

  it('refuses an unknown address and bad arguments with a usage error', () => {
    const unknown = cli('grant-role', '--email', 'nobody@example.org', '--role', 'ADMIN');
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toMatch(/No account uses that address/);
    const bad = cli('grant-role', '--email', 'x@example.org', '--role', 'MEMBER');
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/--role ADMIN\|MODERATOR\|COMPLIANCE_OFFICER/);
  });
});
