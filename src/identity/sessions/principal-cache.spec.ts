import type { Principal } from '../../infrastructure/auth/principal';
import { Role } from '../../infrastructure/auth/role';
import {
  CONTENT_STORE,
  IDENTITY_STORE,
  type StoreName,
} from '../../infrastructure/database/stores';
import type { Touched, TransactionRunner } from '../../infrastructure/database/transaction-runner';
import type { ClusterEvents, ClusterTopic } from '../../infrastructure/events/cluster-events';
import { IdentityWrites } from './identity-writes';
import { PRINCIPAL_CACHE_MS, PrincipalCache } from './principal-cache';

const principal = (): Principal => ({
  accountId: 'account',
  sessionId: 'hash',
  jurisdiction: 'US',
  roles: new Set([Role.MEMBER]),
});

const far = Date.now() + 86_400_000;

describe('PrincipalCache', () => {
  let commit: (store: StoreName, touched?: Touched | null) => void;
  let announced: ClusterTopic[];
  let heard: Map<ClusterTopic, (touched: Touched | null) => void>;
  let sut: PrincipalCache;

  beforeEach(async () => {
    announced = [];
    heard = new Map();
    const transactions = {
      onCommit: (listener: (store: StoreName, touched: Touched | null) => void) =>
        (commit = (store, touched = null) => listener(store, touched)),
    } as unknown as TransactionRunner;
    const cluster = {
      announce: (topic: ClusterTopic) => announced.push(topic),
      listen: (topic: ClusterTopic, listener: (touched: Touched | null) => void) => {
        heard.set(topic, listener);
        return Promise.resolve();
      },
      onReconnect: () => undefined,
    } as unknown as ClusterEvents;
    const writes = new IdentityWrites(transactions, cluster);
    sut = new PrincipalCache(writes);
    await writes.onModuleInit();
  });

  it('serves a session until its own expiry, not one millisecond after', () => {
    const now = Date.now();
    sut.set('hash', principal(), { readAt: now, expiresAt: now + 100, generation: sut.current });
    expect(sut.get('hash', now + 99)?.accountId).toBe('account');
    expect(sut.get('hash', now + 100)).toBeUndefined();
    expect(sut.get('hash', now)).toBeUndefined(); // dropped once seen expired
  });

  it('keeps a session at most PRINCIPAL_CACHE_MS after it was read', () => {
    const now = Date.now();
    sut.set('hash', principal(), { readAt: now, expiresAt: far, generation: sut.current });
    expect(sut.get('hash', now + PRINCIPAL_CACHE_MS - 1)).toBeDefined();
    expect(sut.get('hash', now + PRINCIPAL_CACHE_MS)).toBeUndefined();
  });

  it('drops everything on an identity commit and tells the other instances', () => {
    sut.set('hash', principal(), { readAt: Date.now(), expiresAt: far, generation: sut.current });
    commit(CONTENT_STORE);
    expect(sut.get('hash', Date.now())).toBeDefined();
    expect(announced).toEqual([]);
    // The outbox's bookkeeping declares that it touches nothing shown: kept, not announced.
    commit(IDENTITY_STORE, {});
    expect(sut.get('hash', Date.now())).toBeDefined();
    expect(announced).toEqual([]);
    commit(IDENTITY_STORE);
    expect(sut.get('hash', Date.now())).toBeUndefined();
    expect(announced).toEqual(['principals']);
  });

  it('drops everything when another instance announces an identity write', () => {
    sut.set('hash', principal(), { readAt: Date.now(), expiresAt: far, generation: sut.current });
    heard.get('principals')?.(null);
    expect(sut.get('hash', Date.now())).toBeUndefined();
  });

  it('does not keep a principal read across an identity commit', () => {
    const generation = sut.current;
    commit(IDENTITY_STORE); // e.g. a sign-out committed while the session was being read
    sut.set('hash', principal(), { readAt: Date.now(), expiresAt: far, generation });
    expect(sut.get('hash', Date.now())).toBeUndefined();
  });
});
