/** An employee as our HR provider lists them (the shape the end-to-end tests and the benchmark import). */
export interface Employee {
  id: number;
  email: string;
  login: string;
  first: string;
  last: string;
  department: string;
  status: string;
}

export const employee = (n: number, overrides: Partial<Employee> = {}): Employee => ({
  id: 1000 + n,
  email: `Worker${n}@Acme.example`,
  login: `worker${n}`,
  first: `First${n}`,
  last: `Last${n}`,
  department: 'Ops',
  status: 'Active',
  ...overrides,
});

/** The attribute mapping for `Employee` (the contract's AttributeMappingInput). */
export const EMPLOYEE_MAPPING = {
  entries: [
    { target: 'EMAIL', sourcePath: '$.email' },
    { target: 'USERNAME', sourcePath: '$.login' },
    { target: 'FIRSTNAME', sourcePath: '$.first' },
    { target: 'LASTNAME', sourcePath: '$.last' },
    { target: 'DEPARTMENT', sourcePath: '$.department' },
  ],
  statusPath: '$.status',
};
