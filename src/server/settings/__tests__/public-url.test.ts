import { mailboxUrlFor, normalizePublicUrl, publicUrlFromRequest, redirectUriFor } from '../public-url';

describe('public URL and redirect URI', () => {
  const env = { ...process.env };
  afterEach(() => {
    process.env = { ...env };
  });

  const req = (headers: Record<string, string>) => ({ headers, protocol: 'http', host: '10.0.0.5:13000' });

  it("prefers the browser's origin over the Host header a reverse proxy rewrote", () => {
    expect(publicUrlFromRequest(req({ origin: 'https://crm.example.com' }))).toBe('https://crm.example.com/');
    expect(publicUrlFromRequest(req({ referer: 'https://crm.example.com/admin/settings/email-manager' }))).toBe(
      'https://crm.example.com/',
    );
    expect(publicUrlFromRequest(req({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'mail.example.com' }))).toBe(
      'https://mail.example.com/',
    );
    expect(publicUrlFromRequest(req({}))).toBe('http://10.0.0.5:13000/');
  });

  it("adds NocoBase's APP_PUBLIC_PATH", () => {
    process.env.APP_PUBLIC_PATH = '/nocobase';
    expect(publicUrlFromRequest(req({ origin: 'https://example.com' }))).toBe('https://example.com/nocobase/');
  });

  it('builds the redirect URI from the API path, or from API_BASE_URL when the API lives elsewhere', () => {
    expect(redirectUriFor('https://crm.example.com/', '/api/')).toBe('https://crm.example.com/api/mailOAuth:callback');
    expect(redirectUriFor('https://example.com/nocobase/', '/nocobase/api')).toBe(
      'https://example.com/nocobase/api/mailOAuth:callback',
    );
    process.env.API_BASE_URL = 'https://api.example.com/v1/';
    expect(redirectUriFor('https://crm.example.com/', '/api/')).toBe('https://api.example.com/v1/mailOAuth:callback');
  });

  it('normalises an admin-entered public URL and refuses what cannot be one', () => {
    expect(normalizePublicUrl(' https://crm.example.com/nocobase ')).toBe('https://crm.example.com/nocobase/');
    expect(() => normalizePublicUrl('crm.example.com')).toThrow(/full address/);
    expect(() => normalizePublicUrl('ftp://crm.example.com')).toThrow(/https:\/\//);
    expect(() => normalizePublicUrl('https://crm.example.com/?x=1')).toThrow(/query or fragment/);
  });

  it('sends a full-page sign-in to the mailbox page with the outcome', () => {
    expect(mailboxUrlFor('https://example.com/nocobase/', { connect: 'error', reason: 'A & B' })).toBe(
      'https://example.com/nocobase/admin/email?connect=error&reason=A+%26+B',
    );
  });
});
