import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SkipThrottle, type ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitedException } from '../../common/errors';
import { AuthRateLimited, isAuthRateLimited } from './auth-rate-limited.decorator';
import { GqlThrottlerGuard } from './gql-throttler.guard';

class Operations {
  read(): void {}
  @AuthRateLimited()
  signIn(): void {}
  @SkipThrottle()
  health(): void {}
}

/** Counts per key, in memory, as the real storage does (without its HMAC). */
class CountingStorage implements ThrottlerStorage {
  readonly calls: Array<{ key: string; name: string }> = [];
  private readonly hits = new Map<string, number>();
  increment(key: string, _ttl: number, limit: number, _block: number, name: string) {
    this.calls.push({ key, name });
    const totalHits = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, totalHits);
    const isBlocked = totalHits > limit;
    return Promise.resolve({
      totalHits,
      timeToExpire: 60,
      isBlocked,
      timeToBlockExpire: isBlocked ? 60 : 0,
    });
  }
}

function contextOf(handler: keyof Operations, ip: string | undefined): ExecutionContext {
  const req = { ip, headers: {} };
  const res = { header: jest.fn(), headersSent: false };
  return {
    getType: () => 'http',
    getHandler: () => Operations.prototype[handler],
    getClass: () => Operations,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

async function guardWith(storage: ThrottlerStorage, reflector: Reflector) {
  const sut = new GqlThrottlerGuard(
    {
      throttlers: [
        { name: 'default', ttl: 60_000, limit: 3 },
        { name: 'auth', ttl: 60_000, limit: 1, skipIf: (context) => !isAuthRateLimited(context) },
      ],
    },
    storage,
    reflector,
  );
  await sut.onModuleInit();
  return sut;
}

describe('GqlThrottlerGuard', () => {
  it('counts each budget per address and operation, and refuses past the limit', async () => {
    const storage = new CountingStorage();
    const sut = await guardWith(storage, new Reflector());
    for (let i = 0; i < 3; i += 1) await sut.canActivate(contextOf('read', '10.0.0.1'));
    await expect(sut.canActivate(contextOf('read', '10.0.0.1'))).rejects.toBeInstanceOf(
      RateLimitedException,
    );
    await expect(sut.canActivate(contextOf('read', '10.0.0.2'))).resolves.toBe(true);
    await sut.canActivate(contextOf('signIn', '10.0.0.2'));
    await expect(sut.canActivate(contextOf('signIn', '10.0.0.2'))).rejects.toMatchObject({
      details: { budget: 'auth' },
    });
    await sut.canActivate(contextOf('health', '10.0.0.3'));
    expect(storage.calls.map((call) => call.name)).toEqual([
      ...Array<string>(5).fill('default'),
      'default',
      'auth',
      'default',
      'auth',
    ]);
    expect(new Set(storage.calls.map((call) => call.key)).size).toBe(4);
    expect(storage.calls.some((call) => call.key.includes('health'))).toBe(false);
  });

  it('counts a request whose client hung up (no address left) instead of failing it', async () => {
    const storage = new CountingStorage();
    const sut = await guardWith(storage, new Reflector());
    await expect(sut.canActivate(contextOf('read', undefined))).resolves.toBe(true);
    await expect(sut.canActivate(contextOf('signIn', undefined))).resolves.toBe(true);
    expect(storage.calls).toHaveLength(3);
    expect(storage.calls.every((call) => call.key.endsWith('-gone'))).toBe(true);
  });

  it('reads an operation’s throttler metadata once, not on every request', async () => {
    const reflector = new Reflector();
    const lookups = jest.spyOn(reflector, 'getAllAndOverride');
    const sut = await guardWith(new CountingStorage(), reflector);
    await sut.canActivate(contextOf('signIn', '10.0.0.1'));
    const first = lookups.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    await sut.canActivate(contextOf('signIn', '10.0.0.2'));
    await sut.canActivate(contextOf('read', '10.0.0.2'));
    const afterRead = lookups.mock.calls.length;
    await sut.canActivate(contextOf('read', '10.0.0.3'));
    expect(lookups.mock.calls.length).toBe(afterRead);
    expect(afterRead).toBe(2 * first);
  });
});
