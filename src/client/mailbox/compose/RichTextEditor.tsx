import {
  BoldOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  UnderlineOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useEffect, useRef } from 'react';
import { usePluginTranslation } from '../../locale';

interface Props {
  /** Initial HTML; the editor owns its content afterwards. */
  initialHtml: string;
  onChange(html: string): void;
}

/**
 * A small, dependency-free rich-text box: bold, italic, underline, lists and links over a contentEditable. The
 * server sanitises whatever it produces before sending.
 */
export function RichTextEditor({ initialHtml, onChange }: Props) {
  const { t } = usePluginTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.innerHTML = initialHtml;
    // Only the first render sets the content; later edits are the user's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const run = (command: string, arg?: string) => {
    ref.current?.focus();
    document.execCommand(command, false, arg);
    if (ref.current) onChange(ref.current.innerHTML);
  };
  const tool = (title: string, icon: React.ReactNode, command: string) => (
    <Tooltip title={title}>
      <Button
        size="small"
        type="text"
        icon={icon}
        aria-label={title}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => run(command)}
      />
    </Tooltip>
  );
  return (
    <div style={{ border: '1px solid #d9d9d9', borderRadius: 6 }}>
      <Space size={0} style={{ borderBottom: '1px solid #f0f0f0', padding: 2, width: '100%' }}>
        {tool(t('Bold'), <BoldOutlined />, 'bold')}
        {tool(t('Italic'), <ItalicOutlined />, 'italic')}
        {tool(t('Underline'), <UnderlineOutlined />, 'underline')}
        {tool(t('Bulleted list'), <UnorderedListOutlined />, 'insertUnorderedList')}
        {tool(t('Numbered list'), <OrderedListOutlined />, 'insertOrderedList')}
        <Tooltip title={t('Link')}>
          <Button
            size="small"
            type="text"
            icon={<LinkOutlined />}
            aria-label={t('Link')}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              const url = window.prompt(t('Link address (https://…)'));
              if (url && /^(https?:|mailto:)/i.test(url.trim())) run('createLink', url.trim());
            }}
          />
        </Tooltip>
      </Space>
      <div
        ref={ref}
        role="textbox"
        aria-multiline="true"
        aria-label={t('Message')}
        contentEditable
        suppressContentEditableWarning
        onInput={() => ref.current && onChange(ref.current.innerHTML)}
        style={{ minHeight: 220, padding: '8px 12px', outline: 'none', overflowY: 'auto', maxHeight: '45vh' }}
      />
    </div>
  );
}
