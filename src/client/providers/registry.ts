import type { ClientMailProvider } from './types';

/** Client providers by key, mirroring the server's registry; the client plugin registers each once. */
class ClientMailProviderRegistry {
  private readonly providers = new Map<string, ClientMailProvider>();

  register(provider: ClientMailProvider): void {
    if (!this.providers.has(provider.key)) this.providers.set(provider.key, provider);
  }

  /** The provider for a key; an unknown key (a provider this client does not know) falls back to the first. */
  get(key: string | undefined): ClientMailProvider {
    const provider = (key && this.providers.get(key)) || this.all()[0];
    if (!provider) throw new Error('no mail provider is registered');
    return provider;
  }

  all(): ClientMailProvider[] {
    return [...this.providers.values()];
  }
}

export const mailProviders = new ClientMailProviderRegistry();
