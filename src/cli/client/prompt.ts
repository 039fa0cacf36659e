import { CliError } from '../errors.js';

interface PromptIo {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Reads a secret (an API token, a password) without ever taking it from argv: from a hidden prompt on a terminal, or
 * from the first line of stdin when it is not one (`echo "$TOKEN" | roster connect …`).
 */
export async function readSecret(prompt: string, io: PromptIo = { stdin: process.stdin, stderr: process.stderr }): Promise<string> {
  const secret = io.stdin.isTTY ? await hiddenPrompt(prompt, io) : firstLine(await readAll(io.stdin));
  if (!secret) throw new CliError('usage', `${prompt.replace(/:\s*$/, '')} is required.`, 2);
  return secret;
}

/** Asks a yes/no question on a terminal; false on anything but y/yes. */
export async function confirm(question: string, io: PromptIo = { stdin: process.stdin, stderr: process.stderr }): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    io.stdin.setEncoding('utf8');
    io.stdin.once('data', (chunk: string) => {
      io.stdin.pause();
      resolve(chunk);
    });
    io.stdin.resume();
  });
  return /^y(es)?$/i.test(answer.trim());
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw-mode terminal input that echoes nothing; Backspace edits, Enter ends, Ctrl-C / Ctrl-D abort. */
function hiddenPrompt(prompt: string, { stdin, stderr }: PromptIo): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new CliError('cancelled', 'Cancelled.', 130));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    stdin.setEncoding('utf8');
    // Echo goes off before the prompt shows: a secret typed the moment the prompt appears is never echoed.
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
    stderr.write(prompt);
  });
}
