export interface SchemaFieldInfo {
  path: string;
  type: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
  example: unknown;
}

function typeOf(value: unknown): SchemaFieldInfo['type'] {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : (typeof value as 'string' | 'number' | 'boolean');
}

function segment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `['${key.replace(/'/g, "\\'")}']`;
}

/**
 * Every leaf field of the sample users as a JSONPath a mapping can use ($.a.b, $.list[*].c), with
 * its type and the first non-null example; empty objects and arrays count as leaves.
 */
export function leafFields(users: unknown[]): SchemaFieldInfo[] {
  const fields = new Map<string, SchemaFieldInfo>();
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value) && value.length > 0) {
      for (const item of value) visit(item, `${path}[*]`);
      return;
    }
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0
    ) {
      for (const [key, child] of Object.entries(value)) visit(child, `${path}${segment(key)}`);
      return;
    }
    const known = fields.get(path);
    if (!known || (known.type === 'null' && typeOf(value) !== 'null')) {
      fields.set(path, { path, type: typeOf(value), example: value ?? null });
    }
  };
  for (const user of users) if (user !== null && typeof user === 'object') visit(user, '$');
  return [...fields.values()];
}
