import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

export interface Notification {
  kind: 'success' | 'error';
  title: string;
  body?: string;
}

const NotifyContext = createContext<(notification: Notification) => void>(() => undefined);

export const useNotify = () => useContext(NotifyContext);

/** Notifications slide out from the right; failures are announced at once (role=alert). */
export function NotificationProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<(Notification & { id: number })[]>([]);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((item) => item.id !== id)), []);
  const notify = useCallback(
    (notification: Notification) => {
      const id = Date.now() + Math.random();
      // The newest three stay in view; a failure stays long enough to be read.
      setItems((all) => [...all, { ...notification, id }].slice(-3));
      setTimeout(() => dismiss(id), notification.kind === 'error' ? 15_000 : 5_000);
    },
    [dismiss],
  );
  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <div className="toasts" aria-label="Notifications" role="region">
        {items.map((item) => (
          <div
            key={item.id}
            className={`toast toast-${item.kind}`}
            role={item.kind === 'error' ? 'alert' : 'status'}
          >
            <strong>{item.title}</strong>
            {item.body && <p>{item.body}</p>}
            <button
              type="button"
              className="ghost"
              aria-label="Dismiss notification"
              onClick={() => dismiss(item.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}
