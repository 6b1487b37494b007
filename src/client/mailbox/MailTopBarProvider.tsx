import { PinnedPluginListProvider, SchemaComponentOptions } from '@nocobase/client';
import type { ReactNode } from 'react';
import { MailTopBarButton } from './MailTopBarButton';

/**
 * Puts the Email button into the admin top bar the way NocoBase's own plugins add theirs (in-app messages, workflow
 * tasks): a pinned item naming a component, visible to every signed-in user (snippet `*`).
 */
export function MailTopBarProvider({ children }: { children?: ReactNode }) {
  return (
    <PinnedPluginListProvider
      items={{ mailbridgeEmail: { order: 290, component: 'MailbridgeTopBarButton', pin: true, snippet: '*' } }}
    >
      <SchemaComponentOptions components={{ MailbridgeTopBarButton: MailTopBarButton }}>
        {children}
      </SchemaComponentOptions>
    </PinnedPluginListProvider>
  );
}
