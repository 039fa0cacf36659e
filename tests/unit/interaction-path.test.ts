import { describe, expect, it } from 'vitest';

// The console is type-checked by web/tsconfig.json; import the modules under test at run time with their types here.
const pathModule = '../../web/src/features/oidc/interaction-path.ts';
const scopeModule = '../../web/src/features/oidc/scope-descriptions.ts';
type PathModule = {
  interactionPath(uid: string): string;
  safeInteractionPath(raw: string | null): string | null;
  stepPathFor(uid: string, step: 'password_change' | 'mfa_setup'): string;
};
type ScopeModule = { describeScope(scope: string): string };

// An application's sign-in (`/interaction/:uid`) sends a restricted session to finish its step with `?next=`, and only
// the path of a sign-in request may come back through it.
describe("the way back to an application's sign-in", () => {
  it('accepts the path of a sign-in request and nothing else', async () => {
    const { safeInteractionPath } = (await import(pathModule)) as PathModule;
    expect(safeInteractionPath('/interaction/Xk3_-9aZ')).toBe('/interaction/Xk3_-9aZ');
    for (const raw of [
      null,
      '',
      '/',
      '/people',
      '/interaction/',
      '/interaction',
      '//evil.example/interaction/abc',
      'https://evil.example/interaction/abc',
      '/\\evil.example',
      '/interaction/abc/../../people',
      '/interaction/abc/details',
      '/interaction/abc?next=https://evil.example',
      '/interaction/abc#x',
      '/interaction/a%2Fb',
      ' /interaction/abc',
      '/interaction/abc\n',
      `/interaction/${'a'.repeat(129)}`,
    ]) {
      expect(safeInteractionPath(raw), String(raw)).toBeNull();
    }
  });

  it('builds the step pages that come back to the request', async () => {
    const { stepPathFor, interactionPath, safeInteractionPath } = (await import(pathModule)) as PathModule;
    expect(interactionPath('abc')).toBe('/interaction/abc');
    expect(stepPathFor('abc', 'password_change')).toBe('/profile?next=%2Finteraction%2Fabc');
    expect(stepPathFor('abc', 'mfa_setup')).toBe('/profile?next=%2Finteraction%2Fabc#two-factor');
    const next = new URL(stepPathFor('abc', 'mfa_setup'), 'http://localhost').searchParams.get('next');
    expect(safeInteractionPath(next)).toBe('/interaction/abc');
  });
});

describe('the scopes on the consent screen', () => {
  it('are plain words, and an unknown scope is its name', async () => {
    const { describeScope } = (await import(scopeModule)) as ScopeModule;
    expect(describeScope('openid')).toBe('Know who you are');
    expect(describeScope('roster:api')).toBe("Use Roster's API as you");
    expect(describeScope('deploy:write')).toBe('deploy:write');
    expect(describeScope('constructor')).toBe('constructor');
    expect(describeScope('__proto__')).toBe('__proto__');
  });
});
