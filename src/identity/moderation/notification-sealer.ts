import { Injectable } from '@nestjs/common';
import { KeyRing } from '../../infrastructure/crypto/key-ring';
import { openBox, sealBox } from '../sealing/sealed-box';

/** What a notification says, sealed together in its payload. */
export interface NotificationContent {
  message: string;
  contentId: string | null;
  /** The exact time it was written (the row keeps only the hour). */
  at: Date;
  /** How many events it stands for (coalesced activity on a followed thread); 1 when absent. */
  count?: number;
  /** What it is about (a NotificationKind); rows written before kinds were sealed keep it in clear. */
  kind?: string;
}

interface PayloadV1 {
  m: string;
  c: string | null;
  t: number;
  n?: number;
  k?: string;
}

/**
 * Seals a notification's kind, message, content id and exact time with AES-256-GCM under the
 * `notification` key and a fresh nonce, bound (as associated data) to the notification's id
 * and account: two notifications with the same text have unrelated payloads, and a payload
 * copied onto another row or account no longer opens. During a key rotation payloads sealed
 * under the previous secret still open.
 */
@Injectable()
export class NotificationSealer {
  constructor(private readonly keys: KeyRing) {}

  seal(notificationId: string, accountId: string, content: NotificationContent): string {
    const payload: PayloadV1 = {
      m: content.message,
      c: content.contentId,
      t: content.at.getTime(),
      ...(content.count === undefined || content.count === 1 ? {} : { n: content.count }),
      ...(content.kind === undefined ? {} : { k: content.kind }),
    };
    return sealBox(
      this.keys.key('notification'),
      aad(notificationId, accountId),
      JSON.stringify(payload),
    );
  }

  /** The content, or null when the payload does not open for this row (tampered, moved, old key gone). */
  open(notificationId: string, accountId: string, payload: string): NotificationContent | null {
    const text = openBox(this.keys.keys('notification'), aad(notificationId, accountId), payload);
    if (text === null) return null;
    const parsed = JSON.parse(text) as PayloadV1;
    return {
      message: parsed.m,
      contentId: parsed.c,
      at: new Date(parsed.t),
      ...(parsed.n === undefined ? {} : { count: parsed.n }),
      ...(parsed.k === undefined ? {} : { kind: parsed.k }),
    };
  }
}

function aad(notificationId: string, accountId: string): string {
  return `workplace-forum/notification/v1\0${notificationId}\0${accountId}`;
}
