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

  constructor(private readonly config: AppConfig) {
    this.transport = config.SMTP_URL === undefined ? undefined : createTransport(config.SMTP_URL);
  }

  async send(message: MailMessage): Promise<void> {
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
