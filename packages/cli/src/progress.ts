import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A bar on a terminal's stderr; it starts with the first result, so a confirmation prompt comes first. */
export function createProgress(stream: NodeJS.WritableStream, label: string): Progress {
  const bar = new SingleBar({
    stream,
    format: `${label} {bar} {value}/{total}`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
