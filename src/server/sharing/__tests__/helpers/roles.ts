import { randomBytes } from 'node:crypto';
import type { MockServer } from '@nocobase/test';
import type { Agent } from '../../../../../test/helpers/mail-app';

/** A role as an admin would create it in "Users & permissions", holding these snippets and no data permissions. */
export async function roleWithSnippets(app: MockServer, snippets: string[]): Promise<string> {
  const name = `r_${randomBytes(4).toString('hex')}`;
  await app.db.getRepository('roles').create({ values: { name, title: name, snippets, strategy: { actions: [] } } });
  return name;
}

/** A user holding only this role, and an agent signed in with it. */
export async function userInRole(app: MockServer, role: string): Promise<{ id: number; agent: Agent }> {
  const tag = randomBytes(4).toString('hex');
  const user = await app.db.getRepository('users').create({
    values: { nickname: `${role}-${tag}`, email: `${role}-${tag}@nocobase.test`, roles: [role] },
  });
  return { id: Number(user.get('id')), agent: await app.agent().login(user, role) };
}
