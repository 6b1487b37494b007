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
    /** Settings menus of v1 blocks, looked up by a schema's `x-settings`. */
    schemaSettingsManager: { add(settings: SchemaSettings): void };
    /** Menus such as "Add block" (`page:addBlock`, `popup:common:addBlock`); `Component` names a registered one. */
    schemaInitializerManager: {
      addItem(initializer: string, itemName: string, options: SchemaInitializerItemOptions): void;
    };
  }

  /** An entry of an "Add …"/"Configure actions" menu; `schema` is what choosing it inserts. */
  export interface SchemaInitializerItemOptions {
    title: string;
    /** A component, or the name of a registered one. */
    Component: ComponentType<never> | string;
    schema?: Record<string, unknown>;
    useVisible?: () => boolean;
  }

  /** One entry of a settings menu; `useComponentProps` runs as a hook inside the schema it sits in. */
  export interface SchemaSettingsItemOptions {
    name: string;
    type?: 'modal' | 'select' | 'divider' | 'remove' | 'switch' | 'item';
    Component?: ComponentType<never>;
    useComponentProps?(): unknown;
    useVisible?: () => boolean;
    children?: SchemaSettingsItemOptions[];
    sort?: number;
  }
  export class SchemaSettings {
    constructor(options: { name: string; items: SchemaSettingsItemOptions[] });
  }

  /** An item of an "Add block" menu; takes the item's configuration plus an icon and a click handler. */
  export const SchemaInitializerItem: FC<Record<string, unknown> & { icon?: ReactNode; onClick?(): void }>;
  export function useSchemaInitializer(): { insert(schema: object): void };
  export function useSchemaInitializerItem(): Record<string, unknown>;

  /** The schema of the component or settings menu being rendered, and how to change it. */
  export function useDesignable(): {
    dn: {
      current: { 'x-uid'?: string; 'x-component-props'?: Record<string, unknown> };
      /** `patch` saves the given schema keys on the server (by `x-uid`). */
      emit(event: 'patch', payload: { schema: object }): Promise<void>;
    };
    /** Applies schema keys to the rendered field and its schema, then re-renders. */
    patch(values: Record<string, unknown>): void;
    refresh(): void;
  };

  export interface CollectionFieldInfo {
    name: string;
    type?: string;
    interface?: string;
    uiSchema?: { title?: string };
    /** An association's target collection. */
    target?: string;
  }
  /** The collections of the current data source, by name. */
  export function useCollectionManager(): {
    getCollection(name: string): { getFields(): CollectionFieldInfo[] } | undefined;
  };
  /** The collection of the block or popup being rendered (undefined outside any). */
  export function useCollection():
    | {
        name: string;
        filterTargetKey?: string | string[];
        getFilterTargetKey(): string | string[];
        getPrimaryKey?(): string;
        getFields(): CollectionFieldInfo[];
        /** Its title field, else its primary key. */
        titleField?: string;
      }
    | undefined;
  /** The data block around an action: a table's field holds the rows selected in it. */
  export function useBlockRequestContext(): {
    field?: { data?: { selectedRowKeys?: unknown[]; selectedRowData?: Array<Record<string, unknown>> } };
  };
  /** The record of the popup, row or details block being rendered (undefined outside any). */
  export function useCollectionRecordData<T = Record<string, unknown>>(): T | undefined;

  /**
   * Modern (v2) pages: NocoBase's FlowEngine, whose block and action classes `@nocobase/client` re-exports from
   * `@nocobase/client-v2`. Only what the plugin's models use.
   */
  export interface FlowCollectionInfo {
    name: string;
    dataSourceKey?: string;
    titleField?: string;
    getFields(): CollectionFieldInfo[];
    getFilterByTK(record: Record<string, unknown>): string | number | undefined;
  }
  export interface FlowContext {
    t(key: string, options?: Record<string, unknown>): string;
    /** The view (popup, drawer, page) the model sits in; a record's popup says which record. */
    view?: { inputArgs?: { dataSourceKey?: string; collectionName?: string; filterByTk?: string | number } };
    /** An action's record (a table row, a details block) and its collection. */
    record?: Record<string, unknown>;
    collection?: FlowCollectionInfo;
    dataSourceManager: { getCollection(dataSourceKey: string, name: string): FlowCollectionInfo | undefined };
    message: { warning(text: string): void };
  }
  export interface FlowStepContext extends FlowContext {
    model: FlowModel;
  }
  export interface FlowStep {
    title?: string;
    uiSchema?: Record<string, unknown> | ((ctx: FlowStepContext) => Record<string, unknown>);
    defaultParams?: Record<string, unknown> | ((ctx: FlowStepContext) => Record<string, unknown>);
    handler(ctx: FlowStepContext, params: Record<string, unknown>): unknown;
  }
  export interface FlowDefinition {
    key: string;
    title?: string;
    /** `beforeRender` (settings applied before the model renders) or an event such as `click`. */
    on?: string;
    steps: Record<string, FlowStep>;
  }
  export class FlowModel {
    props: Record<string, unknown>;
    context: FlowContext;
    setProps(props: Record<string, unknown>): void;
    static define(meta: { label: string; sort?: number; createModelOptions?: Record<string, unknown> }): void;
    static registerFlow(flow: FlowDefinition): void;
  }
  /** A block of a modern page's grid; it draws its body in `renderComponent`, inside the block's card. */
  export class BlockModel extends FlowModel {
    renderComponent(): ReactNode;
  }
  /** A button; `scene` says which "Add action" menus offer it. */
  export class ActionModel extends FlowModel {
    static scene: unknown;
    defaultProps: Record<string, unknown>;
  }
  /** `record`: the row actions of a table and the actions of a details block. */
  export const ActionSceneEnum: { record: unknown; collection: unknown };
  export interface FlowEngine {
    registerModels(models: Record<string, typeof FlowModel>): void;
  }

  export class Plugin<Options = unknown> {
    constructor(options: Options, app: Application);
    app: Application;
    flowEngine: FlowEngine;
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
