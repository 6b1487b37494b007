import type { Context } from '@nocobase/actions';
import { ALL_MAIL_ACL_SNIPPET, SHARED_MAIL_ACL_SNIPPET } from '../../shared/constants';
import type { AllMailViewer } from '../sharing/all-mail';
import type { RecordReader } from '../sharing/record-message-reader';
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

/** The caller as a mailbox owner will read them in their access log. */
export function readerOf(ctx: Context): RecordReader {
  const user = ctx.state?.currentUser as { nickname?: string; email?: string; username?: string } | undefined;
  const userId = Number(currentUserId(ctx));
  return { userId, name: user?.nickname || user?.email || user?.username || `user ${userId}` };
}

/** The caller of the all-mail view: who they are, and whether a role of theirs holds its snippet. */
export function allMailViewerOf(ctx: Context): AllMailViewer {
  return { ...readerOf(ctx), holdsSnippet: rolesHoldSnippet(ctx.app.acl, currentRoles(ctx), ALL_MAIL_ACL_SNIPPET) };
}
