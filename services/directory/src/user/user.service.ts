import { checkPageSize, decodeCursor, toPage, type PageInfo } from '@uif/subgraph';
import {
  attributeFingerprinter,
  linkedUsersRequestSchema,
  userMatchRequestSchema,
  type LinkedUser,
  type UserMatch,
} from '@uif/directory-client';
import { findIn } from '@uif/database';
import { Brackets, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { UserLink } from './user-link.entity.js';
import { User } from './user.entity.js';
import { UserState, type UserFilter } from './user.types.js';

export interface UserPage {
  totalCount: number;
  nodes: User[];
  pageInfo: PageInfo;
}

const SEARCHED_COLUMNS = ['email', 'username', 'firstname', 'lastname', 'displayname'];

/** Escapes LIKE wildcards (with `!`, which both dialects take as is) so "a_b" finds exactly that. */
function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export class UserService {
  constructor(private readonly dataSource: DataSource) {}

  private filtered(organizationId: string, filter: UserFilter | undefined): SelectQueryBuilder<User> {
    const query = this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .where('user.organizationId = :organizationId', { organizationId });
    if (filter?.state) query.andWhere('user.state = :state', { state: filter.state });
    if (filter?.department)
      query.andWhere('user.department = :department', { department: filter.department });
    if (filter?.importedFromConnectorId) {
      query.andWhere('user.importedFromConnectorId = :connectorId', {
        connectorId: filter.importedFromConnectorId,
      });
    }
    const search = filter?.search?.trim();
    if (search) {
      const pattern = likePattern(search);
      query.andWhere(
        new Brackets((any) => {
          for (const column of SEARCHED_COLUMNS) {
            any.orWhere(`LOWER(user.${column}) LIKE :pattern ESCAPE '!'`, { pattern });
          }
        }),
      );
    }
    return query;
  }

  /** One page in creation order (ids are time-ordered), with the total of the whole filter. */
  async list(
    organizationId: string,
    filter: UserFilter | undefined,
    first: number,
    after?: string | null,
  ): Promise<UserPage> {
    checkPageSize(first);
    const totalCount = await this.filtered(organizationId, filter).getCount();
    const page = this.filtered(organizationId, filter)
      .orderBy('user.id', 'ASC')
      .take(first + 1);
    if (after) page.andWhere('user.id > :after', { after: decodeCursor(after) });
    const rows = first === 0 ? [] : await page.getMany();
    return { totalCount, ...toPage(rows, first, (user) => user.id) };
  }

  /** The ACTIVE users linked to a connector, with the provider's id for each. */
  async activeLinked(input: unknown): Promise<LinkedUser[]> {
    const { organizationId, connectorId } = linkedUsersRequestSchema.parse(input);
    return this.dataSource
      .getRepository(UserLink)
      .createQueryBuilder('link')
      .innerJoin(User, 'user', 'user.id = link.userId AND user.organizationId = link.organizationId')
      .select(['link.externalId AS externalId', 'link.userId AS userId'])
      .where('link.organizationId = :organizationId AND link.connectorId = :connectorId', {
        organizationId,
        connectorId,
      })
      .andWhere('user.state = :active', { active: UserState.ACTIVE })
      .getRawMany<LinkedUser>();
  }

  /**
   * The directory user each provider user is: the one linked to (connector, externalId) first, else
   * the one with that email (case-insensitively), else null. Linked users are read by id and only
   * the others by email, each through its own index: a re-import of linked users reads no email.
   */
  async match(input: unknown): Promise<(UserMatch | null)[]> {
    const { organizationId, connectorId, candidates, fingerprintOf } = userMatchRequestSchema.parse(input);
    if (candidates.length === 0) return [];
    const links = await findIn(
      this.dataSource.getRepository(UserLink),
      { organizationId, connectorId },
      'externalId',
      candidates.map((c) => c.externalId),
      ['externalId', 'userId'],
    );
    const linked = new Map(links.map((link) => [link.externalId, link.userId]));
    // Only what a match answers is read: no entity carries the whole row.
    const columns = [...new Set<keyof User & string>(['id', 'state', 'email', ...(fingerprintOf ?? [])])];
    const users = this.dataSource.getRepository(User);
    const byId = new Map(
      (await findIn(users, { organizationId }, 'id', [...new Set(linked.values())], columns)).map((user) => [
        user.id,
        user,
      ]),
    );
    const emails = candidates.flatMap(({ externalId, email }) =>
      email && !byId.has(linked.get(externalId) ?? '') ? [email.trim().toLowerCase()] : [],
    );
    const byEmail = new Map(
      (await findIn(users, { organizationId }, 'email', [...new Set(emails)], columns)).map((user) => [
        user.email,
        user,
      ]),
    );
    const fingerprint = fingerprintOf && attributeFingerprinter(fingerprintOf);
    return candidates.map(({ externalId, email }): UserMatch | null => {
      const viaLink = byId.get(linked.get(externalId) ?? '');
      const user = viaLink ?? (email ? byEmail.get(email.trim().toLowerCase()) : undefined);
      if (!user) return null;
      const match: UserMatch = { userId: user.id, state: user.state, matchedBy: viaLink ? 'link' : 'email' };
      return fingerprint ? { ...match, fingerprint: fingerprint(user) } : match;
    });
  }
}
