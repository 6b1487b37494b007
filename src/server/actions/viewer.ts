import type { Context } from '@nocobase/actions';
import { SHARED_MAIL_ACL_SNIPPET } from '../../shared/constants';
import { currentUserId } from './mail-messages';
import type { Viewer } from '../sharing/sharing-service';
import { currentRoles, rolesHoldSnippet } from '../sharing/viewer-grants';

/** The signed-in caller as the sharing policy sees them: who they are and whether they hold the shared-mail snippet. */
export function viewerOf(ctx: Context): Viewer {
  return {
    userId: currentUserId(ctx),
    mayViewShared: rolesHoldSnippet(ctx.app.acl, currentRoles(ctx), SHARED_MAIL_ACL_SNIPPET),
  };
}
