import { useACLRoleContext } from '@nocobase/client';
import { SETTINGS_ACL_SNIPPET } from '../../shared/constants';

/** Whether the signed-in user may open Settings → Email manager (root/admin, or a role with the settings snippet). */
export function useCanManageSettings(): boolean {
  const { allowAll, snippets = [] } = useACLRoleContext() ?? {};
  return !!allowAll || snippets.includes(SETTINGS_ACL_SNIPPET) || snippets.includes('pm.*') || snippets.includes('pm');
}
