import { z } from 'zod';

/** `tz_offset`: the merchant's zone in whole minutes ahead of UTC; China's (480) by default. */
export const TzOffsetSchema = z
  .string()
  .regex(/^-?\d{1,3}$/, 'must be whole minutes ahead of UTC, e.g. 480')
  .transform(Number)
  .refine((minutes) => minutes >= -720 && minutes <= 840, 'must be from -720 to 840')
  .default(480);
