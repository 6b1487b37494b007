import { Checkbox, Collapse } from 'antd';
import { usePluginTranslation } from '../../locale';
import { mailSrcdoc } from '../mail-frame';

/** The quoted original (reply) or forwarded message the server appends, shown read-only, and a switch to leave it out. */
export function QuotePreview({
  html,
  include,
  onInclude,
  forward,
}: {
  html: string;
  include: boolean;
  onInclude(v: boolean): void;
  forward: boolean;
}) {
  const { t } = usePluginTranslation();
  return (
    <div>
      <Checkbox checked={include} onChange={(e) => onInclude(e.target.checked)}>
        {forward ? t('Include the forwarded message') : t('Include the original message')}
      </Checkbox>
      {include && (
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: 'quote',
              label: forward ? t('Show the forwarded message') : t('Show the quoted text'),
              children: (
                <iframe
                  title={t('Quoted text')}
                  sandbox=""
                  srcDoc={mailSrcdoc(html, { showRemote: false })}
                  style={{ border: '1px solid #f0f0f0', width: '100%', height: 240 }}
                />
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
