import type { AttributeMapping } from './attribute-mapping.js';

/** The SCIM enterprise User extension (RFC 7643 §4.3), a key of the user object. */
export const SCIM_ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const enterprise = (name: string) => `$['${SCIM_ENTERPRISE_USER}'].${name}`;
const byType = (list: string, type: string, field = 'value') => `$.${list}[?(@.type=='${type}')].${field}`;
const address = (type: string, field: string) => byType('addresses', type, field);

/**
 * The standard mapping of a SCIM 2.0 User (RFC 7643 §4.1 and the enterprise extension), given to
 * every new SCIM connector and changeable like any other. Booleans are read after the connector
 * service has normalized them ("True", 1), so `active` is true or false here.
 */
export const SCIM_STANDARD_MAPPING: AttributeMapping = {
  entries: [
    {
      target: 'EMAIL',
      sourcePath: `$.emails[?(@.primary==true)].value || ${byType('emails', 'work')} || $.emails[0].value`,
    },
    { target: 'USERNAME', sourcePath: '$.userName' },
    { target: 'FIRSTNAME', sourcePath: '$.name.givenName' },
    { target: 'LASTNAME', sourcePath: '$.name.familyName' },
    { target: 'MIDDLENAME', sourcePath: '$.name.middleName' },
    { target: 'DISPLAYNAME', sourcePath: '$.displayName' },
    { target: 'JOB_TITLE', sourcePath: '$.title' },
    { target: 'EMPLOYEE_TYPE', sourcePath: '$.userType' },
    { target: 'EMPLOYEE_IDENTIFIER', sourcePath: enterprise('employeeNumber') },
    { target: 'COST_CENTER', sourcePath: enterprise('costCenter') },
    { target: 'DEPARTMENT', sourcePath: enterprise('department') },
    { target: 'ORGANIZATION', sourcePath: enterprise('organization') },
    ...(['work', 'home'] as const).flatMap((type) => {
      const prefix = type === 'work' ? 'WORK' : 'HOME';
      return [
        { target: `${prefix}_STREET_ADDRESS` as const, sourcePath: address(type, 'streetAddress') },
        { target: `${prefix}_LOCALITY` as const, sourcePath: address(type, 'locality') },
        { target: `${prefix}_REGION` as const, sourcePath: address(type, 'region') },
        { target: `${prefix}_POSTAL_CODE` as const, sourcePath: address(type, 'postalCode') },
        { target: `${prefix}_COUNTRY` as const, sourcePath: address(type, 'country') },
      ];
    }),
    { target: 'WORK_PHONE', sourcePath: byType('phoneNumbers', 'work') },
    { target: 'HOME_PHONE', sourcePath: byType('phoneNumbers', 'home') },
    { target: 'MOBILE_PHONE', sourcePath: byType('phoneNumbers', 'mobile') },
  ],
  externalIdPath: '$.id',
  statusPath: '$.active',
  inactiveStatuses: ['false'],
  activeStatuses: ['true'],
};
