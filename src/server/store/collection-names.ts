/**
 * The plugin's collection (table) names, the one place they are spelled. Resource names that happen to be the same
 * words are the API's and stay in `src/shared/` (e.g. `MAIL_ACCOUNTS_RESOURCE`): a table could be renamed without
 * changing a URL, and the other way round.
 */
export const ACCOUNTS_COLLECTION = 'mailAccounts';
export const FOLDERS_COLLECTION = 'mailFolders';
export const MESSAGES_COLLECTION = 'mailMessages';
export const SYNC_STATES_COLLECTION = 'mailSyncStates';
export const OUTBOX_COLLECTION = 'mailOutbox';
export const OUTBOX_FILES_COLLECTION = 'mailOutboxFiles';
export const OAUTH_STATES_COLLECTION = 'mailOAuthStates';
export const SETTINGS_COLLECTION = 'mailSettings';
export const ACCESS_LOG_COLLECTION = 'mailAccessLog';
export const PARTICIPANTS_COLLECTION = 'mailParticipants';
export const LINKS_COLLECTION = 'mailLinks';
export const WORKFLOW_DELIVERIES_COLLECTION = 'mailWorkflowDeliveries';
export const LOCKS_COLLECTION = 'mailLocks';
