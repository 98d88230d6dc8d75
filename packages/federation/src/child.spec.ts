import { describe, expect, it } from 'vitest';
import { serviceNodeArgs } from './child.js';

describe('serviceNodeArgs', () => {
  it('gives the import service a heap that grows with the jobs it runs at once, and no other service a limit', () => {
    expect(serviceNodeArgs('import', {})).toEqual(['--max-old-space-size=256']);
    expect(serviceNodeArgs('import', { IMPORT_CONCURRENCY: '6' })).toEqual(['--max-old-space-size=512']);
    expect(serviceNodeArgs('directory', { IMPORT_CONCURRENCY: '6' })).toEqual([]);
  });
});
