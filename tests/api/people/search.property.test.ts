import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { seedPeople } from '../../../src/domain/people/seed-people.js';
import { describeEachDatabase } from '../../support/databases.js';
import { buildApiToken, buildOwner } from '../../support/factories.js';
import { useTestApp } from '../../support/test-app.js';

/**
 * People search against a model written here: for any term and page size, following the cursors returns every
 * active person whose username or email contains the term, once, in three phases — username prefixes by username,
 * then email prefixes by email, then the other matches by username (docs/decisions/0008). Terms of one or two
 * characters match prefixes only (docs/product/security-settings.md#bounded-work). Runs over seeded accounts (they
 * reach the SQLite trigram index through the seeding path) and ordinary ones.
 */
interface Person {
  username: string;
  email: string;
}

function expectedOrder(people: readonly Person[], term: string): string[] {
  const t = term.toLowerCase();
  const byUsername = (a: Person, b: Person) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);
  const byEmail = (a: Person, b: Person) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0);
  const usernamePrefix = people.filter((p) => p.username.startsWith(t)).sort(byUsername);
  const emailPrefix = people.filter((p) => !p.username.startsWith(t) && p.email.startsWith(t)).sort(byEmail);
  const rest =
    [...t].length < 3
      ? []
      : people
          .filter((p) => !p.username.startsWith(t) && !p.email.startsWith(t) && (p.username.includes(t) || p.email.includes(t)))
          .sort(byUsername);
  return [...usernamePrefix, ...emailPrefix, ...rest].map((p) => p.username);
}

describeEachDatabase('people search, against a model', (dialect) => {
  const t = useTestApp(dialect);
  let people: Person[] = [];
  let token = '';

  beforeAll(async () => {
    await seedPeople(t().cliContext(), { count: 300 });
    const owner = await buildOwner(t(), { username: 'model-owner' });
    token = await buildApiToken(t(), owner.user);
    people = (
      await t()
        .services.database.db.selectFrom('users')
        .select(['username', 'email_canonical as email'])
        .where('status', '=', 'active')
        .execute()
    ).map((row) => ({ username: row.username, email: row.email }));
  }, 60_000);

  async function search(term: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const url: string = `/api/v1/people?limit=${limit}&query=${encodeURIComponent(term)}${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await t().app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json() as { items: Array<{ username: string }>; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...body.items.map((item) => item.username));
      cursor = body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error(`more than 200 pages for "${term}"`);
  }

  it('returns every match once, in phase order, across any page size', async () => {
    // Terms cut from real usernames and emails (prefixes, inner pieces, whole addresses) and a few arbitrary ones.
    const fragment = fc.tuple(fc.nat(), fc.nat(12), fc.nat(12), fc.boolean()).map(([pick, start, length, fromEmail]) => {
      const person = people[pick % people.length] as Person;
      const source = fromEmail ? person.email : person.username;
      const from = Math.min(start, source.length - 1);
      return source.slice(from, from + 1 + length);
    });
    const term = fc.oneof({ weight: 5, arbitrary: fragment }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9._@%_-]{1,4}$/) });
    await fc.assert(
      fc.asyncProperty(term, fc.constantFrom(3, 7, 50), async (query, limit) => {
        const trimmed = query.trim();
        fc.pre(trimmed.length > 0);
        expect(await search(trimmed, limit)).toEqual(expectedOrder(people, trimmed));
      }),
      { numRuns: 60 },
    );
  });
});
