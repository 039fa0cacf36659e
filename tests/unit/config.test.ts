import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('defaults to SQLite at ./data/roster.db on 127.0.0.1:3000', () => {
    const config = loadConfig({}, '/srv/roster');
    expect(config.database).toEqual({ kind: 'sqlite', file: '/srv/roster/data/roster.db', url: 'sqlite:./data/roster.db' });
    expect(config.publicUrl.href).toBe('http://127.0.0.1:3000/');
    expect(config).toMatchObject({
      passwordMinLength: 15,
      sessionIdleMinutes: 60,
      sessionMaxHours: 24,
      temporaryPasswordHours: 72,
      logLevel: 'info',
    });
    expect(config.hashConcurrency).toBeGreaterThanOrEqual(1);
  });

  it('switches to PostgreSQL for postgres:// URLs', () => {
    expect(loadConfig({ ROSTER_DATABASE_URL: 'postgres://u@db:5432/roster' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/roster',
    });
  });

  it('lists every bad value at once', () => {
    try {
      loadConfig({ ROSTER_DATABASE_URL: 'mysql://nope', ROSTER_PORT: 'eighty', ROSTER_PASSWORD_MIN_LENGTH: '4', ROSTER_LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('ROSTER_DATABASE_URL');
      expect(problems).toContain('ROSTER_PORT');
      expect(problems).toContain('ROSTER_PASSWORD_MIN_LENGTH');
      expect(problems).toContain('ROSTER_LOG_LEVEL');
    }
  });

  it('does not echo a database password in its error', () => {
    expect(() => loadConfig({ ROSTER_DATABASE_URL: 'postgres://u:s3cret@' })).toThrow(ConfigError);
    try {
      loadConfig({ ROSTER_DATABASE_URL: 'postgres://u:s3cret@' });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('documents every variable in the README configuration table', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const variable of configVariables) expect(readme, variable.name).toContain(`\`${variable.name}\``);
  });
});
