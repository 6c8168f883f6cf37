import { dataOf, draftRuleSet, grantOfficers, publishRuleSet } from '../../utils/compliance-client';
import {
  createGeneralBoard,
  createIdentityTestApp,
  signUpMember,
  type IdentityTestApp,
  type SignedInClient,
  verifyEmployer,
} from '../../utils/identity-client';

const OPTIONS =
  'decoded spaced lines masks reversed checkWords inflections pinyin homophones splitCharacters';
const RULES = `query ($id: ID!) { ruleSet(id: $id) { rules { id name matcher { kind options { ${OPTIONS} } } } } }`;
const TEST_RULES = `query ($id: ID!, $text: String!) {
  testRules(ruleSetId: $id, text: $text) { hits { ruleName matchedText via expansion } }
}`;

interface Hit {
  ruleName: string;
  matchedText: string;
  via: string | null;
  expansion: string | null;
}

const rule = (name: string, terms: string[], options?: object) => ({
  name,
  matcher: { kind: 'KEYWORDS', terms, ...(options === undefined ? {} : { options }) },
  action: 'HOLD',
  legalBasis: 'Test basis',
  explanation: 'Held for review.',
});

/**
 * The rule engine's evasion options through the API: set per rule in RuleInput, shown in
 * `Matcher.options`, obeyed by `testRules` and by posting, and each hit says how it was found.
 */
describe('Evasion options of KEYWORDS rules', () => {
  let env: IdentityTestApp;
  let officerA: SignedInClient;
  let officerB: SignedInClient;
  let draft: string;

  beforeAll(async () => {
    env = await createIdentityTestApp({ name: 'Umbrella', slug: 'umbrella' });
    [officerA, officerB] = await Promise.all(
      [1, 2].map(() => signUpMember(env.app, env.smtp, { jurisdiction: 'CN' })),
    );
    await grantOfficers(env.admin, [officerA, officerB]);
    draft = await draftRuleSet(officerA, 'CN', [
      rule('Defaults', ['六四', 'scab']),
      rule('No pinyin, no masks', ['法轮功', 'fuck'], { pinyin: false, masks: false }),
    ]);
  }, 120_000);
  afterAll(async () => env?.close());

  const tested = async (text: string): Promise<Hit[]> =>
    (await dataOf(officerA.gql<{ testRules: { hits: Hit[] } }>(TEST_RULES, { id: draft, text })))
      .testRules.hits;

  it('keeps the options an officer set and shows the rest as defaults (null)', async () => {
    const { ruleSet } = await dataOf(
      officerA.gql<{
        ruleSet: { rules: Array<{ name: string; matcher: { options: Record<string, unknown> } }> };
      }>(RULES, { id: draft }),
    );
    const byName = new Map(ruleSet.rules.map((r) => [r.name, r.matcher.options]));
    expect(Object.values(byName.get('Defaults')!).every((v) => v === null)).toBe(true);
    expect(byName.get('No pinyin, no masks')).toMatchObject({
      pinyin: false,
      masks: false,
      reversed: null,
    });
  });

  it('says how each hit was found: the step on the text and the form of the term', async () => {
    expect(await tested('纪念 liu si 和 &#x516d;&#x56db;')).toEqual([
      { ruleName: 'Defaults', matchedText: 'liu si', via: 'EXACT', expansion: 'PINYIN' },
      { ruleName: 'Defaults', matchedText: '&#x516d;&#x56db;', via: 'DECODED', expansion: null },
    ]);
    expect(await tested('three scabs crossed, s c a b')).toEqual([
      { ruleName: 'Defaults', matchedText: 'scabs', via: 'EXACT', expansion: 'INFLECTION' },
      { ruleName: 'Defaults', matchedText: 's c a b', via: 'SPACED', expansion: null },
    ]);
  });

  it('explains the Chinese forms a default rule reads: digits, a filler, one homophone', async () => {
    expect(await tested('纪念6四、六x四和溜四')).toEqual([
      { ruleName: 'Defaults', matchedText: '6四', via: 'EXACT', expansion: 'VARIANT' },
      { ruleName: 'Defaults', matchedText: '六x四', via: 'MASKED', expansion: null },
      { ruleName: 'Defaults', matchedText: '溜四', via: 'EXACT', expansion: 'HOMOPHONE' },
    ]);
  });

  it('obeys options turned off, rule by rule', async () => {
    expect(await tested('flg falungong f*ck')).toEqual([]);
    expect((await tested('法轮功 fuck')).map((h) => h.matchedText)).toEqual(['法轮功', 'fuck']);
  });

  it('applies the options to posts once published', async () => {
    await publishRuleSet(officerB, draft);
    const boardId = await createGeneralBoard(env.admin);
    const member = await signUpMember(env.app, env.smtp, { jurisdiction: 'CN' });
    expect(
      (await verifyEmployer(env.app, env.smtp, member, 'staff@umbrella.example')).errors,
    ).toBeUndefined();
    const post = async (body: string) =>
      (
        await dataOf(
          member.gql<{ createThread: { thread: { status: string } } }>(
            'mutation ($b: ID!, $body: String!) { createThread(input: { boardId: $b, title: "Note", body: $body }) { thread { status } } }',
            { b: boardId, body },
          ),
        )
      ).createThread.thread.status;
    expect(await post('we remember liusi')).toBe('HELD');
    expect(await post('falungong and f*ck')).toBe('PUBLISHED');
  });

  it('refuses options on matchers that do not read terms', async () => {
    const res = await officerA.gql(
      'mutation ($id: ID!, $input: RuleInput!) { addRule(ruleSetId: $id, input: $input) { id } }',
      {
        id: (
          await dataOf(
            officerA.gql<{ createRuleSetDraft: { id: string } }>(
              'mutation { createRuleSetDraft(jurisdiction: "US") { id } }',
            ),
          )
        ).createRuleSetDraft.id,
        input: {
          ...rule('Regex', []),
          matcher: { kind: 'REGEX', pattern: 'x+', options: { pinyin: false } },
        },
      },
    );
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.matcher.options'],
    });
  });
});
