/** Resources the stand-in knows, by the audience their access tokens carry. */
export const OUTLOOK_RESOURCE = 'https://outlook.office.com';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export const IMAP_SCOPE = 'IMAP.AccessAsUser.All';
export const SMTP_SCOPE = 'SMTP.Send';

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface ParsedScopes {
  oidc: Set<string>;
  /** resource → short permission names; `.default` kept as is. */
  resources: Map<string, Set<string>>;
}

/**
 * Splits a scope string the way Microsoft does: OpenID scopes apart, full
 * `https://resource/Permission` names by resource, and bare names
 * (`User.Read`, but also `IMAP.AccessAsUser.All`) as Microsoft Graph permissions,
 * which is why Outlook rejects tokens requested with short names.
 */
export function parseScopes(raw: string | undefined): ParsedScopes {
  const oidc = new Set<string>();
  const resources = new Map<string, Set<string>>();
  for (const scope of (raw || '').split(/\s+/).filter(Boolean)) {
    if (OIDC.has(scope.toLowerCase())) {
      oidc.add(scope.toLowerCase());
      continue;
    }
    let resource = GRAPH_RESOURCE;
    let permission = scope;
    const slash = scope.lastIndexOf('/');
    if (/^[a-z]+:\/\//i.test(scope) && slash > scope.indexOf('//') + 1) {
      resource = scope.slice(0, slash).toLowerCase();
      permission = scope.slice(slash + 1);
    }
    // outlook.office365.com is an alias of the same Exchange resource.
    if (resource === 'https://outlook.office365.com') resource = OUTLOOK_RESOURCE;
    if (!resources.has(resource)) resources.set(resource, new Set());
    resources.get(resource)!.add(permission);
  }
  return { oidc, resources };
}

export function formatScopes(resource: string, permissions: Iterable<string>): string {
  return [...permissions].map((p) => (resource === GRAPH_RESOURCE ? p : `${resource}/${p}`)).join(' ');
}

/** What a user grant covers: union of everything consented for the app. */
export type Grant = Record<string, string[]>;

export function grantFrom(parsed: ParsedScopes): Grant {
  const grant: Grant = {};
  for (const [resource, perms] of parsed.resources) grant[resource] = [...perms].filter((p) => p !== '.default');
  // Signing in with only OpenID scopes still yields a Graph token for User.Read.
  if (!Object.keys(grant).length) grant[GRAPH_RESOURCE] = ['User.Read'];
  return grant;
}

export function mergeGrant(into: Grant, more: Grant): Grant {
  const out: Grant = { ...into };
  for (const [r, perms] of Object.entries(more)) out[r] = [...new Set([...(out[r] || []), ...perms])];
  return out;
}
