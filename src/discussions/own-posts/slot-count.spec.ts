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

  describe('with a hint', () => {
    async function counted(taken: number, hint: number) {
      const asked: number[][] = [];
      const sut = await countTakenSlots((slots) => {
        asked.push([...slots]);
        return Promise.resolve(new Set(slots.filter((n) => n >= 0 && n < taken)));
      }, hint);
      return { count: sut, rounds: asked.length, asked };
    }

    it.each([
      [0, 0],
      [5, 5],
      [7, 5],
      [3, 5],
      [0, 9],
      [1000, 2],
      [40, 41],
    ])('counts %d taken slots from the hint %d', async (taken, hint) => {
      expect((await counted(taken, hint)).count).toBe(taken);
    });

    it('settles in one round of four slots when the count is at the hint or just above', async () => {
      expect(await counted(5, 5)).toMatchObject({ count: 5, rounds: 1, asked: [[4, 5, 6, 7]] });
      expect(await counted(7, 5)).toMatchObject({ count: 7, rounds: 1 });
      expect(await counted(0, 0)).toMatchObject({ count: 0, rounds: 1, asked: [[0, 1, 2]] });
    });

    it('counts afresh when the hint is too high or far too low', async () => {
      expect((await counted(3, 5)).rounds).toBeGreaterThan(1);
      expect((await counted(1000, 2)).rounds).toBeGreaterThan(1);
    });
  });
});
