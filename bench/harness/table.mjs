// Markdown tables: printed to the terminal and written to results/latest.md as they are.

/** @param {string[]} header @param {(string|number)[][]} rows */
export function markdownTable(header, rows) {
  const cells = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(cells[0]),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

/** Fixed decimals, or a dash when the figure does not exist (e.g. a ratio over zero). */
export function fixed(value, digits = 2) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}
