/**
 * The evasion corpus: texts written the way people dodge keyword filters, each naming the
 * term(s) of `EVASION_RULE_SET` it hides, and innocent texts that a filter must leave alone.
 * Written from public knowledge of these techniques; invisible characters are spelled as
 * `\u` escapes so that every case can be read in the source.
 */

export type Language = 'zh' | 'en' | 'de';

/** "hard" cases need knowledge of how a word sounds or is written, not just folding. */
export type Difficulty = 'common' | 'hard';

export type EvasionCategory =
  | 'pinyin'
  | 'homophone'
  | 'split-character'
  | 'line-per-character'
  | 'reversed'
  | 'encoded'
  | 'spaced-letters'
  | 'masked'
  | 'inflection'
  | 'leetspeak'
  | 'homoglyph'
  | 'fullwidth'
  | 'zero-width'
  | 'traditional'
  | 'cjk-separator';

export const CATEGORIES: Readonly<
  Record<EvasionCategory, { readonly label: string; readonly difficulty: Difficulty }>
> = {
  pinyin: { label: 'pinyin, full and initials', difficulty: 'hard' },
  homophone: { label: 'homophones and variant characters', difficulty: 'hard' },
  'split-character': { label: 'split characters 拆字', difficulty: 'hard' },
  'line-per-character': { label: 'one character per line', difficulty: 'common' },
  reversed: { label: 'reversed text', difficulty: 'common' },
  encoded: { label: 'HTML entities and percent-encoding', difficulty: 'common' },
  'spaced-letters': { label: 'spaced-out Latin letters', difficulty: 'common' },
  masked: { label: 'asterisk and symbol masks', difficulty: 'common' },
  inflection: { label: 'inflections and compounds', difficulty: 'common' },
  leetspeak: { label: 'leetspeak', difficulty: 'common' },
  homoglyph: { label: 'homoglyphs and small capitals', difficulty: 'common' },
  fullwidth: { label: 'fullwidth and compatibility forms', difficulty: 'common' },
  'zero-width': { label: 'zero-width and format characters', difficulty: 'common' },
  traditional: { label: 'Traditional characters', difficulty: 'common' },
  'cjk-separator': { label: 'separators between Chinese characters', difficulty: 'common' },
};

export interface EvasionCase {
  readonly text: string;
  /** Terms of the rule-set fixture the text hides; a hit of their rule detects it. */
  readonly terms: readonly string[];
  readonly category: EvasionCategory;
  readonly language: Language;
  readonly difficulty: Difficulty;
}

export type InnocentKind =
  /** Chinese text where a two-character term straddles two real words. */
  | 'straddle'
  /** Chinese text where a term only forms across punctuation between clauses. */
  | 'punctuation'
  /** A word that contains a term, or a sequence that looks like an evasion. */
  | 'scunthorpe'
  /** Ordinary workplace talk. */
  | 'plain';

export interface InnocentCase {
  readonly text: string;
  readonly kind: InnocentKind;
  readonly language: Language;
}

type Row = readonly [Language, string, ...string[]];

function category(name: EvasionCategory, rows: readonly Row[]): EvasionCase[] {
  return rows.map(([language, text, ...terms]) => ({
    text,
    terms,
    category: name,
    language,
    difficulty: CATEGORIES[name].difficulty,
  }));
}

function innocent(kind: InnocentKind, rows: readonly (readonly [Language, string])[]) {
  return rows.map(([language, text]): InnocentCase => ({ text, kind, language }));
}

export const EVASION_CASES: readonly EvasionCase[] = [
  ...category('pinyin', [
    ['zh', 'liusi 那年的事公司群里不让提', '六四'],
    ['zh', '还记得 liù sì 吗', '六四'],
    ['zh', '楼下又有人发 falungong 的传单', '法轮功'],
    ['zh', 'fa lun gong 的人又来了', '法轮功'],
    ['zh', 'FLG 的人在门口发报纸', '法轮功'],
    ['zh', '公司网太慢了，谁有 fanqiang 工具', '翻墙'],
    ['zh', 'fq 软件哪个好用？', '翻墙'],
    ['zh', '听说 xijinping 下周来园区视察', '习近平'],
    ['zh', 'xjp 又上新闻了', '习近平'],
    ['zh', '明天下班后一起去 youxing 吧', '游行'],
    ['zh', '工厂门口有人 shiwei', '示威'],
    ['zh', '工资再拖就 bagong', '罢工'],
    ['zh', '欠薪三个月，大家准备 weiquan', '维权'],
    ['zh', '他在群里说支持 taidu', '台独'],
    ['zh', '同事转发 gangdu 的视频', '港独'],
    ['zh', 'zangdu 的话题别在这里聊', '藏独'],
    ['zh', '老板就是个 ducai 者', '独裁'],
    ['zh', '董事会搞 zhengbian 了', '政变'],
    ['zh', '八九年的 minyun 你怎么看', '民运'],
    ['zh', '领导是 shabi 吧，又改需求', '傻逼'],
    ['zh', '这个 sb 领导又改需求了', '傻逼'],
    ['zh', 'tmd 又要加班到十点', '他妈的'],
    ['zh', 'tamade 年终奖又没了', '他妈的'],
    ['zh', 'cnm 的绩效考核', '操你妈'],
    ['zh', 'caonima 这破系统', '操你妈'],
    ['zh', '经理真是个 wangbadan', '王八蛋'],
    ['zh', 'gouride 资本家', '狗日的'],
    ['zh', '楼下又有人发fa轮功的传单', '法轮功'],
    ['zh', '法lun功的人又来发报纸了', '法轮功'],
    ['zh', '听说xi近平下周来园区', '习近平'],
    ['zh', '习jin平又上新闻了', '习近平'],
    ['zh', '公司网太慢，谁有翻qiang工具', '翻墙'],
    ['zh', '欠薪三个月，大家准备维 quan', '维权'],
    ['zh', 'liu四那年的事群里不让提', '六四'],
    ['zh', '他转发了达lai的演讲', '达赖'],
  ]),
  ...category('homophone', [
    ['zh', '陆肆那天的事不能忘', '六四'],
    ['zh', '六肆 三十多年了', '六四'],
    ['zh', '又有人在传法伦功的资料', '法轮功'],
    ['zh', '发轮功的人又来了', '法轮功'],
    ['zh', '公司电脑能番墙吗', '翻墙'],
    ['zh', '翻樯软件推荐一下', '翻墙'],
    ['zh', '习进平讲话又要全员学习', '习近平'],
    ['zh', '席近平的照片挂在会议室', '习近平'],
    ['zh', '工资不发我们就霸工', '罢工'],
    ['zh', '大家一起唯权吧', '维权'],
    ['zh', '他支持抬独', '台独'],
    ['zh', '这公司就是毒裁管理', '独裁'],
    ['zh', '领导是个傻比', '傻逼'],
    ['zh', '这个方案真煞笔', '傻逼'],
    ['zh', '沙比产品经理', '傻逼'],
    ['zh', '他吗的又加班', '他妈的'],
    ['zh', '他马的绩效', '他妈的'],
    ['zh', '草你妈的考勤制度', '操你妈'],
    ['zh', '艹你妈，又扣钱', '操你妈'],
    ['zh', '草尼马的周报', '草泥马'],
    ['zh', '王八旦老板', '王八蛋'],
    ['zh', '狗曰的资本家', '狗日的'],
    ['zh', '达癞又上新闻了', '达赖'],
  ]),
  ...category('split-character', [
    ['zh', '氵去车仑工力的传单', '法轮功'],
    ['zh', '扌喿亻尔女马，又加班', '操你妈'],
    ['zh', '亻也女马白勺，工资又晚发', '他妈的'],
    ['zh', '番羽土啬软件', '翻墙'],
    ['zh', '大家一起纟隹木又', '维权'],
    ['zh', '明天一起罒去工', '罢工'],
    ['zh', '周末去氵斿彳亍', '游行'],
    ['zh', '董事会搞正攵亦又', '政变'],
    ['zh', '犭句日白勺老板', '狗日的'],
    ['zh', '今晚有氵去人云', '法会'],
    ['zh', '他支持厶口犭虫', '台独'],
    ['zh', '领导是个亻鬼辶畐', '傻逼'],
  ]),
  ...category('line-per-character', [
    ['zh', '六\n四', '六四'],
    ['zh', '记住\n六\n四\n这一天', '六四'],
    ['zh', '法\n轮\n功', '法轮功'],
    ['zh', '习\n近\n平', '习近平'],
    ['zh', '翻\n墙', '翻墙'],
    ['zh', '罢\n工', '罢工'],
    ['zh', '傻\n逼', '傻逼'],
    ['zh', '他\n妈\n的', '他妈的'],
    ['zh', '独\r\n裁', '独裁'],
    ['zh', '游\n行', '游行'],
    ['en', 'f\nu\nc\nk', 'fuck'],
    ['en', 's\nc\na\nb', 'scab'],
    ['en', 'you are a\ns\nc\na\nb', 'scab'],
    ['en', 's\nh\ni\nt', 'shit'],
    ['en', 'r\ne\nt\na\nr\nd', 'retard'],
    ['de', 'a\nr\ns\nc\nh\nl\no\nc\nh', 'arschloch'],
    ['de', 's\nc\nh\ne\ni\nß\ne', 'scheiße'],
    ['de', 'k\na\nn\na\nk\ne', 'kanake'],
  ]),
  ...category('reversed', [
    ['zh', '功轮法', '法轮功'],
    ['zh', '！好功轮法', '法轮功'],
    ['zh', '平近习', '习近平'],
    ['zh', '四六', '六四'],
    ['zh', '墙翻', '翻墙'],
    ['zh', '逼傻是导领', '傻逼'],
    ['zh', '的妈他', '他妈的'],
    ['en', 'kcuf', 'fuck'],
    ['en', 'tihs', 'shit'],
    ['en', 'bacs a si eh', 'scab'],
    ['en', 'drater', 'retard'],
    ['en', 'hctib', 'bitch'],
    ['de', 'hcolhcsra', 'arschloch'],
    ['de', 'eßiehcs', 'scheiße'],
    ['de', 'rehcerbkiets', 'streikbrecher'],
  ]),
  ...category('encoded', [
    ['zh', '&#x516D;&#x56DB;', '六四'],
    ['zh', '&#20845;&#22235; 纪念', '六四'],
    ['zh', '&#27861;&#36718;&#21151;', '法轮功'],
    ['zh', '&#x7FFB;&#x5899;教程', '翻墙'],
    ['zh', '%E5%85%AD%E5%9B%9B', '六四'],
    ['zh', 'https://example.com/s?q=%E6%B3%95%E8%BD%AE%E5%8A%9F', '法轮功'],
    ['zh', '%E4%B9%A0%E8%BF%91%E5%B9%B3', '习近平'],
    ['zh', '%E5%82%BB%E9%80%BC', '傻逼'],
    ['en', 'f&#117;ck this', 'fuck'],
    ['en', 'sh&#105;t', 'shit'],
    ['en', '&#115;&#99;&#97;&#98;', 'scab'],
    ['en', '&#x62;&#x69;&#x74;&#x63;&#x68;', 'bitch'],
    ['en', 'f%75ck', 'fuck'],
    ['en', '%73%63%61%62', 'scab'],
    ['en', 'ret%61rd', 'retard'],
    ['de', 'schei&szlig;e', 'scheiße'],
    ['de', 'schei%C3%9Fe', 'scheiße'],
    ['de', 'arschl%6Fch', 'arschloch'],
    ['de', 'Hurens&ouml;hne', 'hurensohn'],
    ['de', '&#107;&#97;&#110;&#97;&#107;&#101;', 'kanake'],
  ]),
  ...category('spaced-letters', [
    ['en', 'you are a s c a b', 'scab'],
    ['en', 's.c.a.b', 'scab'],
    ['en', 'S-C-A-B', 'scab'],
    ['en', 'f u c k this', 'fuck'],
    ['en', 'f.u.c.k', 'fuck'],
    ['en', 'f_u_c_k', 'fuck'],
    ['en', 's h i t', 'shit'],
    ['en', 's-h-i-t', 'shit'],
    ['en', 'r e t a r d', 'retard'],
    ['en', 'b i t c h', 'bitch'],
    ['en', 'a s s h o l e', 'asshole'],
    ['en', 'c.u.n.t', 'cunt'],
    ['en', 'k i l l  y o u r s e l f', 'kill yourself'],
    ['en', 'b o o t l i c k e r', 'bootlicker'],
    ['de', 'a r s c h l o c h', 'arschloch'],
    ['de', 's c h e i ß e', 'scheiße'],
    ['de', 'w.i.c.h.s.e.r', 'wichser'],
    ['de', 'h u r e n s o h n', 'hurensohn'],
    ['de', 'S t r e i k b r e c h e r', 'streikbrecher'],
    ['de', 'k-a-n-a-k-e', 'kanake'],
    ['de', 's p a s t', 'spast'],
    ['de', 'f o t z e', 'fotze'],
  ]),
  ...category('masked', [
    ['en', 'f*ck this', 'fuck'],
    ['en', 'f**k', 'fuck'],
    ['en', 'fu*k', 'fuck'],
    ['en', 'f#ck', 'fuck'],
    ['en', 'f@ck', 'fuck'],
    ['en', 'f-ck', 'fuck'],
    ['en', 'sh*t', 'shit'],
    ['en', 'sh!t', 'shit'],
    ['en', 'b*tch', 'bitch'],
    ['en', 'b!tch', 'bitch'],
    ['en', 'a**hole', 'asshole'],
    ['en', 'c*nt', 'cunt'],
    ['en', 'r*tard', 'retard'],
    ['en', 'sc*b', 'scab'],
    ['en', 'b**tlicker', 'bootlicker'],
    ['de', 'Schei*e', 'scheiße'],
    ['de', 'Arschl*ch', 'arschloch'],
    ['de', 'W*chser', 'wichser'],
    ['de', 'H*rensohn', 'hurensohn'],
    ['de', 'F*tze', 'fotze'],
    ['de', 'Streikbr*cher', 'streikbrecher'],
    ['zh', '领导真是傻X', '傻逼'],
    ['zh', '傻*经理', '傻逼'],
    ['zh', '他*的又加班', '他妈的'],
    ['zh', '法*功', '法轮功'],
    ['zh', '楼下有人发法*功的传单', '法轮功'],
    ['zh', '法X功的人又来了', '法轮功'],
    ['zh', '听说习×平下周来视察', '习近平'],
  ]),
  ...category('inflection', [
    ['en', 'the scabs crossed the picket line', 'scab'],
    ['en', 'stop scabbing for management', 'scab'],
    ['en', 'this fucking reorg', 'fuck'],
    ['en', 'we got fucked again', 'fuck'],
    ['en', 'my manager is a motherfucker', 'fuck'],
    ['en', 'what a fuckwit', 'fuck'],
    ['en', 'that is bullshit', 'shit'],
    ['en', 'shitty bonus again', 'shit'],
    ['en', 'a dipshit decision', 'shit'],
    ['en', 'the shithead in finance', 'shit'],
    ['en', 'stop being bitches about it', 'bitch'],
    ['en', 'such a retarded policy', 'retard'],
    ['en', 'those retards in HR', 'retard'],
    ['en', 'the assholes upstairs', 'asshole'],
    ['en', 'corporate bootlickers', 'bootlicker'],
    ['de', 'die Arschlöcher im Vorstand', 'arschloch'],
    ['de', 'diese Hurensöhne', 'hurensohn'],
    ['de', 'mit den Streikbrechern reden wir nicht', 'streikbrecher'],
    ['de', 'die Streikbrecherin aus Halle', 'streikbrecher'],
    ['de', 'das Auto dieses Wichsers', 'wichser'],
    ['de', 'Scheißfirma', 'scheiße'],
    ['de', 'unser Scheißchef', 'scheiße'],
    ['de', 'diese Spasten', 'spast'],
  ]),
  ...category('leetspeak', [
    ['en', 'sh1t', 'shit'],
    ['en', '5h1t', 'shit'],
    ['en', '$hit', 'shit'],
    ['en', 'fvck', 'fuck'],
    ['en', 'phuck', 'fuck'],
    ['en', 'b1tch', 'bitch'],
    ['en', 'a55hole', 'asshole'],
    ['en', '@sshole', 'asshole'],
    ['en', 'sc4b', 'scab'],
    ['en', '5cab', 'scab'],
    ['en', 'r3tard', 'retard'],
    ['en', 'r3t4rd', 'retard'],
    ['en', 'cvnt', 'cunt'],
    ['en', 'k1ll y0urs3lf', 'kill yourself'],
    ['en', 'b00tl1ck3r', 'bootlicker'],
    ['de', '4rschl0ch', 'arschloch'],
    ['de', 'w1chser', 'wichser'],
    ['de', 'hur3ns0hn', 'hurensohn'],
    ['de', 'sch31ße', 'scheiße'],
    ['de', 'k4n4ke', 'kanake'],
    ['de', 'f0tze', 'fotze'],
    ['de', '5tr31kbr3ch3r', 'streikbrecher'],
  ]),
  ...category('homoglyph', [
    ['en', 'you \u0455\u0441\u0430b', 'scab'],
    ['en', 'fu\u0441k', 'fuck'],
    ['en', 'sh\u0456t', 'shit'],
    ['en', 'b\u0456tch', 'bitch'],
    ['en', '\u0430sshole', 'asshole'],
    ['en', 'S\u0397IT', 'shit'],
    ['en', '\u0392ITC\u0397', 'bitch'],
    ['en', '\u0280\u1d07\u1d1b\u1d00\u0280\u1d05', 'retard'],
    ['en', '\ua730\u1d1c\u1d04\u1d0b', 'fuck'],
    ['en', 's\u029c\u026a\u1d1b', 'shit'],
    ['en', '\ua731\u1d04\u1d00\u0299', 'scab'],
    ['en', '\u{1d41f}\u{1d42e}\u{1d41c}\u{1d424}', 'fuck'],
    ['en', '\u24d5\u24e4\u24d2\u24da', 'fuck'],
    ['en', 'r\u0435t\u0430rd', 'retard'],
    ['en', 'f\u00fcck', 'fuck'],
    ['de', '\u0455\u0441h\u0435i\u00df\u0435', 'scheiße'],
    ['de', '\u0410rschl\u043e\u0441h', 'arschloch'],
    ['de', 'W\u0456\u0441hser', 'wichser'],
    ['de', 'k\u0430n\u0430ke', 'kanake'],
    ['de', 'Streikbre\u0441her', 'streikbrecher'],
    ['de', '\u03b1rschloch', 'arschloch'],
    ['zh', '罢\u2f2f', '罢工'],
  ]),
  ...category('fullwidth', [
    ['en', '\uff46\uff55\uff43\uff4b', 'fuck'],
    ['en', '\uff33\uff23\uff21\uff22', 'scab'],
    ['en', '\uff53\uff48\uff49\uff54', 'shit'],
    ['en', '\uff52\uff45\uff54\uff41\uff52\uff44', 'retard'],
    ['en', '\uff42\uff49\uff54\uff43\uff48', 'bitch'],
    ['en', '\uff43\uff55\uff4e\uff54', 'cunt'],
    ['en', 'what a \uff53\uff43\uff41\uff42', 'scab'],
    ['de', '\uff41\uff52\uff53\uff43\uff48\uff4c\uff4f\uff43\uff48', 'arschloch'],
    ['de', '\uff57\uff49\uff43\uff48\uff53\uff45\uff52', 'wichser'],
    ['de', '\uff4b\uff41\uff4e\uff41\uff4b\uff45', 'kanake'],
    ['de', '\uff53\uff43\uff48\uff45\uff49\u00df\uff45', 'scheiße'],
    ['de', '\uff33\uff50\uff41\uff53\uff54', 'spast'],
    ['zh', '\u3285\u3283', '六四'],
    ['zh', '\uf9d1四', '六四'],
    ['zh', '\u2f70威', '示威'],
    ['zh', '游\u2f8f', '游行'],
    ['zh', '游\ufa08', '游行'],
    ['zh', '东\ufa55', '东突'],
    ['zh', '草\uf9e3马', '草泥马'],
    ['zh', '狗\u2f47的', '狗日的'],
  ]),
  ...category('zero-width', [
    ['en', 'f\u200buck', 'fuck'],
    ['en', 's\u200bc\u200ba\u200bb', 'scab'],
    ['en', 'shi\u200dt', 'shit'],
    ['en', 'ret\u200card', 'retard'],
    ['en', 'bit\u034fch', 'bitch'],
    ['en', 'kill\u200b yourself', 'kill yourself'],
    ['en', 'ass\u2060hole', 'asshole'],
    ['en', 'sc\ufeffab', 'scab'],
    ['de', 'schei\u00adße', 'scheiße'],
    ['de', 'arsch\u200bloch', 'arschloch'],
    ['de', 'k\u200banake', 'kanake'],
    ['de', 'Streik\u200bbrecher', 'streikbrecher'],
    ['de', 'Huren\u200dsohn', 'hurensohn'],
    ['zh', '六\u200b四', '六四'],
    ['zh', '法\u200c轮\u200d功', '法轮功'],
    ['zh', '习\u2060近平', '习近平'],
    ['zh', '翻\ufeff墙', '翻墙'],
    ['zh', '傻\u200b逼', '傻逼'],
    ['zh', '台\u200b独', '台独'],
    ['zh', '罢\u200e工', '罢工'],
  ]),
  ...category('traditional', [
    ['zh', '法輪功的傳單', '法轮功'],
    ['zh', '習近平講話', '习近平'],
    ['zh', '翻牆軟體', '翻墙'],
    ['zh', '週末去遊行', '游行'],
    ['zh', '工廠罷工了', '罢工'],
    ['zh', '一起維權', '维权'],
    ['zh', '支持臺獨', '台独'],
    ['zh', '支持台獨', '台独'],
    ['zh', '港獨分子', '港独'],
    ['zh', '藏獨話題', '藏独'],
    ['zh', '疆獨組織', '疆独'],
    ['zh', '東突問題', '东突'],
    ['zh', '老闆太獨裁', '独裁'],
    ['zh', '董事會政變', '政变'],
    ['zh', '八九民運', '民运'],
    ['zh', '當年的學潮', '学潮'],
    ['zh', '今晚有法會', '法会'],
    ['zh', '達賴喇嘛', '达赖'],
    ['zh', '他媽的又加班', '他妈的'],
    ['zh', '操你媽', '操你妈'],
    ['zh', '草泥馬', '草泥马'],
  ]),
  ...category('cjk-separator', [
    ['zh', '六 四', '六四'],
    ['zh', '六.四', '六四'],
    ['zh', '六-四', '六四'],
    ['zh', '法_轮_功', '法轮功'],
    ['zh', '习·近·平', '习近平'],
    ['zh', '翻/墙', '翻墙'],
    ['zh', '傻 逼', '傻逼'],
    ['zh', '他|妈|的', '他妈的'],
    ['zh', '罢-工', '罢工'],
    ['zh', '维*权', '维权'],
    ['zh', '台.独', '台独'],
    ['zh', '港 独', '港独'],
    ['zh', '藏~独', '藏独'],
    ['zh', '东 突', '东突'],
    ['zh', '独_裁', '独裁'],
    ['zh', '政 变', '政变'],
    ['zh', '民.运', '民运'],
    ['zh', '学 潮', '学潮'],
    ['zh', '达 赖', '达赖'],
    ['zh', '操 你 妈', '操你妈'],
    ['zh', '草-泥-马', '草泥马'],
    ['zh', '王 八 蛋', '王八蛋'],
    ['zh', '狗.日.的', '狗日的'],
  ]),
];

export const INNOCENT_CASES: readonly InnocentCase[] = [
  ...innocent('straddle', [
    ['zh', '香港独特的美食让人难忘。'],
    ['zh', '香港独家代理这款产品。'],
    ['zh', '西藏独特的自然风光很美。'],
    ['zh', '新疆独特的气候适合种葡萄。'],
    ['zh', '这个平台独家发布了财报。'],
    ['zh', '电视台独家专访了我们的总监。'],
    ['zh', '舞台独白部分很精彩。'],
    ['zh', '广东突然降温了，注意保暖。'],
    ['zh', '山东突发暴雨，航班取消。'],
    ['zh', '旅游行业今年复苏得很快。'],
    ['zh', '发布会上展示威力最大的新机型。'],
    ['zh', '单独裁决这个案子不合适。'],
    ['zh', '财政变化对公司影响很大。'],
    ['zh', '社区居民运动会下周举行。'],
    ['zh', '大学潮湿的宿舍让人难受。'],
    ['zh', '这个方法会更有效。'],
    ['zh', '多维权重矩阵的计算很慢。'],
  ]),
  ...innocent('punctuation', [
    ['zh', '我去了香港，独自一人住了三天。'],
    ['zh', '今天去旅游，行程很满。'],
    ['zh', '我们在广东，突然下起了雨。'],
    ['zh', '这是一个平台，独立运营。'],
    ['zh', '下个月去西藏，独自旅行。'],
    ['zh', '这是我的办法。轮到你说了。'],
    ['zh', '这是个好办法，会上再讨论。'],
    ['zh', '他在新疆。独生子女政策那时还在。'],
  ]),
  ...innocent('plain', [
    ['zh', '今天公司团建去爬山，大家都很开心。'],
    ['zh', '新的报销流程太复杂了，能不能简化一下？'],
    ['zh', '我们组下个月要搬到新大楼。'],
    ['zh', '年终奖什么时候发？有人知道吗？'],
    ['zh', '食堂的饭菜最近变好吃了。'],
    ['zh', '四月六号的培训改到线上了。'],
    ['zh', '老板说下周一开全员大会。'],
    ['zh', 'you行不行啊，这个需求今天要上线。'],
    ['zh', '这个方案*非常*重要，请大家仔细看。'],
    ['zh', '我们team今天的meeting改到下午了。'],
    ['zh', '这个project的deadline是周五，大家加油。'],
    ['zh', '明天review一下代码，然后发个PDF给我。'],
    ['zh', '新来的intern挺靠谱的，fan了他的博客。'],
    ['en', 'The new expense tool is slow but it works.'],
    ['en', 'Does anyone know when the bonus letters go out?'],
    ['de', 'Die Kantine hat endlich wieder vegetarische Gerichte.'],
    ['de', 'Wann kommt die Gehaltsabrechnung für Dezember?'],
    ['en', 'Can someone explain the new on-call policy?'],
    ['en', 'The union meeting is on Thursday at noon.'],
    ['de', 'Der Betriebsrat lädt zur Versammlung ein.'],
    ['zh', '工会下周组织体检。'],
  ]),
  ...innocent('scunthorpe', [
    ['en', 'Our Scunthorpe office is hiring two engineers.'],
    ['en', 'The ceremonial sword is back in its scabbard in the lobby.'],
    ['en', 'Scabious and lavender were planted outside the canteen.'],
    ['en', 'We tested the fire retardant coating on the new panels.'],
    ['en', 'The therapist on the wellness team is excellent.'],
    ['en', 'The Penistone depot closes early on Fridays.'],
    ['en', 'The cocktail evening after the all-hands was fun.'],
    ['en', 'Take the course and upskill yourself before review season.'],
    ['en', 'Middlesex and Essex teams merge next month.'],
    ['en', 'The analysis of the classic assessment data is done.'],
    ['en', 'Dickensian working hours are not a perk.'],
    ['en', 'Grade bands S, C, A, B are explained on the wiki.'],
    ['en', 'Hancock and Cockburn are on the rota this week.'],
    ['en', 'Matsushita sent the quote for the new screens.'],
    ['de', 'Der Marsch durch die Innenstadt war friedlich.'],
    ['de', 'Der Marschall der Parade kam zu spät.'],
    ['de', 'Die Heilpraktikerin kommt montags ins Büro.'],
    ['de', 'Sie behandelt Spastik bei Kindern in der Reha.'],
    ['de', 'Die Analyse der Quartalszahlen ist fertig.'],
    ['de', 'Die Klassenfahrt der Azubis geht nach Heilbronn.'],
    ['de', 'Die Kasse im Erdgeschoss ist wieder geöffnet.'],
    ['de', 'Unser Handbuch ist inzwischen ziemlich dick.'],
  ]),
];

/**
 * A post of `bytes` UTF-8 bytes (cut on a character boundary) made of the ordinary English and
 * German innocent texts in turn: what most posts are, and the case where a filter cannot stop
 * at a first match. Chinese is left out because the benchmark's 20,000 generated Chinese terms
 * are drawn from the most frequent characters and match any Chinese text by chance.
 */
export function innocentPost(bytes: number): string {
  const texts = INNOCENT_CASES.filter((c) => c.kind === 'plain' && c.language !== 'zh').map(
    (c) => c.text,
  );
  const encoder = new TextEncoder();
  let post = '';
  for (let k = 0; encoder.encode(post).length < bytes; k++) {
    post += (k > 0 ? ' ' : '') + texts[k % texts.length];
  }
  while (encoder.encode(post).length > bytes) post = [...post].slice(0, -1).join('');
  return post;
}
