/**
 * The part of NocoBase's v1 client API only the "Send email" record action uses (action initializers and settings
 * entries), merged into the declaration in nocobase-client.d.ts, which holds what it shares with the Emails block. Each
 * entry was checked against NocoBase's client (packages/core/client) and official action plugins (print,
 * bulk-update, duplicate); test/e2e/send-email-action.test.ts uses them in a running app.
 */
declare module '@nocobase/client' {
  import type { ComponentType, FC } from 'react';

  interface Application {
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
