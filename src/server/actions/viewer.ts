import type { Context } from '@nocobase/actions';
import { ALL_MAIL_ACL_SNIPPET, SHARED_MAIL_ACL_SNIPPET } from '../../shared/constants';
import type { AllMailViewer } from '../sharing/all-mail';
import type { Viewer } from '../sharing/sharing-service';
import { currentRoles, rolesHoldSnippet } from '../sharing/viewer-grants';
import { currentUserId } from './mail-messages';

/** The signed-in caller as the sharing policy sees them: who they are and whether they hold the shared-mail snippet. */
export function viewerOf(ctx: Context): Viewer {
  return {
    userId: currentUserId(ctx),
    mayViewShared: rolesHoldSnippet(ctx.app.acl, currentRoles(ctx), SHARED_MAIL_ACL_SNIPPET),
  };
}

/** The caller of the all-mail view, named as the owners will read it in their access log. */
export function allMailViewerOf(ctx: Context): AllMailViewer {
  const user = ctx.state?.currentUser as { nickname?: string; email?: string; username?: string } | undefined;
  return {
    userId: currentUserId(ctx),
    name: user?.nickname || user?.email || user?.username || `user ${currentUserId(ctx)}`,
    holdsSnippet: rolesHoldSnippet(ctx.app.acl, currentRoles(ctx), ALL_MAIL_ACL_SNIPPET),
  };
}
