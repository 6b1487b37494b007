/**
 * Modules a NocoBase 2.x app already defines in its requirejs registry; a plugin's client bundle must import
 * them from the host, never bundle its own copy (two Reacts break hooks; two antd break theming).
 */
export const HOST_PROVIDED_CLIENT_MODULES = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react-router',
  'react-router-dom',
  'antd',
  'antd-style',
  '@ant-design/icons',
  '@ant-design/cssinjs',
  '@emotion/css',
  'i18next',
  'react-i18next',
  'ahooks',
  'lodash',
  'dayjs',
  'axios',
  '@nocobase/client',
  '@nocobase/utils',
  '@nocobase/utils/client',
  '@nocobase/sdk',
];

export function isHostProvided(moduleName: string): boolean {
  return HOST_PROVIDED_CLIENT_MODULES.includes(moduleName) || moduleName.startsWith('@formily/');
}
