import { describe, expect, it } from 'vitest';
import { leafFields } from './schema-fields.js';

describe('leafFields', () => {
  it('lists nested leaves as JSONPath with their type and a non-null example', () => {
    const users = [
      {
        id: 7,
        attributes: { email: { value: null } },
        tags: ['a', 'b'],
        'first-name': 'Ada',
        active: true,
        extra: {},
      },
      { id: 8, attributes: { email: { value: 'b@x.io' } }, phones: [{ kind: 'work', number: '1' }] },
    ];
    expect(leafFields(users)).toEqual([
      { path: '$.id', type: 'number', example: 7 },
      { path: '$.attributes.email.value', type: 'string', example: 'b@x.io' },
      { path: '$.tags[*]', type: 'string', example: 'a' },
      { path: "$['first-name']", type: 'string', example: 'Ada' },
      { path: '$.active', type: 'boolean', example: true },
      { path: '$.extra', type: 'object', example: {} },
      { path: '$.phones[*].kind', type: 'string', example: 'work' },
      { path: '$.phones[*].number', type: 'string', example: '1' },
    ]);
  });
});
