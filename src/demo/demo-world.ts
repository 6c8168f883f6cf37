/**
 * The demo world (`npm run seed`, `npm start -- --demo`): a few companies in the US, China and
 * Germany, public boards, verified members, threads and comments in English and Chinese, CN
 * and DE rule sets with an example of every action, and a queue with held, flagged and
 * reported posts. Every name and address here is invented; `.example` domains cannot exist.
 */

/** The password of every demo account (shown in the start-up banner in demo mode). */
export const DEMO_PASSWORD = 'demo password 2026';

export interface DemoAccount {
  email: string;
  roles: Array<'ADMIN' | 'MODERATOR' | 'COMPLIANCE_OFFICER'>;
  jurisdiction: string;
  /** What the banner says the account is for. */
  purpose: string;
}

export const DEMO_STAFF: readonly DemoAccount[] = [
  {
    email: 'moderator@demo.example.org',
    roles: ['MODERATOR'],
    jurisdiction: 'US',
    purpose: 'works the review queue',
  },
  {
    email: 'officer@demo.example.org',
    roles: ['COMPLIANCE_OFFICER'],
    jurisdiction: 'DE',
    purpose: 'edits rule sets (wrote the open DE draft)',
  },
  {
    email: 'reviewer@demo.example.org',
    roles: ['COMPLIANCE_OFFICER'],
    jurisdiction: 'US',
    purpose: 'second officer: publishes drafts under the four-eyes rule',
  },
  {
    email: 'admin@demo.example.org',
    roles: ['ADMIN'],
    jurisdiction: 'US',
    purpose: 'creates companies and boards, grants roles',
  },
];

export interface DemoCompany {
  slug: string;
  name: string;
  domain: string;
  industry: string;
  sizeBand: string;
  jurisdiction: string;
}

export const DEMO_COMPANIES: readonly DemoCompany[] = [
  {
    slug: 'acme-cloud',
    name: 'Acme Cloud',
    domain: 'acme-cloud.example',
    industry: 'Internet',
    sizeBand: '5k–10k',
    jurisdiction: 'US',
  },
  {
    slug: 'xingchen',
    name: '星辰科技',
    domain: 'xingchen.example',
    industry: 'Internet',
    sizeBand: '10k+',
    jurisdiction: 'CN',
  },
  {
    slug: 'northwind-bank',
    name: 'Northwind Bank',
    domain: 'northwind-bank.example',
    industry: 'Finance',
    sizeBand: '1k–5k',
    jurisdiction: 'US',
  },
  {
    slug: 'rheinwerk',
    name: 'Rheinwerk Automobil',
    domain: 'rheinwerk.example',
    industry: 'Automotive',
    sizeBand: '10k+',
    jurisdiction: 'DE',
  },
  {
    slug: 'yunfan',
    name: '云帆物流',
    domain: 'yunfan.example',
    industry: 'Logistics',
    sizeBand: '1k–5k',
    jurisdiction: 'CN',
  },
];

export interface DemoBoard {
  slug: string;
  name: string;
  jurisdiction: string;
}

export const DEMO_PUBLIC_BOARDS: readonly DemoBoard[] = [
  { slug: 'layoffs', name: 'Layoffs', jurisdiction: 'US' },
  { slug: 'compensation', name: 'Compensation', jurisdiction: 'US' },
  { slug: 'zhichang', name: '职场 (China)', jurisdiction: 'CN' },
  { slug: 'arbeitswelt', name: 'Arbeitswelt (Germany)', jurisdiction: 'DE' },
];

export interface DemoMember {
  /** Local part of both the personal and the work address. */
  name: string;
  company: string;
  jurisdiction: string;
}

const team = (company: string, jurisdiction: string, names: string[]): DemoMember[] =>
  names.map((name) => ({ name, company, jurisdiction }));

/**
 * Ten verified members open a company board (COMPANY_BOARD_MIN_MEMBERS); Acme Cloud and
 * 星辰科技 have that many, the others fewer, so their boards stay closed.
 */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  ...team('acme-cloud', 'US', [
    'avery',
    'blake',
    'casey',
    'devon',
    'emerson',
    'finley',
    'harper',
    'jordan',
    'kendall',
    'logan',
  ]),
  ...team('xingchen', 'CN', [
    'wang.fang',
    'li.wei',
    'zhang.min',
    'liu.yang',
    'chen.jie',
    'yang.lei',
    'zhao.xin',
    'huang.li',
    'zhou.tao',
    'wu.hao',
  ]),
  ...team('northwind-bank', 'US', ['morgan', 'riley', 'quinn']),
  ...team('rheinwerk', 'DE', ['lukas', 'anna', 'jonas']),
  ...team('yunfan', 'CN', ['sun.qiang', 'ma.lin']),
];

export interface DemoRule {
  name: string;
  matcher: {
    kind: 'KEYWORDS' | 'REGEX' | 'PROFANITY' | 'PII';
    terms?: string[];
    piiKinds?: string[];
  };
  action: 'BLOCK' | 'HOLD' | 'FLAG' | 'WITHHOLD' | 'REDACT';
  boardKinds?: Array<'COMPANY' | 'PUBLIC'>;
  legalBasis: string;
  explanation: string;
}

/** Published at seeding (drafted by the officer, published by the reviewer). */
export const DEMO_RULE_SETS: Readonly<Record<'CN' | 'DE', readonly DemoRule[]>> = {
  CN: [
    {
      name: 'Strike calls',
      matcher: { kind: 'KEYWORDS', terms: ['罢工', '停工'] },
      action: 'HOLD',
      legalBasis: 'Public Security Administration Punishments Law art. 23',
      explanation: 'Calls to strike are reviewed before publication in China.',
    },
    {
      name: 'Circumvention tools',
      matcher: { kind: 'KEYWORDS', terms: ['翻墙', 'VPN教程'] },
      action: 'WITHHOLD',
      legalBasis: 'Cybersecurity Law art. 46',
      explanation: 'Guides to circumvention tools are not shown in China.',
    },
    {
      name: 'Named layoff lists',
      matcher: { kind: 'KEYWORDS', terms: ['裁员名单', 'layoff list'] },
      action: 'FLAG',
      legalBasis: 'Personal Information Protection Law art. 10',
      explanation: 'Lists naming laid-off staff are checked by a moderator.',
    },
    {
      name: 'Phone numbers',
      matcher: { kind: 'PII', piiKinds: ['phone'] },
      action: 'REDACT',
      legalBasis: 'Personal Information Protection Law art. 28',
      explanation: 'Phone numbers are masked.',
    },
  ],
  DE: [
    {
      name: 'Banned slogans',
      matcher: { kind: 'KEYWORDS', terms: ['Sieg Heil'] },
      action: 'BLOCK',
      legalBasis: 'StGB §86a',
      explanation: 'Slogans of banned organisations cannot be posted in Germany.',
    },
    {
      name: 'Trade secrets',
      matcher: {
        kind: 'KEYWORDS',
        terms: ['Quartalszahlen vorab', 'unreleased quarterly figures'],
      },
      action: 'WITHHOLD',
      legalBasis: 'GeschGehG §4',
      explanation: 'Leaked figures are not shown in Germany.',
    },
    {
      name: 'Insults',
      matcher: { kind: 'PROFANITY' },
      action: 'FLAG',
      legalBasis: 'StGB §185',
      explanation: 'Insults are checked by a moderator.',
    },
    {
      name: 'Contact details',
      matcher: { kind: 'PII', piiKinds: ['email', 'phone'] },
      action: 'REDACT',
      boardKinds: ['PUBLIC'],
      legalBasis: 'GDPR art. 6',
      explanation: 'Email addresses and phone numbers are masked on public boards.',
    },
  ],
};

/** Left as an open DE draft by the officer, for the reviewer to test and publish. */
export const DEMO_DRAFT_RULE: DemoRule = {
  name: 'Works council smears',
  matcher: { kind: 'KEYWORDS', terms: ['Betriebsrat bestochen'] },
  action: 'HOLD',
  legalBasis: 'StGB §186',
  explanation: 'Unproven claims of bribery are reviewed before publication.',
};

export interface DemoComment {
  key: string;
  author: string;
  body: string;
  /** Key of the comment this one answers. */
  replyTo?: string;
}

export interface DemoThread {
  key: string;
  /** A public board slug, or `company:<slug>` for a company board. */
  board: string;
  author: string;
  title: string;
  body: string;
  disclosure?: 'COMPANY' | 'INDUSTRY' | 'NONE';
  /** Members voting +1 (or -1 with a leading '-'). */
  votes?: string[];
  comments?: DemoComment[];
  /** Members reporting the thread, with the reason. */
  reports?: { by: string[]; reason: string; details?: string };
  /** A poll posted with the thread; `votes` maps a member to the indexes of their choice. */
  poll?: {
    question: string;
    options: string[];
    multipleChoice?: boolean;
    votes?: Record<string, number[]>;
  };
  /** Members following the thread (they hear of new comments). */
  followers?: string[];
  /** Members keeping the thread in their bookmarks. */
  bookmarkedBy?: string[];
}

export const DEMO_THREADS: readonly DemoThread[] = [
  {
    key: 'layoffs-q4',
    board: 'layoffs',
    author: 'avery',
    disclosure: 'COMPANY',
    title: 'Q4 reorg at Acme Cloud: what we know so far',
    body: 'Town hall is on Thursday. Managers were told to prepare "capacity plans" and the platform org has a hiring freeze since last week. Anyone heard which teams?',
    votes: ['blake', 'casey', 'devon', 'morgan', 'riley', 'wang.fang'],
    followers: ['devon', 'riley'],
    bookmarkedBy: ['casey'],
    comments: [
      {
        key: 'c1',
        author: 'blake',
        body: 'Platform and internal tools, per my skip. Severance was 12 weeks last time.',
      },
      {
        key: 'c2',
        author: 'casey',
        body: 'Same rumour here. Update your resume, but do not panic yet.',
        replyTo: 'c1',
      },
      {
        key: 'c3',
        author: 'morgan',
        body: 'Northwind went through this in spring. Ask about COBRA and vesting cliffs.',
      },
    ],
  },
  {
    key: 'zhichang-list',
    board: 'zhichang',
    author: 'zhao.xin',
    title: '听说有裁员名单？',
    body: '群里传了一份裁员名单，上面有名字。有人知道是真的吗？',
    votes: ['yang.lei'],
  },
  {
    key: 'comp-l5',
    board: 'compensation',
    author: 'harper',
    disclosure: 'INDUSTRY',
    title: 'L5 offer: 210k base, 80k RSU/yr. Negotiate?',
    body: 'Bay Area, backend. Competing offer from a bank at 195k base plus 20 % bonus. Worth pushing for a sign-on?',
    votes: ['jordan', 'kendall', 'logan', 'quinn', '-riley'],
    followers: ['avery'],
    bookmarkedBy: ['avery', 'logan'],
    comments: [
      {
        key: 'c1',
        author: 'quinn',
        body: 'Banks cap bonus at target most years. Ask Acme for a 30k sign-on; they usually match.',
      },
      { key: 'c2', author: 'jordan', body: 'Got 25k sign-on at L5 in March.', replyTo: 'c1' },
    ],
  },
  {
    key: 'comp-bonus-cn',
    board: 'compensation',
    author: 'li.wei',
    disclosure: 'COMPANY',
    title: '年终奖普遍几个月？',
    body: '今年部门说年终奖 2–4 个月，去年是 3–6 个月。大家公司怎么样？',
    votes: ['wang.fang', 'zhang.min', 'liu.yang', 'avery'],
    followers: ['wang.fang'],
    bookmarkedBy: ['wang.fang'],
    comments: [
      { key: 'c1', author: 'zhang.min', body: '我们组 3 个月，绩效 B 以上才有。' },
      { key: 'c2', author: 'sun.qiang', body: '物流行业今年基本 1–2 个月。', replyTo: 'c1' },
    ],
  },
  {
    key: 'zhichang-strike',
    board: 'zhichang',
    author: 'chen.jie',
    title: '仓库有人说要罢工',
    body: '加班费拖了三个月，有同事提议周五集体停工。大家怎么看？',
  },
  {
    key: 'zhichang-vpn',
    board: 'compensation',
    author: 'morgan',
    title: 'Working from Shanghai next month',
    body: 'Any tips for staying reachable? Colleagues mention 翻墙 guides but I would rather ask IT.',
  },
  {
    key: 'zhichang-996',
    board: 'zhichang',
    author: 'wang.fang',
    title: '996 还在继续吗？',
    body: '新领导来了之后周六又要开会了。有没有同样情况的？',
    votes: ['li.wei', 'zhao.xin', 'huang.li'],
    comments: [
      {
        key: 'c1',
        author: 'huang.li',
        body: '我们部门周六改成线上会，但还是要参加。有事请打 138 0013 8000 找我细聊。',
      },
    ],
  },
  {
    key: 'arbeitswelt-figures',
    board: 'layoffs',
    author: 'lukas',
    title: 'Rheinwerk: unreleased quarterly figures look grim',
    body: 'Heard the unreleased quarterly figures show a 20 % drop. Short-time work (Kurzarbeit) likely in Q1.',
    votes: ['morgan', 'riley'], // withheld in Germany: German members cannot see it
  },
  {
    key: 'arbeitswelt-contact',
    board: 'arbeitswelt',
    author: 'anna',
    title: 'Betriebsratswahl: wer kandidiert?',
    body: 'Wer Fragen zur Wahl hat, schreibt mir an anna.wahl@rheinwerk.example oder ruft +49 151 2345 6789 an.',
    votes: ['lukas'],
  },
  {
    key: 'arbeitswelt-rant',
    board: 'arbeitswelt',
    author: 'jonas',
    title: 'Schichtplan chaos again',
    body: 'The new shift planner is a damn mess. Three people booked on the same line.',
  },
  {
    key: 'company-acme-oncall',
    board: 'company:acme-cloud',
    author: 'finley',
    title: 'On-call compensation finally approved',
    body: 'HR confirmed: 500 per on-call week, starting next quarter.',
    votes: ['avery', 'blake', 'harper'],
    comments: [{ key: 'c1', author: 'logan', body: 'Retroactive for this quarter too?' }],
  },
  {
    key: 'company-acme-manager',
    board: 'company:acme-cloud',
    author: 'kendall',
    title: 'Our director is the worst manager I have met',
    body: 'Screams in one-on-ones, takes credit for everything. Everyone on the team is looking.',
    reports: {
      by: ['avery', 'blake', 'casey'],
      reason: 'HARASSMENT',
      details: 'Targets one person.',
    },
  },
  {
    key: 'company-xingchen-canteen',
    board: 'company:xingchen',
    author: 'zhou.tao',
    title: '新食堂怎么样？',
    body: 'B 座新开的食堂，有人去过吗？',
    votes: ['wu.hao', 'yang.lei'],
    comments: [{ key: 'c1', author: 'wu.hao', body: '麻辣烫不错，中午人太多。' }],
  },
  {
    key: 'poll-raise',
    board: 'compensation',
    author: 'kendall',
    title: 'Poll: did your pay go up this cycle?',
    body: 'Mid-year cycle just closed for most of us. Curious how it went across companies.',
    poll: {
      question: 'How much did your base pay change this cycle?',
      options: ['No change', 'Up to 3 %', '3–8 %', 'More than 8 %'],
      votes: {
        avery: [1],
        blake: [0],
        casey: [1],
        harper: [2],
        jordan: [2],
        logan: [1],
        quinn: [3],
      },
    },
    followers: ['harper'],
    comments: [
      {
        key: 'c1',
        author: 'logan',
        body: 'Up to 3 % here, below inflation again.',
      },
    ],
  },
  {
    key: 'poll-rto-cn',
    board: 'zhichang',
    author: 'liu.yang',
    title: '投票：你们公司要求每周到岗几天？',
    body: '我们从下个月开始要求每周到岗四天，想看看大家的情况。',
    poll: {
      question: '每周要求到岗几天？',
      options: ['完全远程', '一到两天', '三天', '四天或以上'],
      votes: { 'wang.fang': [2], 'zhang.min': [3], 'zhao.xin': [3], 'yang.lei': [1] },
    },
    comments: [{ key: 'c1', author: 'yang.lei', body: '我们一周两天，还算可以。' }],
  },
  {
    key: 'compensation-spam',
    board: 'compensation',
    author: 'riley',
    title: 'Earn 5k a week from home!!!',
    body: 'Limited spots, message me for the link.',
    reports: { by: ['quinn', 'morgan', 'harper'], reason: 'SPAM' },
  },
];
