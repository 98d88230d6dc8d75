import { describe, expect, it } from 'vitest';
import { paginate, type PagePosition } from './pages.js';

const people = Array.from({ length: 23 }, (_, i) => ({ id: i + 1 }));

/** A page source over `people` that records the offsets asked for and how many were in flight at once. */
function source(options: { total?: boolean; ignoreLimit?: boolean } = {}) {
  const asked: number[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const fetchPage = async ({ offset }: PagePosition) => {
    asked.push(offset);
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    const users = options.ignoreLimit ? people.slice(offset) : people.slice(offset, offset + 10);
    return { offset, users, total: options.total === false ? null : people.length, warnings: [] };
  };
  return { fetchPage, asked, mostInFlight: () => mostInFlight };
}

async function all(pages: AsyncIterable<{ users: unknown[] }>) {
  const users: unknown[] = [];
  for await (const page of pages) users.push(...page.users);
  return users;
}

describe('paginate with several requests in flight', () => {
  it('reads ahead in parallel, keeps the order, and asks nothing past the total', async () => {
    const { fetchPage, asked, mostInFlight } = source();
    expect(await all(paginate(fetchPage, { pageSize: 10, offsetParam: 'offset' }, 100, 3))).toEqual(people);
    expect(asked).toEqual([0, 10, 20]);
    expect(mostInFlight()).toBe(2);
  });

  it('without a total, stops at the short page and ignores the pages asked ahead of it', async () => {
    const { fetchPage } = source({ total: false });
    expect(await all(paginate(fetchPage, { pageSize: 10, offsetParam: 'offset' }, 100, 4))).toEqual(people);
  });

  it('starts over from the right offset when a provider sends more than asked', async () => {
    const { fetchPage, asked } = source({ ignoreLimit: true, total: false });
    expect(await all(paginate(fetchPage, { pageSize: 10, offsetParam: 'offset' }, 100, 3))).toEqual(people);
    expect(asked.slice(0, 1)).toEqual([0]);
  });
});

describe('paginate and a provider that ignores its paging parameter', () => {
  it('reads on past pages that start with the same user but go on differently (one pinned to each)', async () => {
    const pinned = { id: 0 };
    const fetchPage = async ({ offset }: PagePosition) => ({
      offset,
      users: offset < 30 ? [pinned, ...people.slice(offset, offset + 9)] : [],
      total: null,
      warnings: [],
    });
    const pages = [];
    for await (const page of paginate(fetchPage, { pageSize: 10, offsetParam: 'offset' })) pages.push(page);

    expect(pages.map((page) => page.users.length)).toEqual([10, 10, 4]);
    expect(pages.flatMap((page) => page.warnings)).toEqual([]);
  });
});

describe('paginate and failures of pages asked ahead', () => {
  it('raises a failure when its page is reached, and never as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const fetchPage = async ({ offset }: PagePosition) => {
        if (offset >= 10) throw new Error(`page at ${offset} failed`);
        return { offset, users: people.slice(0, 10), total: null, warnings: [] };
      };
      const pages = paginate(fetchPage, { pageSize: 10, offsetParam: 'offset' }, 100, 3);
      expect((await pages.next()).value?.users).toHaveLength(10);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(pages.next()).rejects.toThrow('page at 10 failed');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
