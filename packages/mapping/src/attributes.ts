import type { Address, PhoneNumber, UserAttributes } from '@uif/directory-client';

/** The contract's mapping targets. */
export const USER_ATTRIBUTES = [
  'EMAIL',
  'USERNAME',
  'FIRSTNAME',
  'LASTNAME',
  'MIDDLENAME',
  'DISPLAYNAME',
  'JOB_TITLE',
  'DEPARTMENT',
  'COST_CENTER',
  'EMPLOYEE_TYPE',
  'EMPLOYEE_IDENTIFIER',
  'ORGANIZATION',
  'WORK_STREET_ADDRESS',
  'WORK_LOCALITY',
  'WORK_REGION',
  'WORK_POSTAL_CODE',
  'WORK_COUNTRY',
  'HOME_STREET_ADDRESS',
  'HOME_LOCALITY',
  'HOME_REGION',
  'HOME_POSTAL_CODE',
  'HOME_COUNTRY',
  'WORK_PHONE',
  'HOME_PHONE',
  'MOBILE_PHONE',
] as const;
export type UserAttribute = (typeof USER_ATTRIBUTES)[number];

type ScalarAttribute = Exclude<keyof UserAttributes, 'addresses' | 'phoneNumbers'>;
type AddressField = Exclude<keyof Address, 'type'>;

/** Where each target lands in the directory's attributes. */
export type AttributeTarget =
  | { kind: 'scalar'; name: ScalarAttribute }
  | { kind: 'address'; type: Address['type']; field: AddressField }
  | { kind: 'phone'; type: PhoneNumber['type'] };

const address = (type: Address['type'], field: AddressField): AttributeTarget => ({
  kind: 'address',
  type,
  field,
});

export const ATTRIBUTE_TARGETS: Record<UserAttribute, AttributeTarget> = {
  EMAIL: { kind: 'scalar', name: 'email' },
  USERNAME: { kind: 'scalar', name: 'username' },
  FIRSTNAME: { kind: 'scalar', name: 'firstname' },
  LASTNAME: { kind: 'scalar', name: 'lastname' },
  MIDDLENAME: { kind: 'scalar', name: 'middlename' },
  DISPLAYNAME: { kind: 'scalar', name: 'displayname' },
  JOB_TITLE: { kind: 'scalar', name: 'jobTitle' },
  DEPARTMENT: { kind: 'scalar', name: 'department' },
  COST_CENTER: { kind: 'scalar', name: 'costCenter' },
  EMPLOYEE_TYPE: { kind: 'scalar', name: 'employeeType' },
  EMPLOYEE_IDENTIFIER: { kind: 'scalar', name: 'employeeIdentifier' },
  ORGANIZATION: { kind: 'scalar', name: 'organization' },
  WORK_STREET_ADDRESS: address('work', 'streetAddress'),
  WORK_LOCALITY: address('work', 'locality'),
  WORK_REGION: address('work', 'region'),
  WORK_POSTAL_CODE: address('work', 'postalCode'),
  WORK_COUNTRY: address('work', 'country'),
  HOME_STREET_ADDRESS: address('home', 'streetAddress'),
  HOME_LOCALITY: address('home', 'locality'),
  HOME_REGION: address('home', 'region'),
  HOME_POSTAL_CODE: address('home', 'postalCode'),
  HOME_COUNTRY: address('home', 'country'),
  WORK_PHONE: { kind: 'phone', type: 'work' },
  HOME_PHONE: { kind: 'phone', type: 'home' },
  MOBILE_PHONE: { kind: 'phone', type: 'mobile' },
};
