import { createInterface } from 'node:readline/promises';

/**
 * Asks a yes/no question; only `y` or `yes` agree. Ctrl-C or end of input at the prompt counts as
 * no, so nothing changes unless a person said so.
 */
export async function askYesNo(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<boolean> {
  const readline = createInterface({ input, output });
  const controller = new AbortController();
  readline.on('SIGINT', () => controller.abort());
  readline.on('close', () => controller.abort());
  try {
    const answer = await readline.question(question, { signal: controller.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    output.write('\n');
    return false;
  } finally {
    readline.close();
  }
}
