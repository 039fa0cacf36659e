// `npm run docs`: regenerates the permission tables in README.md from the catalogue.
import fs from 'node:fs';
import path from 'node:path';
import { withPermissionTables } from '../src/domain/access/permission-tables.js';

const readme = path.resolve(import.meta.dirname, '../README.md');
fs.writeFileSync(readme, withPermissionTables(fs.readFileSync(readme, 'utf8')));
console.log('README.md permission tables regenerated');
