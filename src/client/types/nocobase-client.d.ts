/**
 * The part of NocoBase's v1 client API this plugin uses. `@nocobase/client` 2.x cannot be installed from this
 * project's registry, and the host app provides the real module at run time (see scripts/build), so the client
 * type-checks against this declaration. Keep it to what the code calls; each entry was checked against
 * NocoBase's own client (packages/core/client) and its official plugins.
 */
declare module '@nocobase/client' {
  import type { ComponentType, FC, ReactNode } from 'react';
  import type { AxiosRequestConfig, AxiosResponse } from 'axios';

  export interface PluginSettingOptions {
    title: string;
    icon?: string;
    Component?: ComponentType;
    aclSnippet?: string;
    sort?: number;
    isTopLevel?: boolean;
  }

  export interface RouteOptions {
    path: string;
    Component?: ComponentType | string;
    element?: ReactNode;
  }

  /** NocoBase's axios config: `skipNotify` stops the client's global error notification for this request. */
  export interface APIRequestConfig extends AxiosRequestConfig {
    skipNotify?: boolean;
  }

  export interface APIClient {
    request<T = unknown>(config: APIRequestConfig): Promise<AxiosResponse<T>>;
    resource(name: string): Record<string, (params?: unknown) => Promise<AxiosResponse>>;
  }

  export interface Application {
    apiClient: APIClient;
    pluginSettingsManager: { add(name: string, options: PluginSettingOptions): void };
    router: { add(name: string, options: RouteOptions): void };
    /** Wraps the whole app in a provider (NocoBase's `app.use`, as the in-app message plugin does). */
    use(component: ComponentType<{ children?: ReactNode }>, props?: unknown): void;
    addProvider(component: ComponentType, props?: unknown): void;
    addComponents(components: Record<string, ComponentType>): void;
    /** Another plugin's client instance by name (e.g. `workflow`), or undefined when it is not enabled. */
    pm: { get(name: string): unknown };
  }

  export class Plugin<Options = unknown> {
    constructor(options: Options, app: Application);
    app: Application;
    router: Application['router'];
    pluginSettingsManager: Application['pluginSettingsManager'];
    afterAdd(): Promise<void>;
    beforeLoad(): Promise<void>;
    load(): Promise<void>;
  }

  export function useAPIClient(): APIClient;

  /** An item of the admin top bar (next to the help and user menus); `component` names a schema component. */
  export interface PinnedPluginListItem {
    component: string;
    pin?: boolean;
    /** ACL snippet needed to see it; `*` for every signed-in user. */
    snippet?: string;
    order?: number;
  }
  export const PinnedPluginListProvider: FC<{ items: Record<string, PinnedPluginListItem>; children?: ReactNode }>;
  /** The signed-in user's role: `allowAll` for root/admin, otherwise the ACL snippets it holds (e.g. `pm.*`). */
  export function useACLRoleContext(): { allowAll?: boolean; snippets?: string[] };
  export const SchemaComponentOptions: FC<{ components?: Record<string, ComponentType>; children?: ReactNode }>;
}
