import { lightToOriginal, lightView, normalizeForMatching } from './normalizer';

const folded = (text: string): string => normalizeForMatching(text).text;

describe('normalizeForMatching', () => {
  it('folds full-width forms to ASCII (NFKC)', () => {
    expect(folded('ＡＢＣ　１２３')).toBe('abc 123');
  });

  it('folds case', () => {
    expect(folded('HeLLo')).toBe('helo');
  });

  it('removes zero-width and other format characters', () => {
    expect(folded('a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u00ADg')).toBe('abcdefg');
  });

  it('removes Hangul fillers used as invisible characters', () => {
    expect(folded('ab\u3164cd')).toBe('abcd');
  });

  it('strips diacritics from Latin, Greek and Cyrillic letters', () => {
    expect(folded('Ça déjà été')).toBe('ca deja ete');
  });

  it('folds Cyrillic and Greek homoglyphs to Latin', () => {
    expect(folded('рауреѕ αρο')).toBe('paypes apo');
  });

  it('folds capital Greek look-alikes like their Latin capital (Η is H, not n)', () => {
    expect(folded('ΗΕΙΙΟ Ηi')).toBe('heio hi');
  });

  it('folds small capitals to their letter', () => {
    expect(folded('ʀᴇᴛᴀʀᴅ')).toBe('retard');
    expect(folded('ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍ ɴᴏᴘꞯʀꜱᴛᴜᴠᴡʏᴢ')).toBe('abcdefghijklm nopqrstuvwyz');
  });

  it('takes look-alikes from Unicode confusables, leaving other scripts and Han alone', () => {
    expect(folded('Ꭺⅼеrt ԁеаԁ')).toBe('alert dead');
    expect(folded('中文丨测试')).toBe('中文丨测试');
    expect(folded('Straße déjà')).toBe('strase deja');
  });

  it('folds leetspeak inside words that have letters', () => {
    expect(folded('h4x0r l33t 5h1t b!+ch')).toBe('haxor let shit bitch');
  });

  it('keeps numbers as numbers', () => {
    expect(folded('room 101, $100, 3.14')).toBe('rom 101 100 3 14');
  });

  it('collapses repeated letters into one position with a run length', () => {
    const sut = normalizeForMatching('cooool');
    expect([sut.text, sut.runs]).toEqual(['col', [1, 4, 1]]);
  });

  it('never collapses digits', () => {
    expect(folded('1000')).toBe('1000');
  });

  it('turns any run of separators between words into one space', () => {
    expect(folded('a , - b\t\nc')).toBe('a b c');
  });

  it('removes separators between CJK characters', () => {
    expect(folded('习 近.平😀好')).toBe('习近平好');
  });

  it('removes separators between CJK and Latin text', () => {
    expect(folded('你好 world , 世界')).toBe('你好world世界');
  });

  it('keeps a line break between CJK characters as a separator', () => {
    expect(folded('学习\n近平')).toBe('学习 近平');
  });

  it('folds Traditional to Simplified Chinese', () => {
    expect(folded('習近平說臺灣')).toBe('习近平说台湾');
  });

  it('expands compatibility characters into several positions of one original character', () => {
    const sut = normalizeForMatching('x㍿');
    expect([sut.text, sut.starts, sut.ends]).toEqual([
      'x株式会社',
      [0, 1, 1, 1, 1],
      [1, 2, 2, 2, 2],
    ]);
  });

  it('maps every position back to its original span', () => {
    const sut = normalizeForMatching('ｓ\u200Bhiiit 習');
    expect(sut.text).toBe('shit习');
    expect(sut.starts).toEqual([0, 2, 3, 6, 8]);
    expect(sut.ends).toEqual([1, 3, 6, 7, 9]);
  });

  it('folds astral mathematical letters', () => {
    expect(folded('𝐇𝐞𝐥𝐩')).toBe('help');
  });
});

describe('lightView', () => {
  it('returns the text itself when nothing needs folding', () => {
    const text = '普通文本，plain text。';
    expect(lightView(text)).toEqual({ text, map: null });
  });

  it('folds full-width letters and digits and removes zero-width characters', () => {
    const sut = lightView('电话：１３８\u200B００');
    expect(sut.text).toBe('电话：13800');
    expect(lightToOriginal(sut, 3, 8)).toEqual([3, 9]);
  });

  it('keeps case and CJK punctuation', () => {
    expect(lightView('ＡＢ，ｃ').text).toBe('AB，c');
  });

  it('maps spans inside unchanged segments exactly', () => {
    const sut = lightView('ｘ hello world');
    expect(sut.text).toBe('x hello world');
    expect(lightToOriginal(sut, 2, 7)).toEqual([2, 7]);
  });
});
