/**
 * The few pages the provider library renders itself (docs/oidc.md): the logout question, the page after logging out,
 * and errors a browser sees (a wrong redirect URI, an unknown client). Plain HTML without script (the content
 * security policy allows none inline), styled to sit beside the console's pages.
 */

function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `body{font-family:Inter,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f1f3f5;color:#212529;margin:0}
header{padding:1rem 1.5rem;font-weight:700;font-size:1.1rem;color:#2f4fb5}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #dee2e6;border-radius:8px}
@media (max-width:30rem){main{margin:1rem;padding:1.25rem}}
h1{font-size:1.25rem;margin:0 0 1rem}p{line-height:1.5}.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font:inherit;padding:.5rem 1rem;border-radius:4px;border:1px solid #2f4fb5;background:#2f4fb5;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#2f4fb5}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-word}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Roster</title><style>${style}</style></head><body><header>Roster</header><main>${body}</main></body></html>`;
}

/** "Log out of Roster?" — `form` is the library's hidden form (its CSRF token and the logout request's state). */
export function logoutQuestionPage(form: string, applicationName: string | null): string {
  const from = applicationName ? `<p>${escapeHtml(applicationName)} asked to log you out.</p>` : '';
  return page(
    'Log out',
    `<h1>Log out of Roster?</h1>${from}<p>You will be logged out of Roster and of the applications you signed in to through it.</p>${form}
<div class="actions"><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Log out</button>
<button class="secondary" type="submit" form="op.logoutForm">Stay logged in</button></div>`,
  );
}

export function loggedOutPage(applicationName: string | null): string {
  const back = applicationName ? ` You can close this tab or go back to ${escapeHtml(applicationName)}.` : '';
  return page(
    'Logged out',
    `<h1>You are logged out</h1><p>You have been logged out of Roster.${back}</p><p><a href="/login">Log in again</a></p>`,
  );
}

/** An error the browser lands on (never the application's redirect URI: that is exactly what may be wrong). */
export function providerErrorPage(out: Record<string, unknown>): string {
  const rows = Object.entries(out)
    .map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  return page(
    'Sign-in error',
    `<h1>The sign-in request cannot be completed</h1><p>The application sent a request Roster cannot accept. Tell the application's administrator what it says below.</p><dl>${rows}</dl><p><a href="/">Go to Roster</a></p>`,
  );
}
