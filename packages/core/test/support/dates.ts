/** `instant` as local time `offsetMinutes` east of UTC, written `YYYY-MM-DDTHH:MM:SS±HH:MM` (or `Z`). */
export function atOffset(instant: number, offsetMinutes: number, zulu = false): string {
  const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (zulu && offsetMinutes === 0) return `${local}Z`;
  const size = Math.abs(offsetMinutes);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
}
