// Simulated time is a number of seconds from the start of the run. These helpers keep scenario code free of
// 3600s and 86400s whose meaning a reader has to reconstruct.

export const SECOND = 1;
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;

export const seconds = (n: number): number => n;
export const minutes = (n: number): number => n * MINUTE;
export const hours = (n: number): number => n * HOUR;
export const days = (n: number): number => n * DAY;

/** A time or duration in seconds, expressed in hours. */
export const inHours = (t: number): number => t / HOUR;
/** A time or duration in seconds, expressed in days. */
export const inDays = (t: number): number => t / DAY;
