import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths of values that must never reach a log line, whatever object carries them. */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-uif-identity"]',
  '*.headers["x-uif-identity"]',
];

export interface LoggerSettings {
  name: string;
  level?: string;
  /**
   * Human-readable lines on a terminal (or with LOG_FORMAT=pretty, which `pnpm start` sets for its
   * children when it runs on one); JSON lines otherwise, and always under CI.
   */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export function createLogger({ name, level = 'info', pretty, destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (destination) return pino(options, destination as pino.DestinationStream);
  if (pretty ?? (!process.env.CI && (process.env.LOG_FORMAT === 'pretty' || process.stdout.isTTY))) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(options);
}
