/**
 * What a page of the web app is and what it is given: the router (app.ts) renders views, and the
 * views import these types from here, never from the router, so the arrows point one way.
 */
import type { WebConfig } from './config.js';
import type { Session } from './session.js';

export type View = {
  /** The page's name, for the document title and the heading. */
  title(): string;
  render(): Node;
  /** Whether the page shows errors now: the title then starts with "Error:". */
  hasErrors?(): boolean;
  dispose?(): void;
};

export type ViewContext = {
  config: WebConfig;
  session: Session | undefined;
  params: string[];
  query: URLSearchParams;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Re-renders the whole page from the view's state (e.g. after a submit found errors). */
  rerender(): void;
  /** Sets the document title again after the view's state changed. */
  updateTitle(): void;
};
