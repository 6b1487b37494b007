import type { ACL } from '@nocobase/acl';

/**
 * Whether any of the caller's roles holds this snippet. Checked by name, not through `acl.can`: a role whose
 * strategy allows every action (or root, which skips ACL) must not see colleagues' mail without the admin granting
 * the snippet to it.
 */
export function rolesHoldSnippet(acl: ACL, roles: readonly string[], snippet: string): boolean {
  return roles.some((name) => acl.getRole(name)?.effectiveSnippets().allowed.includes(snippet) ?? false);
}

/** The role names NocoBase resolved for this request (several under "use the union of roles"). */
export function currentRoles(ctx: { state?: { currentRoles?: string[]; currentRole?: string } }): string[] {
  const roles = ctx.state?.currentRoles?.length ? ctx.state.currentRoles : [ctx.state?.currentRole];
  return roles.filter((r): r is string => typeof r === 'string' && r !== '');
}
