/** Exit codes of every `roster` command (SPEC §9). */
export const exitCodes = { ok: 0, error: 1, usage: 2, forbidden: 3 } as const;

/** Prints either JSON (`--json`) or the human form of a result. */
export interface Output {
  json: boolean;
  line(text: string): void;
  result(data: unknown, human: () => string): void;
  error(code: string, message: string): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    line: (text) => stdout.write(`${text}\n`),
    result(data, human) {
      stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
    },
    error(code, message) {
      if (json) stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
      else stderr.write(`error: ${message} (${code})\n`);
    },
  };
}
