import type { AnnotationProperties, Reporter } from '../../src/publish.js';

/** A `Reporter` that keeps everything the run made visible: outputs, annotations, logs and the summary. */
export class RecordingReporter implements Reporter {
  readonly outputs = new Map<string, string>();
  readonly annotations: { level: string; message: string; properties?: AnnotationProperties }[] = [];
  readonly logs: string[] = [];
  summary = '';
  info(message: string) {
    this.logs.push(message);
  }
  notice(message: string, properties?: AnnotationProperties) {
    this.annotations.push({ level: 'notice', message, properties });
  }
  warning(message: string, properties?: AnnotationProperties) {
    this.annotations.push({ level: 'warning', message, properties });
  }
  error(message: string, properties?: AnnotationProperties) {
    this.annotations.push({ level: 'error', message, properties });
  }
  setOutput(name: string, value: string) {
    this.outputs.set(name, value);
  }
  async writeSummary(markdown: string) {
    this.summary += markdown;
  }
  /** Everything visible as one string (with whatever else the run wrote, such as comments), to check that no secret is in it. */
  everything(...elsewhere: unknown[]): string {
    return JSON.stringify([[...this.outputs], this.annotations, this.logs, this.summary, ...elsewhere]);
  }
}
