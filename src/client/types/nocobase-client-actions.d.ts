/**
 * The part of NocoBase's v1 client API the "Send email" record action uses (schema initializers, action settings,
 * the record and collection of the block it sits in), merged into the declaration in nocobase-client.d.ts. Each
 * entry was checked against NocoBase's client (packages/core/client) and official action plugins (print,
 * bulk-update, duplicate); test/e2e/send-email-action.test.ts uses them in a running app.
 */
declare module '@nocobase/client' {
  import type { ComponentType, FC } from 'react';

  /** An entry of an "Add …"/"Configure actions" menu; `schema` is what choosing it inserts. */
  export interface SchemaInitializerItemOptions {
    title: string;
    Component: ComponentType<never> | string;
    schema?: Record<string, unknown>;
    useVisible?: () => boolean;
  }

  export interface SchemaSettingsItemType {
    name: string;
    type?: string;
    Component?: ComponentType<never>;
    useComponentProps?: () => unknown;
    useVisible?: () => boolean;
    children?: SchemaSettingsItemType[];
    sort?: number;
  }

  /** A settings menu (`x-settings`) of a schema node. */
  export class SchemaSettings {
    constructor(options: { name: string; items: SchemaSettingsItemType[] });
  }

  interface Application {
    schemaInitializerManager: {
      addItem(initializer: string, itemName: string, item: SchemaInitializerItemOptions): void;
    };
    schemaSettingsManager: { add(settings: SchemaSettings): void };
    /** Hooks and values schemas name in `x-use-component-props` and `{{ }}` expressions. */
    addScopes(scopes: Record<string, unknown>): void;
  }

  /** A switch in "Configure actions": on inserts the item's schema, off removes it (found by its `x-action`). */
  export const ActionInitializer: ComponentType<never>;
  /** The standard "Edit button" and "Delete" entries of an action's settings. */
  export const ActionDesigner: { ButtonEditor: ComponentType<never>; RemoveButton: ComponentType<never> };
  export function useSchemaToolbar(): { buttonEditorProps?: unknown; removeButtonProps?: unknown };
  /** A settings entry that opens a form (a Formily schema) in a dialog. */
  export const SchemaSettingsModalItem: FC<{
    title: string;
    schema: Record<string, unknown>;
    initialValues?: Record<string, unknown>;
    width?: number;
    onSubmit(values: Record<string, unknown>): void;
  }>;
  export function useDesignable(): {
    dn: { emit(event: 'patch', payload: { schema: Record<string, unknown> }): unknown };
    refresh(): void;
  };

  /** A collection as the v1 client describes it (the block's collection). */
  export interface ClientCollection {
    name: string;
    getFilterTargetKey(): string | string[];
    getFields(): Array<{ name: string; interface?: string; type?: string; uiSchema?: { title?: string } }>;
  }
  export function useCollection(): ClientCollection | undefined;
  /** The record of the row, details block or popup the component is rendered in. */
  export function useCollectionRecordData<T = Record<string, unknown>>(): T | undefined;
  /** Translates `{{t("…")}}` titles as schemas hold them. */
  export function useCompile(): (value: unknown) => string;
}

declare module '@formily/react' {
  /** The schema node being rendered (an action's, in its hooks and settings). */
  export function useFieldSchema(): {
    'x-uid'?: string;
    'x-action-settings'?: Record<string, unknown>;
    [key: string]: unknown;
  };
}
