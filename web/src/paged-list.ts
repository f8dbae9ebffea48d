/**
 * A list the API hands out a page at a time (`{ items, nextCursor }`): loads the first page, adds the
 * next on "show more" and moves focus to the first new row, and keeps what a failure was, so the
 * page can say it calmly and keep what it already shows.
 */
import { type ApiOutcome, api, isOutage } from './api.js';
import { button, type ListMessages, listState } from './components.js';

type Page<T> = { items: T[]; nextCursor: string | null };

export type PagedList<T> = {
  readonly items: readonly T[];
  /** Loads the first page. */
  load(): Promise<void>;
  /** What stands above the rows: a failure notice, "loading", or "none yet". */
  state(messages: ListMessages): Node[];
  /** A "show more" button while there is a next page. */
  more(label: string): HTMLElement | null;
};

export function pagedList<T>(
  path: (cursor: string | undefined) => string,
  options: {
    draw: () => void;
    rows: () => HTMLElement | undefined;
    /**
     * A refused page: true to ask again (the path then asks differently, e.g. without a filter an
     * older API does not know yet).
     */
    retry?: (outcome: ApiOutcome<Page<T>>) => boolean;
  },
): PagedList<T> {
  const items: T[] = [];
  let nextCursor: string | null = null;
  let loaded = false;
  let loading = false;
  let failure: 'outage' | 'other' | undefined;

  async function load(cursor?: string) {
    loading = true;
    let outcome = await api<Page<T>>(path(cursor));
    if (outcome.kind !== 'ok' && options.retry?.(outcome)) outcome = await api<Page<T>>(path(cursor));
    loading = false;
    loaded = true;
    if (outcome.kind !== 'ok') {
      failure = isOutage(outcome) ? 'outage' : 'other';
      options.draw();
      return;
    }
    const focusIndex = items.length;
    items.push(...outcome.data.items);
    nextCursor = outcome.data.nextCursor;
    failure = undefined;
    options.draw();
    // After "show more", continue at the first new row.
    if (cursor) options.rows()?.querySelectorAll<HTMLElement>('tbody a')[focusIndex]?.focus();
  }

  return {
    items,
    load: () => load(),
    state: (messages) => listState({ failure, loaded, empty: items.length === 0 }, messages),
    more(label) {
      const cursor = nextCursor;
      if (!cursor) return null;
      return button(label, {
        type: 'button',
        secondary: true,
        onClick: () => {
          if (!loading) void load(cursor);
        },
      });
    },
  };
}
