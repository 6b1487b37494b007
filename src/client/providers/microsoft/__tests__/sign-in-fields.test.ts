import { signInChanged, SignInFields } from '../sign-in-fields';

describe('signInChanged: when the settings page asks for the client secret again', () => {
  const saved: SignInFields = {
    clientId: '4a1c7e2b-9f3d-4c8a-b5e6-7d2f1a0c9b8e',
    tenant: 'common',
    cloud: 'custom' as SignInFields['cloud'],
    authorityHost: 'login.example.com',
  };

  it.each([
    [{ cloud: 'global' }],
    [{ authorityHost: 'attacker.example' }],
    [{ tenant: 'contoso.onmicrosoft.com' }],
    [{ clientId: '11111111-2222-3333-4444-555555555555' }],
  ])('a change of %j needs it', (change) => {
    expect(signInChanged(saved, { ...saved, ...change } as SignInFields)).toBe(true);
  });

  it.each([
    [{}],
    [{ tenant: 'COMMON' }],
    [{ tenant: '' }],
    [{ authorityHost: 'https://login.example.com/' }],
    [{ clientId: ` ${saved.clientId} ` }],
  ])('the same settings written differently (%j) do not', (change) => {
    expect(signInChanged(saved, { ...saved, ...change } as SignInFields)).toBe(false);
  });
});
