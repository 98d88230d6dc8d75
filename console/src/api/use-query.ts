import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { ApiError, request } from './client';

export interface QueryState<Data> {
  data: Data | null;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/** Runs a query when the variables change; `reload()` runs it again and keeps the data shown meanwhile. */
export function useQuery<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables?: Variables,
): QueryState<Data> {
  const [state, setState] = useState<{ data: Data | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables ?? {});

  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    request(document, JSON.parse(key) as Variables).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          data: previous.data,
          error: error instanceof ApiError ? error : new ApiError(String(error), 'INTERNAL_SERVER_ERROR'),
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [document, key, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
