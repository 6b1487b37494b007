import type { CSSProperties } from 'react';
import { usePluginTranslation } from '../locale';

/**
 * The one frame a message body is shown in: no scripts (no `allow-scripts`), an opaque origin (no
 * `allow-same-origin`), links may open new tabs that leave the sandbox, and no referrer to the sites it links to.
 * Every reader uses it, so the sandbox has one place to change.
 */
export function SandboxedMailFrame({ srcdoc, style }: { srcdoc: string; style?: CSSProperties }) {
  const { t } = usePluginTranslation();
  return (
    <iframe
      title={t('Message body')}
      data-testid="mail-body"
      sandbox="allow-popups allow-popups-to-escape-sandbox"
      referrerPolicy="no-referrer"
      srcDoc={srcdoc}
      style={{ border: 0, width: '100%', background: '#fff', ...style }}
    />
  );
}
