// Seeds the sandbox account with the demo company of src/sandbox/demo-tenant.ts as the Okta SCIM app
// would have synced it (requesters with reporting managers, IT staff as agents), plus departments, agent
// groups and the service catalog items the product's workflows read. Idempotent: existing records stay.
import { DEMO_CATALOG_ITEMS, DEMO_DEPARTMENTS, DEMO_PEOPLE, type DemoPerson } from '../demo-tenant';
import type { CatalogFieldDef } from './records';
import { DEFAULT_WORKSPACE_ID, type FreshserviceStore } from './store';

export const DEMO_CATALOG_CATEGORIES = { accessManagement: 1, hrAndPeople: 2 } as const;

/** Agent groups and their members (demo person keys). */
export const DEMO_AGENT_GROUPS: { name: string; description: string; members: string[] }[] = [
  { name: 'IT Service Desk', description: 'First line IT support', members: ['it-mgr', 'it1'] },
  {
    name: 'Identity & Access',
    description: 'Provisioning and access requests',
    members: ['it-mgr', 'it1', 'sec1'],
  },
  { name: 'Security', description: 'Security incidents', members: ['sec1'] },
];

const text = (
  name: string,
  label: string,
  required: boolean,
  extra: Partial<CatalogFieldDef> = {},
): CatalogFieldDef => ({
  name,
  label,
  field_type: 'custom_text',
  required,
  choices: [],
  ...extra,
});

/** The custom fields of the access-request item: what place_request validates. */
export const ACCESS_REQUEST_FIELDS: CatalogFieldDef[] = [
  {
    name: 'resource_type',
    label: 'Type of access',
    field_type: 'custom_dropdown',
    required: true,
    choices: ['group', 'app'],
  },
  text('resource_name', 'Group or application', true),
  {
    name: 'justification',
    label: 'Business justification',
    field_type: 'custom_paragraph',
    required: true,
    choices: [],
  },
  {
    name: 'duration_days',
    label: 'For how many days',
    field_type: 'custom_number',
    required: false,
    choices: [],
  },
  {
    name: 'end_date',
    label: 'Access until',
    field_type: 'custom_date',
    required: false,
    choices: [],
    excludes: ['duration_days'],
  },
  text('requested_for_email', 'Requested for (email)', false, { format: 'email' }),
];

export const ONBOARDING_FIELDS: CatalogFieldDef[] = [
  text('first_name', 'First name', true),
  text('last_name', 'Last name', true),
  text('work_email', 'Work email', true, { format: 'email' }),
  text('job_title', 'Job title', true),
  {
    name: 'department',
    label: 'Department',
    field_type: 'custom_dropdown',
    required: true,
    choices: DEMO_DEPARTMENTS,
  },
  text('manager_email', 'Manager email', true, { format: 'email' }),
  { name: 'start_date', label: 'Start date', field_type: 'custom_date', required: true, choices: [] },
];

export const OFFBOARDING_FIELDS: CatalogFieldDef[] = [
  text('employee_email', 'Employee email', true, { format: 'email' }),
  {
    name: 'last_working_day',
    label: 'Last working day',
    field_type: 'custom_date',
    required: true,
    choices: [],
  },
  { name: 'reason', label: 'Reason', field_type: 'custom_paragraph', required: false, choices: [] },
];

export function seedDemo(store: FreshserviceStore): void {
  const deptIds = new Map<string, number>();
  for (const name of DEMO_DEPARTMENTS) {
    deptIds.set(
      name,
      (
        store.findDepartmentByName(name) ??
        store.createDepartment({ name, description: `${name} department` })
      ).id,
    );
  }

  const byKey = new Map<string, DemoPerson>(DEMO_PEOPLE.map((p) => [p.key, p]));
  const ids = new Map<string, number>();
  // DEMO_PEOPLE lists managers before their reports; resolve lazily anyway so the order never matters.
  const ensure = (p: DemoPerson): number => {
    const known = ids.get(p.key) ?? store.findUserByEmail(p.email)?.id;
    if (known !== undefined) {
      ids.set(p.key, known);
      return known;
    }
    const manager = p.manager ? byKey.get(p.manager) : undefined;
    const u = store.createUser({
      first_name: p.firstName,
      last_name: p.lastName,
      primary_email: p.email,
      job_title: p.title,
      is_agent: p.agent ?? false,
      department_ids: [deptIds.get(p.department)!],
      reporting_manager_id: manager ? ensure(manager) : null,
      // The Okta SCIM app writes the IdP identity here; the demo uses the email as that key.
      external_id: p.email,
      time_zone: 'Eastern Time (US & Canada)',
      language: 'en',
    });
    ids.set(p.key, u.id);
    return u.id;
  };
  for (const p of DEMO_PEOPLE) ensure(p);

  const existingGroups = new Set([...store.groups.values()].map((g) => g.name));
  for (const g of DEMO_AGENT_GROUPS) {
    if (existingGroups.has(g.name)) continue;
    store.createGroup({
      name: g.name,
      description: g.description,
      members: g.members.map((k) => ids.get(k)!),
    });
  }

  const items = [
    {
      def: DEMO_CATALOG_ITEMS.accessRequest,
      category: DEMO_CATALOG_CATEGORIES.accessManagement,
      description: 'Ask for membership of an Okta group or an assignment to an application.',
      fields: ACCESS_REQUEST_FIELDS,
    },
    {
      def: DEMO_CATALOG_ITEMS.onboarding,
      category: DEMO_CATALOG_CATEGORIES.hrAndPeople,
      description: 'Create accounts and access for a new employee.',
      fields: ONBOARDING_FIELDS,
    },
    {
      def: DEMO_CATALOG_ITEMS.offboarding,
      category: DEMO_CATALOG_CATEGORIES.hrAndPeople,
      description: 'Remove every account and access of a leaving employee.',
      fields: OFFBOARDING_FIELDS,
    },
  ];
  for (const i of items) {
    if (store.getCatalogItem(i.def.displayId)) continue;
    store.addCatalogItem({
      display_id: i.def.displayId,
      name: i.def.name,
      description: `<div>${i.description}</div>`,
      short_description: i.description,
      category_id: i.category,
      visibility: 2,
      deleted: false,
      cost: null,
      delivery_time: null,
      workspace_id: DEFAULT_WORKSPACE_ID,
      custom_fields: i.fields,
    });
  }
}
