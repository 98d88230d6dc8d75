import type { AttributeMapping, MappedUser } from './attribute-mapping.js';
import { mapProviderUser } from './mapping.js';
import { compileSourcePath, type SourceReader } from './source-path.js';
import { CompiledTransform, shortened, transformKey, type TransformedValue } from './transform.js';

/** Every (path, transform) pair of a mapping: its entries' and its status's. */
function transformedPaths(mapping: AttributeMapping): { path: string; transform: string }[] {
  const pairs = mapping.entries.flatMap(({ sourcePath, transform }) =>
    transform ? [{ path: sourcePath, transform }] : [],
  );
  if (mapping.statusPath && mapping.statusTransform)
    pairs.push({ path: mapping.statusPath, transform: mapping.statusTransform });
  return pairs;
}

/**
 * A mapping's transforms, compiled once (when a job starts, or a preview is asked for). Maps users
 * with mapProviderUser; only the entries with a transform cost an evaluation.
 */
export class MappingTransforms {
  private readonly compiled: Map<string, { path: string; read: SourceReader; transform: CompiledTransform }>;

  constructor(private readonly mapping: AttributeMapping) {
    this.compiled = new Map(
      transformedPaths(mapping).map(({ path, transform }) => [
        transformKey(path, transform),
        { path, read: compileSourcePath(path), transform: new CompiledTransform(transform) },
      ]),
    );
  }

  /** One provider user mapped, its transforms applied; a transform that fails fails this user alone. */
  async map(user: unknown): Promise<MappedUser> {
    if (this.compiled.size === 0) return mapProviderUser(user, this.mapping);
    const values = new Map<string, TransformedValue>();
    for (const [key, { path, read, transform }] of this.compiled) {
      const found = read(user);
      const result: TransformedValue =
        found.error !== undefined ? { error: found.error } : await transform.evaluate(found.value);
      values.set(
        key,
        result.error === undefined
          ? result
          : { error: `the transform of ${path} (${shortened(transform.source)}) ${result.error}` },
      );
    }
    return mapProviderUser(user, this.mapping, values);
  }
}
