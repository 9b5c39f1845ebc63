import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/** What a GET of the ops API answers, loaded again when the path changes or `reload` is called. */
export function useApi<T>(path: string | undefined): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== undefined });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (path === undefined) return;
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) =>
        current && setState({ error: error instanceof ApiError ? error : new ApiError(0, String(error)), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}
