import { createInterface } from 'node:readline/promises';

export type Answer = 'yes' | 'no' | 'interrupted';

/**
 * Asks a yes/no question; only `y` or `yes` agree. End of input counts as no and Ctrl-C as an
 * interruption, so nothing changes unless a person said so.
 */
export async function askYesNo(
  question: string,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<Answer> {
  const readline = createInterface({ input, output });
  const controller = new AbortController();
  let interrupted = false;
  // On a terminal readline reads Ctrl-C as a key and says so here, instead of a SIGINT to the process.
  readline.on('SIGINT', () => {
    interrupted = true;
    controller.abort();
  });
  readline.on('close', () => controller.abort());
  try {
    const answer = await readline.question(question, { signal: controller.signal });
    return /^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no';
  } catch {
    output.write('\n');
    return interrupted ? 'interrupted' : 'no';
  } finally {
    readline.close();
  }
}
