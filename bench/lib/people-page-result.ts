/** What `bench/browser/people-page.ts` prints (after `PEOPLEPAGE `) for `bench/run.ts`. */
export interface PeoplePageResult {
  /** Milliseconds from opening /people to the first 50 rows on screen. */
  firstRowsMs: number;
  /** From typing a search term to its matches on screen (includes the console's 300 ms typing pause). */
  searchMs: number;
  /** From "Load more" to the next 50 rows on screen (a cursor page). */
  loadMoreMs: number;
  /** Serious or critical axe-core findings on the searched page. */
  seriousAccessibilityFindings: string[];
  screenshot: string;
}

export type PeoplePageOutcome = PeoplePageResult | { skipped: string };
