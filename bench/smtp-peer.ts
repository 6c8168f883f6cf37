import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives, so tests and
 * benchmarks read email codes from actual messages sent by the application over SMTP.
 */
export class SmtpPeer {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Runs `trigger` (which should mail `address` a code) and returns the code from the mail received. */
  async captureCode(
    address: string,
    trigger: () => Promise<unknown>,
    timeoutMs = 5000,
  ): Promise<string> {
    const mine = (): ReceivedMail[] =>
      this.received.filter((m) => m.to.includes(address.toLowerCase()));
    const before = mine().length;
    await trigger();
    const deadline = Date.now() + timeoutMs;
    while (mine().length <= before) {
      if (Date.now() > deadline) throw new Error(`No mail reached ${address}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const code = /code is (\d{6})/.exec(mine()[before].raw)?.[1];
    if (code === undefined) throw new Error(`The mail to ${address} has no code`);
    return code;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server === undefined ? resolve() : this.server.close(() => resolve()),
    );
  }
}
