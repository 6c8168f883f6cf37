import { contrastKit } from './accessibility';

describe('contrast arithmetic (WCAG 2)', () => {
  const sut = contrastKit();
  const ratioOf = (a: string, b: string) => sut.ratio(sut.parseColor(a), sut.parseColor(b));

  it('gives 21:1 for white on black and 1:1 for a colour on itself', () => {
    expect(ratioOf('#fff', '#000')).toBeCloseTo(21, 5);
    expect(ratioOf('rgb(0, 0, 0)', 'rgb(255, 255, 255)')).toBeCloseTo(21, 5);
    expect(ratioOf('#0b57d0', '#0b57d0')).toBe(1);
  });

  it('puts #777 on white just below the 4.5:1 of normal text', () => {
    expect(ratioOf('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(ratioOf('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('measures the invisible "New" badge: white on the tint, about 1.1:1', () => {
    expect(ratioOf('rgb(255, 255, 255)', 'rgb(243, 245, 248)')).toBeCloseTo(1.1, 1);
  });

  it('blends a translucent layer over the colour below it', () => {
    const half = sut.parseColor('rgba(0, 0, 0, 0.5)');
    expect(half).toEqual([0, 0, 0, 0.5]);
    expect(sut.blend(half, [255, 255, 255, 1])).toEqual([127.5, 127.5, 127.5, 1]);
    expect(sut.parseColor('rgb(10 20 30 / 25%)')).toEqual([10, 20, 30, 0.25]);
  });

  it('asks 3:1 of large text (24 px, or 18.66 px bold) and 4.5:1 of the rest', () => {
    expect(sut.requiredRatio(24, 400)).toBe(3);
    expect(sut.requiredRatio(18.66, 700)).toBe(3);
    expect(sut.requiredRatio(18.66, 600)).toBe(4.5);
    expect(sut.requiredRatio(16, 700)).toBe(4.5);
  });
});
