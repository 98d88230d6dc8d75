import { createLogger, type Logger } from './logger.js';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Runs an app's entry point: starts it, stops it cleanly on SIGTERM/SIGINT, and turns a failed
 * start into one clear line on stderr and exit code 1.
 */
export async function runService(
  name: string,
  level: string,
  start: (log: Logger) => Promise<Stoppable>,
): Promise<void> {
  const log = createLogger({ name, level });
  let running: Stoppable;
  try {
    running = await start(log);
  } catch (error) {
    log.debug({ err: error }, 'start-up failed');
    process.stderr.write(
      `${name} could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${name} stopping`);
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'clean shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
