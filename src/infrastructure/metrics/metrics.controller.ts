import {
  Controller,
  Get,
  Header,
  Headers,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

/**
 * `GET /metrics`, for Prometheus. Closed unless METRICS_TOKEN is configured: without it the
 * route answers 404 like any unknown path; with it, a request without
 * `Authorization: Bearer <METRICS_TOKEN>` gets 401.
 */
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.METRICS_TOKEN;
    if (token === undefined) throw new NotFoundException('Cannot GET /metrics');
    if (!sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException('A metrics token is required.');
    }
    return this.metrics.render();
  }
}

/** Compares digests, so the time taken tells nothing of the token, not even its length. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
