import {
  userAttributesSchema,
  type Address,
  type PhoneNumber,
  type UserAttributes,
} from '@uif/directory-client';
import { ATTRIBUTE_TARGETS } from './attributes.js';
import {
  MAX_EXTERNAL_ID,
  type AttributeMapping,
  type MappedUser,
  type StatusClass,
} from './attribute-mapping.js';
import { compileSourcePath, type SourceReader } from './source-path.js';
import { transformKey, type TransformedValues } from './transform.js';

/**
 * A UTF-16 surrogate without its pair. UTF-8 cannot hold one: the database stores U+FFFD instead, so
 * two ids or usernames differing only there would be one duplicate key (failing a whole batch), and a
 * stored value would never equal the mapped one (an update on every import).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Scalars become text (numeric ids too), as the directory stores it; objects and arrays are an error. */
function asText(value: unknown, path: string): { text?: string | null; error?: string } {
  if (value === undefined || value === null) return { text: null };
  if (typeof value === 'string') return { text: value.trim().replace(LONE_SURROGATE, '\uFFFD') };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
  return { error: `${path} is ${Array.isArray(value) ? 'an array' : 'an object'}, not a text value` };
}

export function classifyStatus(
  status: string | null,
  mapping: Pick<AttributeMapping, 'statusPath' | 'inactiveStatuses' | 'activeStatuses'>,
): StatusClass {
  if (mapping.statusPath === null) return 'active';
  if (status === null) return 'unknown';
  const normalized = status.trim().toLowerCase();
  if (mapping.inactiveStatuses.some((s) => s.trim().toLowerCase() === normalized)) return 'inactive';
  if (mapping.activeStatuses.some((s) => s.trim().toLowerCase() === normalized)) return 'active';
  // A yes/no flag (SCIM's `active`, an HR system's is_active) means what it says unless the lists
  // name it: a mapping saved with the default statuses (Leave, Inactive…) must not strand every user.
  if (normalized === 'true') return 'active';
  if (normalized === 'false') return 'inactive';
  return 'unknown';
}

/** Each mapping's paths, compiled the first time a user is mapped with it: an import maps thousands. */
const compiledPaths = new WeakMap<AttributeMapping, Map<string, SourceReader>>();

function readerOf(mapping: AttributeMapping, path: string): SourceReader {
  let readers = compiledPaths.get(mapping);
  if (!readers) compiledPaths.set(mapping, (readers = new Map()));
  let reader = readers.get(path);
  if (!reader) readers.set(path, (reader = compileSourcePath(path)));
  return reader;
}

/**
 * Turns one provider user into directory attributes, with every reason it could not be imported.
 * A mapping with transforms is mapped by MappingTransforms, which evaluates them into `transformed`.
 */
export function mapProviderUser(
  user: unknown,
  mapping: AttributeMapping,
  transformed?: TransformedValues,
): MappedUser {
  const errors: string[] = [];
  const read = (path: string, transform?: string | null): string | null => {
    const { value, error } = transform
      ? (transformed?.get(transformKey(path, transform)) ?? { error: `${path}: its transform was not run` })
      : readerOf(mapping, path)(user);
    const { text, error: typeError } = error ? { error } : asText(value, path);
    if (error ?? typeError) errors.push((error ?? typeError)!);
    return text ?? null;
  };

  const externalId = read(mapping.externalIdPath);
  if (!externalId) errors.push(`externalId: nothing at ${mapping.externalIdPath}`);
  else if (externalId.length > MAX_EXTERNAL_ID)
    errors.push(`externalId: longer than ${MAX_EXTERNAL_ID} characters`);
  const status = mapping.statusPath ? read(mapping.statusPath, mapping.statusTransform) : null;

  const scalars: Record<string, string | null> = {};
  const addresses = new Map<Address['type'], Address>();
  const phones: PhoneNumber[] = [];
  for (const { target, sourcePath, transform } of mapping.entries) {
    const text = read(sourcePath, transform);
    const where = ATTRIBUTE_TARGETS[target];
    if (where.kind === 'scalar') scalars[where.name] = text;
    else if (text === null || text === '') continue;
    else if (where.kind === 'phone') phones.push({ type: where.type, number: text });
    else {
      const entry = addresses.get(where.type) ?? { type: where.type };
      addresses.set(where.type, { ...entry, [where.field]: text });
    }
  }
  // Lists only when the mapping has targets in them: an update must not clear what it does not map.
  const targets = mapping.entries.map((entry) => ATTRIBUTE_TARGETS[entry.target].kind);
  const attributes: Partial<UserAttributes> = {
    ...scalars,
    ...(targets.includes('address') ? { addresses: [...addresses.values()] } : {}),
    ...(targets.includes('phone') ? { phoneNumbers: phones } : {}),
  };
  const checked = userAttributesSchema.safeParse(attributes);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const name = issue.path.map(String).join('.');
      const value = issue.path.reduce<unknown>(
        (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k],
        attributes,
      );
      errors.push(
        value === undefined || value === null || value === ''
          ? `${name}: is required`
          : `${name}: ${issue.message}`,
      );
    }
  }
  return { externalId, attributes, status, statusClass: classifyStatus(status, mapping), errors };
}
