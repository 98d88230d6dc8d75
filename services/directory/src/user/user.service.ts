import { checkPageSize, decodeCursor, toPage, type PageInfo } from '@uif/subgraph';
import { Brackets, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { User } from './user.entity.js';
import type { UserFilter } from './user.types.js';

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
}
