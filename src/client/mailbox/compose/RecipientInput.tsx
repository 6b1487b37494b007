import { Select, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { usePluginTranslation } from '../../locale';
import { parseRecipient, splitRecipients } from './addresses';

interface Props {
  value?: string[];
  onChange?(value: string[]): void;
  'aria-label': string;
  autoFocus?: boolean;
}

/** Several addresses as tags; typed, pasted (comma/semicolon separated) or left in the box on blur. Invalid ones turn red. */
export function RecipientInput({ value = [], onChange, autoFocus, ...rest }: Props) {
  const { t } = usePluginTranslation();
  const [typing, setTyping] = useState('');
  const add = (raw: string) => {
    const tokens = splitRecipients(raw).map((r) => r.text);
    if (tokens.length) onChange?.([...value, ...tokens.filter((x) => !value.includes(x))]);
  };
  return (
    <Select
      mode="tags"
      aria-label={rest['aria-label']}
      autoFocus={autoFocus}
      value={value}
      open={false}
      suffixIcon={null}
      tokenSeparators={[',', ';']}
      searchValue={typing}
      onSearch={setTyping}
      onChange={(next: string[]) => {
        setTyping('');
        onChange?.(next.flatMap((entry) => splitRecipients(entry).map((r) => r.text)));
      }}
      onBlur={() => {
        if (typing.trim()) add(typing);
        setTyping('');
      }}
      style={{ width: '100%' }}
      tagRender={({ value: entry, closable, onClose }) => {
        const valid = parseRecipient(String(entry)).valid;
        const tag = (
          <Tag
            color={valid ? undefined : 'error'}
            closable={closable}
            onClose={onClose}
            data-testid={valid ? 'recipient' : 'recipient-invalid'}
            style={{ marginInlineEnd: 4 }}
          >
            {String(entry)}
          </Tag>
        );
        return valid ? tag : <Tooltip title={t('Not a valid email address')}>{tag}</Tooltip>;
      }}
    />
  );
}
