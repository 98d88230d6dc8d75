import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNEXPECTED_LOG_ENV } from '@uif/testing';
import type { Reporter, TestModule } from 'vitest/node';

/** How many of the newest unexpected failures a failed run repeats at its end. */
const UNEXPECTED_SHOWN = 40;

/**
 * Ends the run with the plain "N passed, N failed" line that CI reads whatever the runner, and, when
 * a test failed, with the unexpected errors the services logged meanwhile: often the failure's cause.
 */
export default class SummaryReporter implements Reporter {
  private readonly folder = mkdtempSync(join(tmpdir(), 'uif-test-run-'));
  private readonly unexpectedLog = join(this.folder, 'unexpected.log');

  onInit(): void {
    // Set before the test processes start, so each of them inherits it.
    process.env[UNEXPECTED_LOG_ENV] = this.unexpectedLog;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed' || state === 'failed') counts[state] += 1;
        else counts.skipped += 1;
      }
    }
    if (counts.failed > 0) this.printUnexpected();
    rmSync(this.folder, { recursive: true, force: true });
    process.stdout.write(
      `\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }

  private printUnexpected(): void {
    let lines: string[];
    try {
      lines = readFileSync(this.unexpectedLog, 'utf8').split('\n').filter(Boolean);
    } catch {
      return; // nothing unexpected was logged
    }
    process.stdout.write(
      `\nUnexpected errors the services logged during this run (the newest ${UNEXPECTED_SHOWN}):\n` +
        lines.slice(-UNEXPECTED_SHOWN).join('\n') +
        '\n',
    );
  }
}
