/** A failure told to a REST client as JSON `{ message, fields? }` with its HTTP status. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(fields.length ? `${fields.join(', ')}: ${message}` : message);
    this.name = 'RestError';
  }

  toJSON(): { message: string; fields?: string[] } {
    return this.fields.length ? { message: this.message, fields: this.fields } : { message: this.message };
  }
}
