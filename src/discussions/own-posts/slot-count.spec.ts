import { countTakenSlots } from './slot-count';

describe('countTakenSlots', () => {
  async function count(taken: number): Promise<{ count: number; rounds: number }> {
    let rounds = 0;
    const sut = await countTakenSlots((slots) => {
      rounds++;
      return Promise.resolve(new Set(slots.filter((n) => n >= 0 && n < taken)));
    });
    return { count: sut, rounds };
  }

  it.each([0, 1, 2, 3, 4, 5, 31, 32, 33, 100, 1000, 4097, 123_456, 2 ** 31 + 7])(
    'counts %d taken slots',
    async (taken) => {
      expect((await count(taken)).count).toBe(taken);
    },
  );

  it('asks a bounded number of rounds', async () => {
    expect((await count(0)).rounds).toBe(1);
    expect((await count(3)).rounds).toBeLessThanOrEqual(2);
    expect((await count(1000)).rounds).toBeLessThanOrEqual(4);
    expect((await count(2 ** 31 + 7)).rounds).toBeLessThanOrEqual(9);
  });

  it('never asks about more than 41 slots at once', async () => {
    let widest = 0;
    await countTakenSlots((slots) => {
      widest = Math.max(widest, slots.length);
      return Promise.resolve(new Set(slots.filter((n) => n < 777)));
    });
    expect(widest).toBeLessThanOrEqual(41);
  });
});
