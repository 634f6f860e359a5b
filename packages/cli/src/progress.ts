import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  /** Writes a line above the bar, which is drawn again below it. */
  note(text: string): void;
  stop(): void;
}

/**
 * A bar on a terminal's stderr; it starts with the first result, so a confirmation prompt comes first.
 * The bar is as wide as the terminal allows with the count still shown (cli-progress cuts a line
 * wider than the terminal, count first).
 */
export function createProgress(
  stream: NodeJS.WritableStream & { columns?: number },
  label: string,
): Progress {
  let bar: SingleBar | undefined;
  let shown = { done: 0, total: 0 };
  const start = () => {
    const count = String(shown.total).length * 2 + 1;
    const room = (stream.columns ?? 80) - label.length - count - 3;
    bar = new SingleBar({
      stream,
      format: room >= 5 ? `${label} {bar} {value}/{total}` : `${label} {value}/{total}`,
      barsize: Math.max(5, Math.min(30, room)),
      hideCursor: true,
      clearOnComplete: true,
    });
    bar.start(shown.total, shown.done);
  };
  return {
    update(done, total) {
      shown = { done, total };
      if (!bar) return start();
      bar.setTotal(total);
      bar.update(done);
    },
    note(text) {
      if (!bar) {
        stream.write(text);
        return;
      }
      // The bar draws over its own line (it saves and restores the cursor): take it down, write the
      // line, and draw a new bar below it.
      bar.stop();
      stream.write(text);
      start();
    },
    stop() {
      bar?.stop();
    },
  };
}
