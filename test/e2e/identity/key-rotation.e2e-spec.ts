import { randomBytes } from 'node:crypto';
import { signUpMember } from '../../utils/identity-client';
import { SmtpPeer } from '../../utils/smtp-peer';
import { createTestApp } from '../../utils/test-app';
import { createTestStores, type TestStores } from '../../utils/test-env';

const SIGN_IN = 'mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';

describe('Rotating APP_SECRET', () => {
  const smtp = new SmtpPeer();
  let stores: TestStores;

  beforeAll(async () => smtp.start());
  afterAll(async () => {
    await smtp.stop();
    await stores.dispose();
  });

  it('keeps accounts usable through a rotation and moves them to the new key at sign-in', async () => {
    stores = createTestStores();
    const oldSecret = randomBytes(32).toString('base64');
    const newSecret = randomBytes(32).toString('base64');
    const credentials = { e: 'rotating@example.org', p: 'a password that lasts' };

    const before = await createTestApp({ SMTP_URL: smtp.url, APP_SECRET: oldSecret }, [], stores);
    const member = await signUpMember(before, smtp, {
      email: credentials.e,
      password: credentials.p,
    });
    await before.close();

    // Without the previous secret, nothing of the old key opens.
    const cut = await createTestApp({ SMTP_URL: smtp.url, APP_SECRET: newSecret }, [], stores);
    expect((await cut.gql(SIGN_IN, credentials)).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (
        await cut.gql('{ viewer { roles } }', undefined, {
          authorization: `Bearer ${member.token}`,
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    await cut.close();

    // During the rotation: sign-in works and rewrites the blind index and the peppered hash.
    const during = await createTestApp(
      { SMTP_URL: smtp.url, APP_SECRET: newSecret, APP_SECRET_PREVIOUS: oldSecret },
      [],
      stores,
    );
    expect((await during.gql(SIGN_IN, credentials)).errors).toBeUndefined();
    await during.close();

    // After it: the account lives on the new key alone.
    const after = await createTestApp({ SMTP_URL: smtp.url, APP_SECRET: newSecret }, [], stores);
    const res = await after.gql<{ signIn: { token: string } }>(SIGN_IN, credentials);
    expect(res.errors).toBeUndefined();
    expect(res.data?.signIn.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await after.close();
  });

  it('is not fooled: a wrong password fails under both keys', async () => {
    const local = createTestStores();
    const secret = randomBytes(32).toString('base64');
    const app = await createTestApp({ SMTP_URL: smtp.url, APP_SECRET: secret }, [], local);
    const member = await signUpMember(app, smtp);
    await app.close();
    const rotated = await createTestApp(
      {
        SMTP_URL: smtp.url,
        APP_SECRET: randomBytes(32).toString('base64'),
        APP_SECRET_PREVIOUS: secret,
      },
      [],
      local,
    );
    const res = await rotated.gql(SIGN_IN, { e: member.email, p: 'not the password' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await rotated.close();
    await local.dispose();
  });
});
