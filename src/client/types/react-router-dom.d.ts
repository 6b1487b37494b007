/**
 * The part of react-router-dom (v6, provided by the NocoBase host at run time) this plugin uses; the package is
 * not installed for types here.
 */
declare module 'react-router-dom' {
  export interface NavigateOptions {
    replace?: boolean;
  }
  export function useNavigate(): (to: string, options?: NavigateOptions) => void;
  export function useLocation(): { pathname: string; search: string; hash: string };
}
