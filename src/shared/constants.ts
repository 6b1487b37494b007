/** Names both halves of the plugin agree on. */
export const PLUGIN_NAME = '@mailbridge/plugin-email-manager';

/** i18n namespace: NocoBase serves a plugin's `dist/locale/*.json` under its package name. */
export const LOCALE_NAMESPACE = PLUGIN_NAME;

/** Settings page key: the page lives at /admin/settings/email-manager. */
export const SETTINGS_KEY = 'email-manager';

/** ACL snippet guarding the admin settings; NocoBase names settings snippets `pm.<settings key>`. */
export const SETTINGS_ACL_SNIPPET = `pm.${SETTINGS_KEY}`;
