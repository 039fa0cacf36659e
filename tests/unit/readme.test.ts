import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withPermissionTables } from '../../src/domain/access/permission-tables.js';

describe('README', () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

  it('shows the permission tables exactly as the catalogue generates them (run `npm run docs` after a change)', () => {
    expect(readme).toBe(withPermissionTables(readme));
  });

  it('names the two commands a newcomer needs', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
