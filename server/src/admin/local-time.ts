/**
 * `ms` as an ISO 8601 time in the zone `offsetMinutes` ahead of UTC, the offset written:
 * `2026-12-08T01:45:30+08:00`. A person reads their own clock, and no program mistakes it.
 */
export function localIso(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
