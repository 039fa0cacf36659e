/** What each scope lets an application do, in the words of the consent screen (docs/product: the provider's claims). */
const scopeDescriptions: Readonly<Record<string, string>> = {
  openid: 'Know who you are',
  profile: 'Your username',
  email: 'Your email address',
  roster: 'Your instance role and group names',
  offline_access: 'Stay signed in while you are away',
  'roster:api': "Use Roster's API as you",
};

/** The plain words for `scope`; a scope the console does not know is shown as its name. */
export function describeScope(scope: string): string {
  return Object.hasOwn(scopeDescriptions, scope) ? (scopeDescriptions[scope] ?? scope) : scope;
}
