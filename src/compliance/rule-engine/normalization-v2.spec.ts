import { normalizeForMatching } from './normalizer';
import { compile, evaluate, testRuleSet, type CompiledRules } from './rule-engine';
import { aRule, aRuleSet, keywords } from './testing/rule-builders';
import type { MatcherDefinition, RuleHit } from './types';

const context = { governingJurisdictions: ['CN'] };

function hitsOf(sut: CompiledRules, text: string): RuleHit[] {
  const { hits } = evaluate(sut, text, context);
  for (const hit of hits) expect(text.slice(hit.start, hit.end)).toBe(hit.matchedText);
  return [...hits];
}

const matched = (sut: CompiledRules, text: string): string[] =>
  hitsOf(sut, text).map((hit) => hit.matchedText);

const viaOf = (sut: CompiledRules, text: string): (string | undefined)[] =>
  hitsOf(sut, text).map((hit) => hit.via);

const rules = (matcher: MatcherDefinition): CompiledRules =>
  compile([aRuleSet('CN', [aRule(matcher)])]);

const profanity = rules({ kind: 'PROFANITY' });
const terms = (...list: string[]): CompiledRules => rules(keywords(...list));

describe('decoding before matching', () => {
  it('decodes numeric and named HTML character references', () => {
    expect(matched(profanity, 'you &#102;&#117;ck, &#x73;hit, f&uuml;ck')).toEqual([
      '&#102;&#117;ck',
      '&#x73;hit',
      'f&uuml;ck',
    ]);
    expect(viaOf(profanity, '&#102;&#117;ck')).toEqual(['decoded']);
  });

  it('decodes percent-encoded UTF-8', () => {
    expect(matched(profanity, 'go %66%75ck')).toEqual(['%66%75ck']);
    expect(matched(terms('习近平'), 'q=%E4%B9%A0%E8%BF%91%E5%B9%B3!')).toEqual([
      '%E4%B9%A0%E8%BF%91%E5%B9%B3',
    ]);
  });

  it('maps redactions back to the encoded span', () => {
    const report = testRuleSet(
      aRuleSet('CN', [aRule(keywords('scab'), { action: 'REDACT' })]),
      'a &#115;cab here',
    );
    expect(report.redactedText).toBe('a ********* here');
  });

  it('leaves text that only looks encoded alone', () => {
    const sut = terms('att', 'rd', 'sure', 'off', 'ab');
    expect(matched(sut, 'AT&T and R&D, 100% sure, 50%off, 50%ab, &nosuch; &amp')).toEqual([
      'sure',
      'off',
      'ab',
    ]);
    expect(normalizeForMatching('100%20ok').text).toBe('100 ok');
  });

  it('is switched off by matchDecoded: false', () => {
    expect(matched(rules({ kind: 'PROFANITY', matchDecoded: false }), '&#102;&#117;ck')).toEqual(
      [],
    );
  });
});

describe('spaced-out letters', () => {
  it('joins runs of three or more single letters with one separator', () => {
    const sut = terms('scab');
    for (const text of ['s c a b', 's.c.a.b', 's-c-a-b', 's_c_a_b', 's\nc\na\nb', 'S C A B!']) {
      expect(matched(sut, `you ${text} there`)).toEqual([text.replace('!', '')]);
    }
    expect(matched(profanity, 'f u c k this')).toEqual(['f u c k']);
    expect(viaOf(profanity, 'f u c k')).toEqual(['spaced']);
  });

  it('joins doubled letters into one run', () => {
    expect(matched(terms('good'), 'g o o d')).toEqual(['g o o d']);
    expect(matched(terms('scheiße'), 'S C H E I ß E')).toEqual(['S C H E I ß E']);
  });

  it('leaves ordinary text alone', () => {
    expect(normalizeForMatching('a b testing, I a man, x, y and z, A. B. Smith').text).toBe(
      'a b testing i a man x y and z a b smith',
    );
    expect(matched(terms('scab', 'ab'), 's c a, b and s. c. a. b')).toEqual([]);
  });

  it('does not join letters separated by different separators', () => {
    expect(matched(terms('scab'), 's c-a.b')).toEqual([]);
  });

  it('is switched off by matchSpaced: false', () => {
    expect(matched(rules({ kind: 'PROFANITY', matchSpaced: false }), 'f u c k')).toEqual([]);
  });
});

describe('single CJK characters written apart', () => {
  const leaders = terms('习近平', '六四');

  it('joins one character per line', () => {
    expect(matched(leaders, '纪念\n六\n四\n')).toEqual(['六\n四']);
    expect(matched(leaders, '习\r\n近\r\n平')).toEqual(['习\r\n近\r\n平']);
    expect(viaOf(leaders, '六\n四')).toEqual(['lines']);
  });

  it('joins single characters between clause punctuation', () => {
    expect(matched(leaders, '我们都爱习，近，平主席')).toEqual(['习，近，平']);
    expect(matched(leaders, '记住六。四。')).toEqual(['六。四']);
  });

  it('keeps breaks between words', () => {
    expect(matched(leaders, '学习\n近平')).toEqual([]);
    expect(matched(leaders, '我们要学习。近平时')).toEqual([]);
    expect(matched(leaders, '第十六，四川队赢了')).toEqual([]);
  });

  it('is switched off by matchLines: false', () => {
    expect(matched(rules({ ...keywords('六四'), matchLines: false }), '六\n四')).toEqual([]);
  });
});

describe('two-character CJK terms and the words of the text', () => {
  const sut = terms(
    '法轮',
    '六四',
    '台独',
    '藏独',
    '游行',
    '政变',
    '民运',
    '示威',
    '镇压',
    '习包',
    '法会',
    '维权',
  );

  it.each([
    ['方法轮流使用', '方法|轮流'],
    ['语法轮廓清楚', '语法|轮廓'],
    ['全校三十六四年级学生', '十六|四年级'],
    ['十六四川', '十六|四川'],
    ['我十六，四川人', '十六|四川, across a comma'],
    ['舞台独白很精彩', '舞台|独白'],
    ['平台独家发布', '平台|独家'],
    ['西藏独特的风景', '西藏|独特'],
    ['收藏独家版本', '收藏|独家'],
    ['旅游行业复苏', '旅游|行业'],
    ['旅游行程安排', '旅游|行程'],
    ['财政变化不大', '财政|变化'],
    ['行政变革', '行政|变革'],
    ['农民运动会', '农民|运动'],
    ['居民运动健身', '居民|运动'],
    ['显示威力', '显示|威力'],
    ['城镇压力大', '城镇|压力'],
    ['学习包括阅读', '学习|包括'],
    ['练习包装技巧', '练习|包装'],
    ['我们要学习。近平时', 'clause break'],
    ['方法 轮流', 'two words with a space between them'],
    ['电视台独家专访', '电视|台|独家: the second character begins a word'],
    ['这个方法会更有效', '方法|会: the first character ends a word'],
    ['合法会员', '合法|会员'],
  ])('does not hit "%s" (%s)', (text) => {
    expect(matched(sut, text)).toEqual([]);
  });

  it.each([
    ['法轮功学员', '法轮'],
    ['法轮大法好', '法轮'],
    ['纪念六四', '六四'],
    ['六四事件', '六四'],
    ['六四天安门', '六四'],
    ['台独分子', '台独'],
    ['反对台独', '台独'],
    ['支持藏独', '藏独'],
    ['上街游行', '游行'],
    ['游行抗议', '游行'],
    ['发动政变', '政变'],
    ['民运人士', '民运'],
    ['镇压学生', '镇压'],
    ['习包子', '习包'],
    ['练法.轮功', '法.轮'],
    ['六 四', '六四'],
    ['\u200B\uFEFF六四\uFEFF', '六四'],
    ['今晚去法会', '法会'],
    ['参加法会', '法会'],
    ['员工集体维权', '维权'],
    ['依法维权', '维权'],
  ])('hits "%s"', (text, term) => {
    expect(matched(sut, text).map((hit) => hit.replace(/\s/g, ''))).toEqual([term]);
  });
});

describe('masked letters', () => {
  it('reads one or two mask characters inside a word as letters of a term', () => {
    expect(matched(profanity, 'what the f*ck, sh*t, f**k, f#ck, b!tch, a**hole')).toEqual([
      'f*ck',
      'sh*t',
      'f**k',
      'f#ck',
      'b!tch',
      'a**hole',
    ]);
    expect(viaOf(profanity, 'f*ck')).toEqual(['masked']);
  });

  it('reads a mask next to an equal letter as a doubled letter', () => {
    expect(matched(terms('scammer'), 'a sca*mer and a scam*er')).toEqual(['sca*mer', 'scam*er']);
  });

  it('reads one mask character as a doubled letter, as ß folds to ss', () => {
    expect(matched(terms('scheiße', 'scammer'), 'So eine Schei*e, ein sca*er')).toEqual([
      'Schei*e',
      'sca*er',
    ]);
    // Never more letters than that, nor where the letters disagree.
    expect(matched(terms('scheiße'), 'Sche*e, Schei*en, Schau*e')).toEqual([]);
  });

  it('needs a term of four letters or more, visible letters that agree and an inner mask', () => {
    const sut = terms('scab', 'ass', 'shit');
    expect(
      matched(sut, 'a*s, *ass*, sh*p, s***, **it, *shit*, #shit, s_ab, sc*bs, 2*3, foo*bar'),
    ).toEqual(['ass', 'shit', 'shit', 's_ab']);
  });

  it('does not read separators or long masks as masks', () => {
    expect(matched(profanity, 'sh t, sh.t, sh***t, f ck, sh - t')).toEqual([]);
  });

  it('reads a hyphen, an @ or a v between consonants inside a word as a hidden letter', () => {
    expect(matched(profanity, 'f-ck, sh-t, f@ck, fvck, cvnt')).toEqual([
      'f-ck',
      'sh-t',
      'f@ck',
      'fvck',
      'cvnt',
    ]);
    expect(viaOf(profanity, 'f@ck')).toEqual(['masked']);
  });

  it.each([
    'e-mail, co-op, x-ray, t-shirt, well-known, hi-fi, wi-fi, check-in, kick-off, co-worker',
    'write to team@corp.de or john@example.com, or f@ck.example.org',
    'the return-to-office mandate, a sh-t-storm? no: a shi-t-ake',
    'Elvsborg and Kvarnby, a DVD, 2v2 games',
    'vivid, seven, every, curves, service',
  ])('does not read ordinary hyphens, addresses or v as masks: "%s"', (text) => {
    expect(matched(profanity, text)).toEqual([]);
  });

  it('is switched off by matchMasks: false', () => {
    expect(matched(rules({ kind: 'PROFANITY', matchMasks: false }), 'f*ck')).toEqual([]);
  });
});

describe('masked Chinese characters', () => {
  const chinese = terms('法轮功', '共产党', '天安门广场', '六四', '习近平', '傻逼');

  it.each([
    ['散发法*功的传单', '法*功'],
    ['法×功', '法×功'],
    ['法X功', '法X功'],
    ['共＊党', '共＊党'],
    ['天**广场', '天**广场'],
    ['天*门广场', '天*门广场'],
    // A single x between two characters is also read as a filler.
    ['纪念六x四', '六x四'],
    ['六X四', '六X四'],
    ['习x近平', '习x近平'],
    // The second character of a two-character term.
    ['领导真是傻X', '傻X'],
    ['你个傻×！', '傻×'],
    ['傻x', '傻x'],
    ['傻*经理', '傻*'],
    ['纪念六＊', '六＊'],
  ])('reads masks and fillers in Chinese terms in "%s"', (text, expected) => {
    expect(matched(chinese, text)).toEqual([expected]);
    expect(viaOf(chinese, text)).toEqual(['masked']);
  });

  it.each([
    ...['法**功', '法*', '*轮功', '法*好', '共*主义', '3*4', '六xx四'],
    // After the first of two characters, only where the mask cannot be a letter or formula.
    ...['六X光片', '六x2=12', '傻X型', '傻*z', '*逼', '傻**'],
  ])('needs two visible characters and a mask that stands for a character: "%s"', (text) => {
    expect(matched(chinese, text)).toEqual([]);
  });

  it('is switched off by matchMasks: false', () => {
    const plain = rules({ kind: 'KEYWORDS', terms: ['法轮功'], matchMasks: false });
    expect(matched(plain, '法*功')).toEqual([]);
  });
});

describe('reversed text', () => {
  it('finds Latin words and CJK runs written backwards', () => {
    const sut = terms('习近平', 'scab');
    expect(matched(sut, '我们的平近习, what a bacs!')).toEqual(['平近习', 'bacs']);
    expect(matched(profanity, 'kcuf off')).toEqual(['kcuf']);
    expect(viaOf(sut, '平近习')).toEqual(['reversed']);
  });

  it('finds backwards terms after the other steps', () => {
    expect(matched(terms('scab'), 'b a c s')).toEqual(['b a c s']);
  });

  it('leaves short reversals and parts of words alone', () => {
    const sut = terms('六四', 'god', 'scab', '8964');
    expect(matched(sut, '四六级考试, my dog, bacsy, xbacs, 4698')).toEqual([]);
  });

  it('finds a two-character term backwards only as the only CJK characters of a text', () => {
    const sut = terms('六四', '翻墙');
    expect(matched(sut, '四六！')).toEqual(['四六']);
    expect(viaOf(sut, 'Re: 墙翻')).toEqual(['reversed']);
    expect(matched(sut, '比例：四六')).toEqual([]);
    expect(matched(sut, '利润按四六开分成。老房子的墙翻新了一遍。')).toEqual([]);
  });

  it('is switched off by matchReversed: false', () => {
    expect(matched(rules({ ...keywords('习近平'), matchReversed: false }), '平近习')).toEqual([]);
    expect(matched(rules({ ...keywords('六四'), matchReversed: false }), '四六')).toEqual([]);
  });
});
