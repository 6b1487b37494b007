import { useCallback } from 'react';
import { apiProblem } from '../api/errors';
import { usePluginTranslation } from '../locale';

/** Turns a failed request into the words to show: the server's own message, or "could not reach the server". */
export function useErrorText() {
  const { t } = usePluginTranslation();
  return useCallback(
    (err: unknown) => {
      const problem = apiProblem(err);
      if (problem?.message) return problem.message;
      if (problem?.status === 403) return t('You do not have permission to do this.');
      if (problem)
        return t('The server could not complete the request (HTTP {{status}}). Try again later.', {
          status: problem.status,
        });
      return t('The server could not be reached. Check your connection and try again.');
    },
    [t],
  );
}
