/**
 * The part of NocoBase's v1 client API this plugin uses. `@nocobase/client` 2.x cannot be installed from this
 * project's registry, and the host app provides the real module at run time (see scripts/build), so the client
 * type-checks against this declaration. Keep it to what the code calls.
 */
declare module '@nocobase/client' {
  import type { ComponentType, ReactNode } from 'react';
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

  export interface APIClient {
    request<T = unknown>(config: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    resource(name: string): Record<string, (params?: unknown) => Promise<AxiosResponse>>;
  }

  export interface Application {
    apiClient: APIClient;
    pluginSettingsManager: { add(name: string, options: PluginSettingOptions): void };
    router: { add(name: string, options: RouteOptions): void };
    addProvider(component: ComponentType, props?: unknown): void;
    addComponents(components: Record<string, ComponentType>): void;
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
}
