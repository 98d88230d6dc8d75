import { EMPLOYEE_MAPPING, employee, type HrProviderOptions } from '@uif/testing';

/**
 * What the bench imports: the provider's users, how the connector lists and maps them, and each
 * user as the floor writes it (directory column → value).
 */
export interface Workload {
  /** Said in the results. */
  description: string;
  users: unknown[];
  provider: Pick<HrProviderOptions, 'resourcePath' | 'total'>;
  /** The connector's list-users endpoint (path, where users and the total are, paging); absent: our HR provider's. */
  listUsers?: (pageSize: number) => Record<string, unknown>;
  mapping: object;
  floorRow: (index: number) => Record<string, string>;
}

const DEPARTMENTS = ['Sales', 'Engineering', 'Ops', 'Finance'];

/** Our flat HR provider's employees: seven fields, five mapped. */
function flat(count: number): Workload {
  const people = Array.from({ length: count }, (_, i) => employee(i + 1, { department: DEPARTMENTS[i % 4] }));
  return {
    description: 'flat users, 5 mapped fields',
    users: people,
    provider: { total: { header: 'X-Total-Count' } },
    mapping: EMPLOYEE_MAPPING,
    floorRow: (i) => {
      const p = people[i]!;
      return {
        email: p.email,
        username: p.login,
        usernameKey: p.login,
        firstname: p.first,
        lastname: p.last,
        department: p.department,
      };
    },
  };
}

const attribute = (label: string, value: unknown) => ({ label, value });
const named = (type: string, id: number, name: string) => ({ type, attributes: { id, name } });

/** An employee as Personio's API lists one: every attribute a {label, value} pair, some nested. */
function personioEmployee(n: number) {
  return {
    type: 'Employee',
    attributes: {
      id: attribute('ID', 1000 + n),
      first_name: attribute('First name', `First${n}`),
      last_name: attribute('Last name', `Last${n}`),
      preferred_name: attribute('Preferred name', `F. Last${n}`),
      email: attribute('Email', `Worker${n}@Acme.example`),
      gender: attribute('Gender', 'diverse'),
      status: attribute('Status', 'active'),
      position: attribute('Position', 'Engineer'),
      employment_type: attribute('Employment type', 'internal'),
      hire_date: attribute('Hire date', '2020-01-01T00:00:00+01:00'),
      weekly_working_hours: attribute('Weekly hours', '40'),
      department: attribute('Department', named('Department', n % 4, DEPARTMENTS[n % 4]!)),
      office: attribute('Office', named('Office', 1, 'Berlin')),
      subcompany: attribute('Subcompany', named('Subcompany', 1, 'Acme GmbH')),
      cost_centers: attribute('Cost center', [
        { type: 'CostCenter', attributes: { id: 7, name: 'CC-7', percentage: 100 } },
      ]),
    },
  };
}

/** Personio-shaped employees in `{ success, metadata, data }`, nine attributes mapped. */
function personio(count: number): Workload {
  const people = Array.from({ length: count }, (_, i) => personioEmployee(i + 1));
  const at = (name: string) => `$.attributes.${name}.value`;
  return {
    description: 'Personio-shaped users ({label, value} attributes), 9 mapped fields',
    users: people,
    provider: { resourcePath: ['data'], total: { bodyPath: ['metadata', 'total_elements'] } },
    listUsers: (pageSize) => ({
      path: '/company/employees',
      resourceLocation: 'data',
      totalCountSource: 'BODY',
      totalCountLocation: 'metadata.total_elements',
      limitParam: 'limit',
      offsetParam: 'offset',
      pageSize,
    }),
    mapping: {
      entries: [
        { target: 'EMAIL', sourcePath: at('email') },
        { target: 'USERNAME', sourcePath: at('email') },
        { target: 'FIRSTNAME', sourcePath: at('first_name') },
        { target: 'LASTNAME', sourcePath: at('last_name') },
        { target: 'DISPLAYNAME', sourcePath: at('preferred_name') },
        { target: 'JOB_TITLE', sourcePath: at('position') },
        { target: 'DEPARTMENT', sourcePath: `${at('department')}.attributes.name` },
        { target: 'COST_CENTER', sourcePath: `${at('cost_centers')}[0].attributes.name` },
        { target: 'EMPLOYEE_TYPE', sourcePath: at('employment_type') },
      ],
      externalIdPath: at('id'),
      statusPath: at('status'),
    },
    floorRow: (i) => {
      const n = i + 1;
      const email = `worker${n}@acme.example`;
      return {
        email,
        username: email,
        usernameKey: email,
        firstname: `First${n}`,
        lastname: `Last${n}`,
        displayname: `F. Last${n}`,
        jobTitle: 'Engineer',
        department: DEPARTMENTS[n % 4]!,
        costCenter: 'CC-7',
        employeeType: 'internal',
      };
    },
  };
}

export const WORKLOADS = { personio, flat };
export type WorkloadName = keyof typeof WORKLOADS;
