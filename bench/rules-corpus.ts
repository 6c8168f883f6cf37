import type { RuleDefinition, RuleSetDefinition } from '../src/compliance/rule-engine';
import { mulberry32 } from './prng';

/** Deterministic corpus for the rule-engine benchmark: same seed, same terms, same post. */

/** About 700 frequent simplified characters: generated terms and filler share them. */
export const COMMON_HAN =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞';

const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'j',
  'k',
  'kl',
  'l',
  'm',
  'n',
  'p',
  'pl',
  'qu',
  'r',
  's',
  'sk',
  'sl',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'y'];
const CODAS = ['', '', 'n', 'r', 's', 't', 'x', 'ck', 'nd', 'rm'];

export interface Corpus {
  readonly chineseTerms: readonly string[];
  readonly latinTerms: readonly string[];
  readonly ruleSets: readonly RuleSetDefinition[];
}

export function generateTerms(count: number, seed = 20261121): Corpus {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const han = [...COMMON_HAN];
  const chinese = new Set<string>();
  while (chinese.size < count / 2) {
    const length = 2 + Math.floor(random() * 3);
    let term = '';
    for (let k = 0; k < length; k++) term += pick(han);
    chinese.add(term);
  }
  const latin = new Set<string>();
  while (latin.size < count / 2) {
    const syllables = 2 + Math.floor(random() * 2);
    let term = '';
    for (let k = 0; k < syllables; k++) term += pick(ONSETS) + pick(NUCLEI) + pick(CODAS);
    if (term.length >= 5) latin.add(term);
  }
  const chineseTerms = [...chinese];
  const latinTerms = [...latin];
  const jurisdictions = ['CN', 'DE', 'US', 'FR', 'GB', 'JP', 'KR', 'IN', 'BR', 'SG'];
  const all = chineseTerms.map((term, i) => [term, latinTerms[i]]).flat();
  const perSet = Math.ceil(all.length / jurisdictions.length);
  const ruleSets = jurisdictions.map((jurisdiction, j): RuleSetDefinition => {
    const terms = all.slice(j * perSet, (j + 1) * perSet);
    const half = Math.ceil(terms.length / 2);
    const rules: RuleDefinition[] = [
      keywordRule(`${jurisdiction}-k1`, terms.slice(0, half), j % 2 === 0 ? 'BLOCK' : 'WITHHOLD'),
      keywordRule(`${jurisdiction}-k2`, terms.slice(half), 'FLAG'),
    ];
    if (jurisdiction === 'US') {
      rules.push({ ...base(`US-profanity`), matcher: { kind: 'PROFANITY' }, action: 'FLAG' });
    }
    if (jurisdiction === 'CN') {
      rules.push({ ...base('CN-pii'), matcher: { kind: 'PII', piiKinds: [] }, action: 'REDACT' });
      rules.push({
        ...base('CN-regex-codename'),
        matcher: { kind: 'REGEX', pattern: 'Project [A-Z][a-z]+ launch' },
        action: 'HOLD',
      });
      rules.push({
        ...base('CN-regex-salary'),
        matcher: { kind: 'REGEX', pattern: '(?i)salary (?:band|grade) [a-z]?\\d+' },
        action: 'FLAG',
      });
    }
    return { id: `rs-${jurisdiction}`, jurisdiction, version: 1, rules };
  });
  return { chineseTerms, latinTerms, ruleSets };
}

function base(id: string): Omit<RuleDefinition, 'matcher' | 'action'> {
  return { id, name: id, legalBasis: 'bench', explanation: 'bench' };
}

function keywordRule(
  id: string,
  terms: readonly string[],
  action: RuleDefinition['action'],
): RuleDefinition {
  return { ...base(id), matcher: { kind: 'KEYWORDS', terms }, action };
}

const ENGLISH = [
  'Our team lead announced another reorganisation this morning and nobody knows who reports to whom.',
  'The salary review was pushed to next quarter again, which is the third time this year.',
  'Honestly the free lunch is great but the on-call rotation is brutal for the infra folks.',
  'Has anyone here negotiated a remote contract after the return-to-office mandate?',
  'I heard the classic grass-fed burger place near the Scunthorpe office closed down.',
];

/**
 * A mixed English/Chinese post of `bytes` UTF-8 bytes (cut on a character boundary), with a
 * few real terms — one spaced-out Chinese term, one full-width Latin term, one in Traditional
 * characters — a phone number and an email address.
 */
export function generatePost(corpus: Corpus, bytes: number, seed = 7): string {
  const random = mulberry32(seed);
  const han = [...COMMON_HAN];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const spaced = [...corpus.chineseTerms[17]].join(' ');
  const fullWidth = [...corpus.latinTerms[42]]
    .map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
    .join('');
  const pieces = [
    pick(ENGLISH),
    `${randomHan(random, han, 30)}，${spaced}，${randomHan(random, han, 20)}。`,
    `Call me on +86 138 0013 8000 or write to quiet.otter@example.com before ${fullWidth} starts.`,
    pick(ENGLISH),
    `${randomHan(random, han, 40)}。${corpus.chineseTerms[99]}${randomHan(random, han, 25)}。`,
  ];
  let text = '';
  const encoder = new TextEncoder();
  for (let k = 0; encoder.encode(text).length < bytes; k++) {
    text += (k > 0 ? ' ' : '') + (k < pieces.length ? pieces[k] : pick(ENGLISH));
    if (k >= pieces.length) text += ` ${randomHan(random, han, 20)}。`;
  }
  while (encoder.encode(text).length > bytes) text = [...text].slice(0, -1).join('');
  return text;
}

function randomHan(random: () => number, han: readonly string[], length: number): string {
  let out = '';
  for (let k = 0; k < length; k++) out += han[Math.floor(random() * han.length)];
  return out;
}
