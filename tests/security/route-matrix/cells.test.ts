import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { testSecretKeyEnv } from '../../support/mfa.js';
import { useTestApp } from '../../support/test-app.js';
import { minimalWebRoot } from '../support/actors.js';
import { cells, matrixOrigin, rowOf, runCell } from './table.js';

/** Every cell of the table in ./table.ts: one request by a fresh caller of each kind, and the status it must get. */
describeEachDatabase('security: authorization matrix over every route', (dialect) => {
  const t = useTestApp(dialect, { webRoot: minimalWebRoot(), env: { ROSTER_PUBLIC_URL: matrixOrigin, ...testSecretKeyEnv } });

  for (const cell of cells) {
    it(`${cell.method === 'HEAD' ? cell.route.replace(/^GET/, 'HEAD') : cell.route} as ${cell.actor} → ${cell.status}`, async () => {
      const response = await runCell(t(), cell);
      expect(response.statusCode, response.body.slice(0, 300)).toBe(cell.status);
      if (cell.status >= 400 && cell.method !== 'HEAD') {
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
      if (cell.status === 401 && cell.method !== 'HEAD') expect(['unauthenticated', 'invalid_token']).toContain(response.json().code);
      if (cell.actor === 'restricted' && cell.status === 403 && cell.method !== 'HEAD' && !rowOf(cell.route).public) {
        expect(response.json().code).toBe('password_change_required');
      }
      if (cell.actor === 'mfaSetup' && cell.status === 403 && cell.method !== 'HEAD' && !rowOf(cell.route).public) {
        expect(response.json().code).toBe(rowOf(cell.route).mfaSetupCode ?? 'mfa_setup_required');
      }
    });
  }
});
