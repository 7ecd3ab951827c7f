/**
 * Types for the parts of `fast-kde` (uwdata/fast-kde 0.2, no bundled types) that the engine uses:
 * a 1-D Gaussian KDE by linear binning onto a grid and Deriche's recursive approximation of the
 * Gaussian convolution (Heer 2021, "Fast & Accurate Gaussian Kernel Density Estimation").
 */
declare module 'fast-kde' {
  export interface Density1dOptions {
    /** Kernel standard deviation, data units; default Scott's rule (nrd) times `adjust`. */
    bandwidth?: number;
    adjust?: number;
    /** Grid range [lo, hi]; default data extent padded by `pad` bandwidths. Data outside is dropped. */
    extent?: [number, number];
    pad?: number;
    /** Number of grid points (default 512). */
    bins?: number;
    weight?: (d: number, i: number) => number;
  }
  export interface Density1dEstimator {
    /** Probability mass per grid point (divide by the grid spacing for a density), length `bins`. */
    grid(): Float64Array;
    extent(): [number, number];
    bandwidth(): number;
    points(x?: string, y?: string): Iterable<Record<string, number>>;
  }
  export function density1d(data: ArrayLike<number>, options?: Density1dOptions): Density1dEstimator;
}
