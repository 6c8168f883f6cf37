import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Outgoing mail through nodemailer. With SMTP_URL it talks to that server; without it (only
 * allowed outside production) the message, code included, is written to the log so a
 * developer can sign up locally. Sending is fire-and-forget from the caller's point of view
 * (see EmailCodeService): failures are logged without the address.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly logger = new Logger(MailService.name);
  private readonly transport: Transporter | undefined;
  private diverted: ((message: MailMessage) => void) | undefined;

  constructor(private readonly config: AppConfig) {
    this.transport = config.SMTP_URL === undefined ? undefined : createTransport(config.SMTP_URL);
  }

  /**
   * Hands every message to `recipient` instead of SMTP or the log: the demo seeder signs its
   * invented members up with the codes it is sent. Refused in production.
   */
  divert(recipient: (message: MailMessage) => void): void {
    if (this.config.isProduction) throw new Error('Mail cannot be diverted in production');
    this.diverted = recipient;
  }

  async send(message: MailMessage): Promise<void> {
    if (this.diverted !== undefined) {
      this.diverted(message);
      return;
    }
    if (this.transport === undefined) {
      // Development only (AppConfig refuses production without SMTP_URL).
      this.logger.warn({
        msg: 'Mail not sent (no SMTP_URL); development copy follows',
        mail: message,
      });
      return;
    }
    await this.transport.sendMail({ from: this.config.MAIL_FROM, ...message });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
