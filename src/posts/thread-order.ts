import { registerEnumType } from '@nestjs/graphql';

export enum ThreadOrder {
  NEW = 'NEW',
  TOP = 'TOP',
  HOT = 'HOT',
}
registerEnumType(ThreadOrder, {
  name: 'ThreadOrder',
  description: 'The order of a feed of threads.',
  valuesMap: {
    NEW: { description: 'Newest first.' },
    TOP: { description: 'Highest score first, within `window` (default: all time).' },
    HOT: { description: 'Score decayed by age (docs/discussions.md).' },
  },
});

export enum TopWindow {
  DAY = 'DAY',
  WEEK = 'WEEK',
  ALL = 'ALL',
}
/** The descriptions of the DAY and WEEK windows (TOP's and trending's). */
export const DAY_AND_WEEK = {
  DAY: { description: 'Threads of the last 24 hours.' },
  WEEK: { description: 'Threads of the last 7 days.' },
} as const;
registerEnumType(TopWindow, {
  name: 'TopWindow',
  description: 'How far back a TOP feed looks.',
  valuesMap: { ...DAY_AND_WEEK, ALL: { description: 'All threads.' } },
});

export const TOP_WINDOW_MS: Record<TopWindow, number | null> = {
  [TopWindow.DAY]: 86_400_000,
  [TopWindow.WEEK]: 7 * 86_400_000,
  [TopWindow.ALL]: null,
};
