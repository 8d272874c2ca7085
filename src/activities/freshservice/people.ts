// Freshservice people as the flows see them: requesters and agents alike, since approvers and managers are
// often agents, whom the requesters API does not return. Agents and departments are listed once per worker
// and looked up from memory until an unknown id asks again.
import type { FreshserviceClient, TFsAgent } from '../../integrations/freshservice';
import type { FreshserviceActivities, FsPerson } from './contract';

type PeopleActivities = Pick<FreshserviceActivities, 'findPersonByEmail' | 'getPerson' | 'agentGroupMembers'>;

export function createPeopleActivities(fs: FreshserviceClient): PeopleActivities {
  /** Agents by id: approvers and managers are often agents, whom the requesters API does not return. */
  let agents: Map<number, TFsAgent> | undefined;
  async function agentById(id: number): Promise<TFsAgent | undefined> {
    if (!agents?.has(id)) {
      agents = new Map();
      for await (const a of fs.listAgents()) agents.set(a.id, a);
    }
    return agents.get(id);
  }

  const departments = new Map<number, string>();
  async function departmentName(id: number): Promise<string | null> {
    if (!departments.has(id)) {
      for await (const d of fs.listDepartments()) departments.set(d.id, d.name);
    }
    return departments.get(id) ?? null;
  }

  async function agentView(agent: TFsAgent): Promise<FsPerson> {
    const dept = agent.department_ids[0];
    return {
      id: agent.id,
      email: agent.email,
      name: [agent.first_name, agent.last_name].filter(Boolean).join(' '),
      department: dept !== undefined ? await departmentName(dept) : null,
      reportingManagerId: agent.reporting_manager_id,
      isAgent: true,
    };
  }

  async function personView(id: number): Promise<FsPerson | null> {
    try {
      const r = await fs.getRequester(id);
      const dept = r.department_ids[0];
      return {
        id: r.id,
        email: r.primary_email ?? '',
        name: [r.first_name, r.last_name].filter(Boolean).join(' '),
        department: dept !== undefined ? await departmentName(dept) : null,
        reportingManagerId: r.reporting_manager_id,
        isAgent: r.is_agent,
      };
    } catch (err) {
      if ((err as { type?: string }).type !== 'NOT_FOUND') throw err;
    }
    const agent = await agentById(id);
    return agent ? agentView(agent) : null;
  }

  return {
    async findPersonByEmail(email) {
      const r = await fs.findRequesterByEmail(email);
      if (r) return personView(r.id);
      const agent = await fs.findAgentByEmail(email);
      return agent ? agentView(agent) : null;
    },

    async getPerson(id) {
      return personView(id);
    },

    async agentGroupMembers(groupName) {
      for await (const g of fs.listAgentGroups()) {
        if (g.name.toLowerCase() !== groupName.toLowerCase()) continue;
        const people: FsPerson[] = [];
        for (const id of g.members) {
          const p = await personView(id);
          if (p) people.push(p);
        }
        return people;
      }
      return [];
    },
  };
}
