import { segmentsOf } from './highlight';

const hit = (start: number, end: number, name = 'r') => ({ start, end, name });
const view = (text: string, hits: ReturnType<typeof hit>[]) =>
  segmentsOf(text, hits).map((s) => [s.text, s.hits.map((h) => h.name).join('+')]);

describe('segmentsOf', () => {
  it('leaves text without hits as one plain piece', () => {
    expect(view('nothing here', [])).toEqual([['nothing here', '']]);
  });

  it('cuts around separate hits and keeps the text whole', () => {
    const text = 'call 138 0013 8000 or mail jo@example.com';
    const pieces = segmentsOf(text, [hit(5, 18, 'phone'), hit(27, 41, 'email')]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(view(text, [hit(5, 18, 'phone'), hit(27, 41, 'email')])).toEqual([
      ['call ', ''],
      ['138 0013 8000', 'phone'],
      [' or mail ', ''],
      ['jo@example.com', 'email'],
    ]);
  });

  it('splits overlapping hits at every boundary, each piece knowing all its hits', () => {
    expect(view('abcdef', [hit(0, 4, 'a'), hit(2, 6, 'b')])).toEqual([
      ['ab', 'a'],
      ['cd', 'a+b'],
      ['ef', 'b'],
    ]);
  });

  it('uses UTF-16 offsets, as the server does, so astral characters stay whole', () => {
    const text = '😀 罢工';
    expect(view(text, [hit(3, 5, 'strike')])).toEqual([
      ['😀 ', ''],
      ['罢工', 'strike'],
    ]);
  });

  it('clamps hits beyond the text and ignores empty ones', () => {
    expect(view('abc', [hit(2, 99, 'x'), hit(1, 1, 'empty'), hit(-5, 1, 'y')])).toEqual([
      ['a', 'y'],
      ['b', ''],
      ['c', 'x'],
    ]);
  });
});
