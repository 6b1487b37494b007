import { Button, Input, Space, Tag } from 'antd';
import { usePluginTranslation } from '../locale';

interface Props {
  /** A secret is saved on the server; its value never comes back. */
  isSet: boolean;
  replacing: boolean;
  onReplace(): void;
  onKeep(): void;
  value?: string;
  onChange?(value: string): void;
}

/** The client secret: "Set" with a Replace button once saved; a password field when entering a new one. */
export function SecretField({ isSet, replacing, onReplace, onKeep, value, onChange }: Props) {
  const { t } = usePluginTranslation();
  if (isSet && !replacing) {
    return (
      <Space>
        <Tag color="green">{t('Set')}</Tag>
        <Button size="small" onClick={onReplace}>
          {t('Replace')}
        </Button>
      </Space>
    );
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input.Password
        aria-label={t('Client secret')}
        autoComplete="new-password"
        placeholder={t("Paste the secret's Value")}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
      />
      {isSet && <Button onClick={onKeep}>{t('Keep the saved secret')}</Button>}
    </Space.Compact>
  );
}
