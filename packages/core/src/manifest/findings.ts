import type { Finding, FindingCode } from '../types.js';

/** The findings of one file (or one input): each `add` records a problem at a line of it. */
export class FileFindings {
  readonly list: Finding[] = [];

  constructor(
    readonly file: string,
    readonly source: Finding['source'] = 'file',
  ) {}

  add(line: number, code: FindingCode, message: string): void {
    this.list.push({ source: this.source, file: this.file, line, code, message });
  }

  get count(): number {
    return this.list.length;
  }
}
