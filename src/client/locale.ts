import { useTranslation } from 'react-i18next';
import { LOCALE_NAMESPACE } from '../shared/constants';

/** A translation key NocoBase resolves later, where the string is rendered (menu titles, schema titles). */
export function tval(key: string): string {
  return `{{t(${JSON.stringify(key)}, { ns: ${JSON.stringify(LOCALE_NAMESPACE)} })}}`;
}

/** Marks a string as a translation key that is translated later with `t` (kept in the locale files). */
export function k<T extends string>(key: T): T {
  return key;
}

export function usePluginTranslation() {
  return useTranslation([LOCALE_NAMESPACE, 'client'], { nsMode: 'fallback' });
}
