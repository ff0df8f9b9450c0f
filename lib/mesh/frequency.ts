/**
 * Update frequencies as data contracts write them: the words `realtime`,
 * `hourly`, `daily`, `weekly`, `monthly`; "every 15 minutes" / "every 6
 * hours"; or an ISO 8601 duration such as `PT15M` or `P1D`. Pure: no imports.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "realtime" has no interval of its own: a product updated continuously is expected at least every 15 minutes. */
const WORDS: Record<string, number> = {
  realtime: 15 * MINUTE,
  hourly: HOUR,
  daily: DAY,
  weekly: 7 * DAY,
  monthly: 30 * DAY,
};

const UNITS: Record<string, number> = {
  second: 1,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
};

const EVERY = /^every\s+(?:(\d+)\s+)?(second|minute|hour|day|week|month)s?$/;
const ISO = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** The shortest and longest frequencies a product may declare. */
export const MIN_FREQUENCY_SECONDS = MINUTE;
export const MAX_FREQUENCY_SECONDS = 366 * DAY;

export interface Frequency {
  /** As the owner wrote it, tidied: "every 15 minutes", "PT15M", "daily". */
  text: string;
  /** The interval between two updates, in seconds. */
  seconds: number;
  /** The same interval as an ISO 8601 duration, e.g. "PT15M". */
  iso: string;
}

/** The frequency `text` declares, or null when it is none of the accepted forms. */
export function parseFrequency(text: string): Frequency | null {
  const trimmed = text.trim().replace(/\s+/g, " ");
  const lower = trimmed.toLowerCase();
  let seconds: number | undefined = WORDS[lower];
  let tidy = lower;
  const every = EVERY.exec(lower);
  if (every) {
    const count = every[1] === undefined ? 1 : Number(every[1]);
    seconds = count * UNITS[every[2]!]!;
  }
  const iso = ISO.exec(trimmed.toUpperCase());
  if (iso && trimmed.length > 1 && !trimmed.toUpperCase().endsWith("T")) {
    const [years, months, weeks, days, hours, minutes, secs] = iso.slice(1).map((part) => Number(part ?? 0));
    seconds = years! * 365 * DAY + months! * 30 * DAY + weeks! * 7 * DAY + days! * DAY + hours! * HOUR + minutes! * MINUTE + secs!;
    tidy = trimmed.toUpperCase();
  }
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < MIN_FREQUENCY_SECONDS || seconds > MAX_FREQUENCY_SECONDS) return null;
  return { text: tidy, seconds, iso: isoDuration(seconds) };
}

/** Seconds as the shortest ISO 8601 duration in days, hours, minutes and seconds. */
export function isoDuration(seconds: number): string {
  const days = Math.floor(seconds / DAY);
  const hours = Math.floor((seconds % DAY) / HOUR);
  const minutes = Math.floor((seconds % HOUR) / MINUTE);
  const secs = seconds % MINUTE;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${secs ? `${secs}S` : ""}`;
  if (!days && !time) return "PT0S";
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}
