import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMessage {
  envelopeTo: string[];
  mail: ParsedMail;
}

export interface SmtpMailboxOptions {
  /** Accepted logins (username → password); without, no login is needed. */
  logins?: Record<string, string>;
  /** Recipients the server refuses. */
  refuses?: (address: string) => boolean;
}

/** A real SMTP server (smtp-server from the npm registry) on 127.0.0.1 that keeps every message, parsed. */
export async function startSmtpMailbox(options: SmtpMailboxOptions = {}) {
  const received: ReceivedMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.logins?.[auth.username ?? ''] === auth.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      callback(options.refuses?.(address.address) ? new Error('Mailbox unavailable') : null);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpMailbox = Awaited<ReturnType<typeof startSmtpMailbox>>;
