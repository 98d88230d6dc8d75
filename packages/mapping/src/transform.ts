import jsonata from 'jsonata';
import { LinearRegExp, regexProblem } from './linear-regexp.js';

/** Longest one evaluation may run: transforms run once per user, so a slow one holds the whole import. */
export const TRANSFORM_TIME_LIMIT_MS = 100;
/** Deepest nesting of one evaluation (a function that calls itself without end stops here). */
export const TRANSFORM_MAX_DEPTH = 300;
/**
 * After this many users in a row whose evaluation ran too long, the expression is not run again in
 * the job: one that never ends would cost the limit for every user. In a row, so that a pause of a
 * busy process (a garbage collection) now and then does not switch a sound expression off.
 */
const MAX_TIMEOUTS = 3;
const TIMEOUT_CODE = 'D1012';

/** A source value after its transform, or why the transform failed. */
export interface TransformedValue {
  value?: unknown;
  error?: string;
}

/** Transformed values of one user, by transformKey(sourcePath, transform). */
export type TransformedValues = ReadonlyMap<string, TransformedValue>;

export const transformKey = (sourcePath: string, transform: string): string => `${sourcePath}\n${transform}`;

interface JsonataError {
  code?: string;
  message?: string;
  position?: number;
}

/** How much of an expression or a message a reason quotes: a result row stays short. */
const QUOTE = 120;
/** `text`, cut at QUOTE characters: how a transform's reasons quote an expression or a message. */
export const shortened = (text: string) => (text.length > QUOTE ? `${text.slice(0, QUOTE)}…` : text);

function describeError(error: unknown): string {
  const { message, position } = error as JsonataError;
  const text = shortened(typeof message === 'string' ? message : String(error));
  return position === undefined ? text : `${text} (at character ${position})`;
}

/** Why `expression` is not a JSONata expression that can be used, or null. */
export function transformProblem(expression: string): string | null {
  if (expression.trim() === '') return 'must not be empty';
  let tree: unknown;
  try {
    tree = jsonata(expression).ast();
  } catch (error) {
    return `is not a valid JSONata expression: ${describeError(error)}`;
  }
  const problem = regexProblem(tree);
  return problem ? shortened(problem) : null;
}

/** A JSONata expression compiled once, evaluated with bounds on time and depth. */
export class CompiledTransform {
  private readonly expression: jsonata.Expression | null = null;
  /** Why it does not compile (a mapping saved before it was checked): each user fails with it. */
  private readonly problem: string | null = null;
  private timeouts = 0;

  constructor(readonly source: string) {
    try {
      this.expression = jsonata(source, {
        timeout: TRANSFORM_TIME_LIMIT_MS,
        stack: TRANSFORM_MAX_DEPTH,
        RegexEngine: LinearRegExp as unknown as RegExpConstructor,
      });
    } catch (error) {
      this.problem = `is not a valid JSONata expression: ${describeError(error)}`;
    }
  }

  /** The transformed value, or why it could not be had: never throws. */
  async evaluate(value: unknown): Promise<TransformedValue> {
    if (!this.expression) return { error: this.problem! };
    if (this.timeouts >= MAX_TIMEOUTS) {
      return {
        error: `ran longer than ${TRANSFORM_TIME_LIMIT_MS} ms for ${MAX_TIMEOUTS} users in a row, so it is not run again in this import`,
      };
    }
    try {
      const result = { value: await this.expression.evaluate(value) };
      this.timeouts = 0;
      return result;
    } catch (error) {
      if ((error as JsonataError).code === TIMEOUT_CODE) {
        this.timeouts += 1;
        return { error: `ran longer than ${TRANSFORM_TIME_LIMIT_MS} ms` };
      }
      return { error: `failed: ${describeError(error)}` };
    }
  }
}
