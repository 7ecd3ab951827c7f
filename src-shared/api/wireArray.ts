import { z } from 'zod';

/**
 * A typed array inside a JSON job payload (a cluster part job's data travels as JSON through Redis): its element
 * type, its length and its bytes (little-endian, as the store keeps them) in base64. The schema checks that the
 * text is base64 of exactly `length` elements, so a truncated or padded array is refused before it is decoded.
 */
export const WIRE_DTYPES = { float32: 4, float64: 8, int32: 4 } as const;
export type WireDtype = keyof typeof WIRE_DTYPES;

export interface WireArray {
  dtype: WireDtype;
  length: number;
  base64: string;
}

/** Characters of the base64 text of `bytes` bytes (with padding). */
export const base64Chars = (bytes: number): number => 4 * Math.ceil(bytes / 3);

export const wireArraySchema = z
  .object({
    dtype: z.enum(['float32', 'float64', 'int32'], { error: 'dtype must be float32, float64 or int32' }),
    length: z.number().int().min(0).max(2 ** 28),
    base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64 text'),
  })
  .strict()
  .superRefine((a, ctx) => {
    const want = base64Chars(a.length * WIRE_DTYPES[a.dtype]);
    if (a.base64.length !== want) {
      ctx.addIssue({ code: 'custom', path: ['base64'], message: `holds ${a.base64.length} base64 characters; ${a.length} ${a.dtype} values need ${want}` });
    }
  });
