// The demo company both sandboxes are seeded with, so the same people, managers, groups and apps exist
// in the sandbox Okta and the sandbox Freshservice (as a real tenant synced by the Okta SCIM app would
// have them). Emails are the join key between the two systems.

export type DemoPerson = {
  key: string;
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  department: string;
  /** key of the manager, if any */
  manager?: string;
  /** also a Freshservice agent (IT staff) */
  agent?: boolean;
};

export const DEMO_DOMAIN = 'acme.example';

const p = (
  key: string,
  firstName: string,
  lastName: string,
  title: string,
  department: string,
  manager?: string,
  agent?: boolean,
): DemoPerson => ({
  key,
  firstName,
  lastName,
  email: `${firstName}.${lastName}@${DEMO_DOMAIN}`.toLowerCase(),
  title,
  department,
  manager,
  agent,
});

export const DEMO_PEOPLE: DemoPerson[] = [
  p('ceo', 'Grace', 'Hopper', 'Chief Executive Officer', 'Executive'),
  p('cto', 'Linus', 'Torvalds', 'Chief Technology Officer', 'Engineering', 'ceo'),
  p('eng-mgr', 'Margaret', 'Hamilton', 'Engineering Manager', 'Engineering', 'cto'),
  p('eng1', 'Ada', 'Lovelace', 'Software Engineer', 'Engineering', 'eng-mgr'),
  p('eng2', 'Alan', 'Turing', 'Software Engineer', 'Engineering', 'eng-mgr'),
  p('fin-mgr', 'Katherine', 'Johnson', 'Finance Manager', 'Finance', 'ceo'),
  p('fin1', 'Dorothy', 'Vaughan', 'Accountant', 'Finance', 'fin-mgr'),
  p('sales-mgr', 'Mary', 'Jackson', 'Sales Manager', 'Sales', 'ceo'),
  p('sales1', 'Hedy', 'Lamarr', 'Account Executive', 'Sales', 'sales-mgr'),
  p('it-mgr', 'Radia', 'Perlman', 'IT Manager', 'IT', 'cto', true),
  p('it1', 'Ken', 'Thompson', 'IT Support Engineer', 'IT', 'it-mgr', true),
  p('sec1', 'Whitfield', 'Diffie', 'Security Engineer', 'IT', 'it-mgr', true),
];

export const DEMO_DEPARTMENTS = ['Executive', 'Engineering', 'Finance', 'Sales', 'IT'];

/** Okta groups (OKTA_GROUP) and who is in them at seed time. */
export const DEMO_GROUPS: { name: string; description: string; members: string[] }[] = [
  { name: 'Everyone at Acme', description: 'All employees', members: DEMO_PEOPLE.map((x) => x.key) },
  { name: 'Engineering', description: 'Engineering department', members: ['cto', 'eng-mgr', 'eng1', 'eng2'] },
  { name: 'Finance', description: 'Finance department', members: ['fin-mgr', 'fin1'] },
  { name: 'Sales', description: 'Sales department', members: ['sales-mgr', 'sales1'] },
  { name: 'IT Admins', description: 'IT administrators', members: ['it-mgr', 'it1', 'sec1'] },
  { name: 'GitHub Admins', description: 'Admin rights on the GitHub organisation', members: ['cto'] },
  { name: 'AWS Production', description: 'Access to the production AWS account', members: ['cto'] },
  { name: 'Finance Approvers', description: 'May approve payments in NetSuite', members: ['fin-mgr'] },
  { name: 'Payments Submitters', description: 'May submit payments in NetSuite', members: ['fin1'] },
];

/** Okta apps and who is assigned at seed time. */
export const DEMO_APPS: { name: string; label: string; assigned: string[] }[] = [
  { name: 'salesforce', label: 'Salesforce', assigned: ['sales-mgr', 'sales1'] },
  { name: 'github_enterprise', label: 'GitHub Enterprise', assigned: ['cto', 'eng-mgr', 'eng1', 'eng2'] },
  { name: 'netsuite', label: 'NetSuite', assigned: ['fin-mgr', 'fin1'] },
  { name: 'slack', label: 'Slack', assigned: DEMO_PEOPLE.map((x) => x.key) },
];

/** Freshservice service catalog items the product uses. */
export const DEMO_CATALOG_ITEMS = {
  accessRequest: { name: 'Request access to an application or group', displayId: 1001 },
  onboarding: { name: 'New employee onboarding', displayId: 1002 },
  offboarding: { name: 'Employee offboarding', displayId: 1003 },
} as const;
