/**
 * What each scope lets an application know or do, in the words the consent screen uses (SPEC §12.1); an unknown
 * scope is shown as it is.
 */
const scopeWords: Readonly<Record<string, string>> = {
  openid: 'Know who you are',
  profile: 'Your username',
  email: 'Your email address',
  roster: 'Your instance role and group names',
  offline_access: 'Stay signed in while you are away',
  'roster:api': "Use Roster's API as you",
};

export function describeScope(scope: string): string {
  return scopeWords[scope] ?? scope;
}
