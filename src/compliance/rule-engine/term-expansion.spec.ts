import { compile, evaluate, type CompiledRules } from './rule-engine';
import { pinyin, polyphonic } from 'pinyin-pro';
import { pinyinReadings, readingsInContext, readingsOf } from './term-expansion';
import { aRule, aRuleSet, keywords } from './testing/rule-builders';
import type { MatcherDefinition, RuleHit } from './types';

function hitsOf(sut: CompiledRules, text: string): RuleHit[] {
  const { hits } = evaluate(sut, text, { governingJurisdictions: ['CN'] });
  for (const hit of hits) expect(text.slice(hit.start, hit.end)).toBe(hit.matchedText);
  return [...hits];
}

function matched(sut: CompiledRules, text: string): string[] {
  return hitsOf(sut, text).map((hit) => hit.matchedText);
}

/** Each hit's matched text and the expansion that produced it. */
function formsOf(sut: CompiledRules, text: string): [string, string | undefined][] {
  return hitsOf(sut, text).map((hit) => [hit.matchedText, hit.expansion]);
}

function rules(matcher: MatcherDefinition): CompiledRules {
  return compile([aRuleSet('CN', [aRule(matcher, { id: 'r' })])]);
}

describe('term expansion', () => {
  const profanity = rules({ kind: 'PROFANITY' });
  const english = rules(keywords('scab', 'fuck', 'shit'));
  const german = rules(keywords('scheiße', 'arschloch', 'hure'));

  describe('inflections and compounds of Latin words', () => {
    it.each([
      ['scabs', 'scabs'],
      ['the scabbing went on', 'scabbing'],
      ['two scabbed shifts', 'scabbed'],
      ['fucking hell', 'fucking'],
      ['you fucker', 'fucker'],
      ['we are fucked', 'fucked'],
      ['fuckin idiots', 'fuckin'],
      ['motherfucker', 'motherfucker'],
      ['motherfuckers', 'motherfuckers'],
      ['that is bullshit', 'bullshit'],
      ['horseshit', 'horseshit'],
      ['a shitty plan', 'shitty'],
      ['what a shithead', 'shithead'],
      ['shitheads all', 'shitheads'],
    ])('matches "%s"', (text, expected) => {
      expect(matched(english, text)).toEqual([expected]);
    });

    it.each([
      ['So eine Scheiße', 'Scheiße'],
      ['du Scheißer', 'Scheißer'],
      ['Kackscheiße!', 'Kackscheiße'],
      ['so ein Scheißkerl', 'Scheißkerl'],
      ['Scheiß drauf', 'Scheiß'],
      ['ihr Arschlöcher', 'Arschlöcher'],
    ])('matches German "%s"', (text, expected) => {
      expect(matched(german, text)).toEqual([expected]);
    });

    it.each([
      ['unser Scheißchef', 'Scheißchef'],
      ['diese Scheißfirma', 'Scheißfirma'],
      ['der Kackladen', 'Kackladen'],
    ])('reads an insulting head before any word as a compound: "%s"', (text, expected) => {
      const heads = rules(keywords('scheiße', 'kacke'));
      expect(matched(heads, text)).toEqual([expected]);
    });

    it('takes German endings after a term in German text', () => {
      const plain = rules(keywords('spast', 'hurensohn'));
      expect(matched(plain, 'diese Spasten')).toEqual(['Spasten']);
      expect(matched(plain, 'ihr Hurensöhne')).toEqual(['Hurensöhne']);
      expect(matched(plain, 'Hurens&ouml;hne')).toEqual(['Hurens&ouml;hne']);
      // Not in English text, and never other letters after the term.
      expect(matched(plain, 'the spasten file')).toEqual([]);
      expect(matched(plain, 'Sie behandelt Spastik bei Kindern')).toEqual([]);
    });

    it('does not read an ordinary German word of the English list in German text', () => {
      expect(matched(profanity, 'Unser Handbuch ist inzwischen ziemlich dick.')).toEqual([]);
      expect(matched(profanity, 'Das Zimmer ist sehr hell und die Ordner sind dicke.')).toEqual([]);
      expect(matched(profanity, 'Das ist ein dicker Ordner.')).toEqual([]);
      expect(matched(profanity, "Don't be a dick.")).toEqual(['dick']);
      expect(matched(profanity, 'Der Chef ist ein Arschloch.')).toEqual(['Arschloch']);
    });

    it('says which expansion matched', () => {
      const hits = hitsOf(english, 'shit, shitty, bullshit');
      expect(hits.map((hit) => hit.expansion)).toEqual([undefined, 'inflection', 'compound']);
    });

    it('inflects the bad-words list', () => {
      expect(matched(profanity, 'fucking dickheads, pussies')).toEqual([
        'fucking',
        'dickheads',
        'pussies',
      ]);
    });

    it.each([
      'Scunthorpe',
      'classic assessment',
      'assassin',
      'passion',
      'Matsushita',
      'shitake',
      'bread and butter',
      'a pinch of cumin',
      'blueberry muffins',
      'spicy food',
      'he cocked his head',
      'cockpit',
      'peer review',
      'spaces and spacing',
      'damning evidence',
      'pawns on the board',
      'hellish',
      'a good noob',
      'Shetland',
    ])('does not match innocent "%s"', (text) => {
      expect(matched(profanity, text)).toEqual([]);
    });

    it('does not read a stem alone as the word', () => {
      const hate = rules(keywords('hate'));
      expect(matched(hate, 'a red hat')).toEqual([]);
      expect(matched(hate, 'hating and haters')).toEqual(['hating', 'haters']);
    });

    it('can be turned off per rule', () => {
      const plain = rules({ kind: 'KEYWORDS', terms: ['scab'], matchInflections: false });
      expect(matched(plain, 'scabs and scab')).toEqual(['scab']);
    });

    it('does not inflect a term with a wildcard', () => {
      const wildcard = rules(keywords('*shit'));
      expect(matched(wildcard, 'shitty')).toEqual([]);
    });
  });

  describe('pinyin of Chinese terms', () => {
    const chinese = rules(keywords('六四', '法轮功', '共产党', '习近平'));

    it.each([
      ['remember liusi', 'liusi'],
      ['Liu Si', 'Liu Si'],
      ['liu-si', 'liu-si'],
      ['FaLunGong', 'FaLunGong'],
      ['fa lun gong', 'fa lun gong'],
      ['flg is good', 'flg'],
      ['gongchandang', 'gongchandang'],
      ['the gcd', 'gcd'],
      ['xijinping', 'xijinping'],
      ['xjp', 'xjp'],
    ])('matches "%s"', (text, expected) => {
      expect(matched(chinese, text)).toEqual([expected]);
    });

    it('says which expansion matched', () => {
      expect(hitsOf(chinese, 'flg falungong').map((hit) => hit.expansion)).toEqual([
        'pinyinInitials',
        'pinyin',
      ]);
    });

    it.each(['ls -la', 'lsd', 'flgx', 'liusia', 'the gcd2 function', 'liu sixiang'])(
      'does not match "%s"',
      (text) => {
        expect(matched(chinese, text)).toEqual([]);
      },
    );

    it('does not make initials of a two-character term', () => {
      expect(matched(chinese, 'ls')).toEqual([]);
    });

    it('does not make initials that could be a word', () => {
      const words = rules(keywords('阿尔法', '特好饿', '批东风'));
      expect(matched(words, 'aef the pdf')).toEqual([]);
    });

    it('reads polyphonic characters in context and otherwise, capped', () => {
      expect(pinyinReadings('重庆')[0]).toEqual(['chong', 'qing']);
      expect(pinyinReadings('重庆').map((r) => r.join(' '))).toContain('zhong qing');
      expect(pinyinReadings('行长重还长').length).toBeLessThanOrEqual(4);
    });

    it('can be turned off per rule', () => {
      const plain = rules({ kind: 'KEYWORDS', terms: ['六四'], matchPinyin: false });
      expect(matched(plain, 'liusi 六四')).toEqual(['六四']);
      expect(matched(plain, 'liu四')).toEqual([]);
    });

    it('has the generated pinyin table agree with pinyin-pro (rerun the generator if not)', () => {
      const options = { toneType: 'none', type: 'array' } as const;
      const toneless = (r: string) => r.replace(/ü/gu, 'u');
      for (const char of [...'重行长乐了的和六四法轮功习近平傻逼操日曰艹𠀋']) {
        const expected = [...new Set((polyphonic(char, options)[0] ?? []).map(toneless))];
        expect([char, readingsOf(char)]).toEqual([
          char,
          expected.filter((r) => /^[a-z]+$/u.test(r)),
        ]);
      }
      const terms = ['重庆', '银行', '长大', '音乐会', '银行行长', '重新', '长城'];
      const context = readingsInContext(terms);
      for (const term of terms) {
        expect([term, context.get(term)]).toEqual([term, pinyin(term, options).map(toneless)]);
      }
    });

    it('reads polyphonic terms in context from the word table, as it would term by term', () => {
      const polyphonic = ['重庆', '银行', '长大', '音乐会'];
      const context = readingsInContext([...polyphonic, '习近平', 'scab', ' 重庆 ']);
      expect([...context.keys()].sort()).toEqual([...polyphonic].sort());
      for (const term of polyphonic) {
        expect(pinyinReadings(term, context)).toEqual(pinyinReadings(term));
      }
      expect(pinyinReadings('重庆', context)[0]).toEqual(['chong', 'qing']);
    });

    describe('half in pinyin', () => {
      const protest = rules(keywords('游行', '维权', '翻墙'));

      it.each([
        ['发fa轮功的传单', 'fa轮功'],
        ['法lun功', '法lun功'],
        ['falun功', 'falun功'],
        ['听说xi近平来了', 'xi近平'],
        ['习jin平', '习jin平'],
        ['xi jin平', 'xi jin平'],
        ['纪念liu四', 'liu四'],
        ['六si', '六si'],
      ])('matches "%s"', (text, expected) => {
        const hits = hitsOf(chinese, text);
        expect(hits.map((hit) => hit.matchedText)).toEqual([expected]);
        expect(hits[0].expansion).toBe('pinyin');
      });

      it.each([
        ['大家准备维 quan', '维 quan'],
        ['谁有翻qiang工具', '翻qiang'],
        ['明天you行', 'you行'],
      ])('matches "%s" against a two-character term', (text, expected) => {
        if (expected === 'you行') expect(matched(protest, text)).toEqual([]);
        else expect(matched(protest, text)).toEqual([expected]);
      });

      it('matches terms half in initials', () => {
        expect(formsOf(chinese, '习jp讲话，xj平，法LG的人')).toEqual(
          ['习jp', 'xj平', '法LG'].map((text) => [text, 'pinyinInitials']),
        );
      });

      it.each(['you行不行啊', '我们team今天的meeting改到下午', 'xin近况', '六sixty', 'sofa轮功'])(
        'does not match "%s"',
        (text) => {
          expect(matched(chinese, text).concat(matched(protest, text))).toEqual([]);
        },
      );

      it.each(['习jpg', '习惯jp', '请发pdf给我'])('reads no initials in "%s"', (text) => {
        expect(matched(chinese, text)).toEqual([]);
      });
    });
  });

  describe('homophones and variants of Chinese terms', () => {
    const chinese = rules({ kind: 'KEYWORDS', terms: ['六四', '习近平'], matchHomophones: true });

    it.each([
      ['纪念溜死', '溜死'],
      ['流思', '流思'],
      ['习进平讲话', '习进平'],
      ['席近凭', '席近凭'],
      ['習進平', '習進平'],
    ])('matches "%s"', (text, expected) => {
      expect(formsOf(chinese, text)).toEqual([[expected, 'homophone']]);
    });

    it('matches financial numerals by default, homophones of two characters only if asked', () => {
      const byDefault = rules(keywords('六四', '习近平'));
      expect(hitsOf(byDefault, '陆肆 六肆').map((hit) => hit.expansion)).toEqual([
        'variant',
        'variant',
      ]);
      expect(matched(byDefault, '溜死')).toEqual([]);
      expect(matched(byDefault, '习进平')).toEqual(['习进平']);
    });

    it('matches numerals written as digits, one Chinese character kept', () => {
      const byDefault = rules(keywords('六四'));
      expect(formsOf(byDefault, '纪念6四 六4')).toEqual([
        ['6四', 'variant'],
        ['六4', 'variant'],
      ]);
      expect(matched(byDefault, '64 2016四月 1964年')).toEqual([]);
    });

    it('reports the term as written without an expansion', () => {
      expect(hitsOf(chinese, '六四').map((hit) => hit.expansion)).toEqual([undefined]);
    });

    describe('of two-character terms, one character kept (the default)', () => {
      const pairs = rules(keywords('翻墙', '罢工', '维权', '示威'));

      it('matches a homophone of either character, the other as written', () => {
        const text = '公司电脑能番墙吗？翻樯软件推荐一下。我们就霸工。大家一起唯权吧。';
        expect(formsOf(pairs, text)).toEqual(
          ['番墙', '翻樯', '霸工', '唯权'].map((form) => [form, 'homophone']),
        );
      });

      it.each(['番樯', '八公', '思维全面的人', '他表示为了项目可以加班', '翻墙'])(
        'needs one character as written, in a word of its own: "%s"',
        (text) => {
          expect(hitsOf(pairs, text).filter((hit) => hit.expansion === 'homophone')).toEqual([]);
        },
      );

      it('can be turned off per rule', () => {
        const plain = rules({ kind: 'KEYWORDS', terms: ['翻墙'], matchHomophones: false });
        expect(matched(plain, '番墙')).toEqual([]);
      });
    });

    it.each(['刘德华是四川人', '我们六点四十分见面', '陆地面积', '习惯了平静', '近平'])(
      'does not match "%s"',
      (text) => {
        expect(matched(chinese, text)).toEqual([]);
      },
    );

    it('can be turned off per rule', () => {
      const plain = rules({ kind: 'KEYWORDS', terms: ['六四'], matchHomophones: false });
      expect(matched(plain, '溜死 六四')).toEqual(['六四']);
    });

    describe('look-alike characters of another sound', () => {
      const insults = rules(keywords('狗日的', '操你妈', '草泥马'));

      it('reads 曰 as 日 in the folded text, as written', () => {
        expect(formsOf(insults, '这个狗曰的制度')).toEqual([['狗曰的', undefined]]);
      });

      it('reads 艹 as 草, which sounds like 操', () => {
        expect(formsOf(insults, '艹你妈的加班费')).toEqual([['艹你妈', 'homophone']]);
        expect(formsOf(insults, '艹泥马的周报')).toEqual([['艹泥马', undefined]]);
      });

      it('matches a term written with the look-alike itself', () => {
        expect(matched(rules(keywords('狗曰的')), '狗日的 狗曰的')).toEqual(['狗日的', '狗曰的']);
      });

      it('leaves innocent uses alone', () => {
        expect(matched(insults, '子曰：学而时习之。艹字头的字大多和植物有关。')).toEqual([]);
      });
    });
  });

  describe('split characters', () => {
    const chinese = rules(keywords('法轮功', '明天'));

    it.each([
      ['练氵去车仑工力的人', '氵去车仑工力'],
      ['日月天见', '日月天'],
    ])('matches "%s"', (text, expected) => {
      expect(formsOf(chinese, text)).toEqual([[expected, 'splitCharacters']]);
    });

    it.each([
      ['明天一起罒去工', '罒去工', '罢工'],
      ['今晚有氵去人云', '氵去人云', '法会'],
      ['他支持厶口犭虫', '厶口犭虫', '台独'],
      ['董事会搞正攵亦又', '正攵亦又', '政变'],
      ['领导是个傻辶畐', '傻辶畐', '傻逼'],
    ])('matches splits one above the other and surrounds: "%s"', (text, expected, term) => {
      expect(formsOf(rules(keywords(term)), text)).toEqual([[expected, 'splitCharacters']]);
    });

    it.each(['水去车轮', '日月同辉', '女子'])('does not match "%s"', (text) => {
      expect(matched(chinese, text)).toEqual([]);
    });

    it('can be turned off per rule', () => {
      const plain = rules({ kind: 'KEYWORDS', terms: ['法轮功'], matchSplitCharacters: false });
      expect(matched(plain, '氵去车仑工力')).toEqual([]);
    });
  });
});
