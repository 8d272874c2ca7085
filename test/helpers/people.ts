// Makes people for a test in both sandboxes through their real APIs: a Freshservice requester (reporting to
// a seeded manager, so approvals have someone to ask) and any number of Okta accounts carrying the
// person's email as login, primary or secondary email, in the status the case needs.
import { randomUUID } from 'node:crypto';
import type { TOktaUser } from '../../src/integrations/okta';
import type { TestStack } from './stack';

export type OktaAccountSpec = {
  login: string;
  email: string;
  secondEmail?: string;
  status?: 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED';
};

/** A fresh address in the demo domain, unique per call. */
export const uniqueEmail = (prefix: string) =>
  `${prefix}.${randomUUID().slice(0, 8)}@acme.example`.toLowerCase();

export function peopleMaker(getStack: () => TestStack) {
  /** A Freshservice requester with `email`, reporting to `managerEmail` (a seeded requester). */
  async function requester(email: string, managerEmail = 'margaret.hamilton@acme.example') {
    const fs = getStack().vendors.freshservice.client;
    const manager = await fs.findRequesterByEmail(managerEmail);
    if (!manager) throw new Error(`no requester ${managerEmail}`);
    return fs.createRequester({
      first_name: 'Test',
      last_name: email.split('@')[0]!,
      primary_email: email,
      reporting_manager_id: manager.id,
    });
  }

  /** An Okta account, activated with a password (so ACTIVE), then moved to the status asked for. */
  async function oktaAccount(spec: OktaAccountSpec): Promise<TOktaUser> {
    const okta = getStack().vendors.okta.client;
    const created = await okta.createUser(
      {
        login: spec.login,
        email: spec.email,
        firstName: 'Test',
        lastName: spec.login.split('@')[0]!,
        ...(spec.secondEmail ? { secondEmail: spec.secondEmail } : {}),
      },
      { activate: true, password: `Sandbox-${randomUUID()}!9a` },
    );
    if (spec.status === 'SUSPENDED') await okta.suspendUser(created.id);
    if (spec.status === 'DEPROVISIONED') await okta.deactivateUser(created.id);
    return okta.getUser(created.id);
  }

  return { requester, oktaAccount };
}
