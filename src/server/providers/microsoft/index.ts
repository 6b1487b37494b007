export { microsoftProvider } from './microsoft-provider';
export { parseMicrosoftError } from './parse-microsoft-error';
export { MICROSOFT_CLOUDS, outlookScopes } from './clouds';
