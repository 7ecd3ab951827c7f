import { type BookContent } from '../../../src-shared/portfolio/book';
import { checkSolve, gridHorizon } from '../../../src-shared/bsde/config';

/**
 * The time grid t_n = n dt, dt = T / N, and each option's maturity index k_j (t_{k_j} = T_j) and exercise
 * indices (spec "Book": exercise dates E_j on the grid; European: E_j = {T_j}; Bermudan: E equidistant dates
 * k T_j / E, k = 1..E). Index 0 (t = 0) is never an exercise date.
 */
export interface Grid {
  steps: number;
  horizon: number;
  dt: number;
  /** Maturity index k_j of each option. */
  maturityIndex: Int32Array;
  /** exercise[j][n] = 1 when t_n is an early-exercise date of option j (0 < n < k_j). */
  exercise: Uint8Array[];
}

/** Build the grid; throws with the first grid problem (the handler has already checked with checkSolve). */
export function buildGrid(book: BookContent, steps: number, horizon: number | null): Grid {
  const issues = checkSolve(book, { scheme: 'rdbdp', steps, horizon, width: 2, depth: 1, batch: 16 });
  const gridIssue = issues.find((i) => i.path[0] === 'options');
  if (gridIssue) throw new Error(gridIssue.message);
  const T = gridHorizon(book, horizon);
  const dt = T / steps;
  const maturityIndex = Int32Array.from(book.options, (o) => Math.round(o.maturity / dt));
  const exercise = book.options.map((o, j) => {
    const e = new Uint8Array(steps + 1);
    if (o.exercise === 'bermudan') {
      for (let k = 1; k < o.exerciseDates; k++) e[Math.round((k * o.maturity) / o.exerciseDates / dt)] = 1;
    }
    e[maturityIndex[j]] = 0;
    e[0] = 0;
    return e;
  });
  return { steps, horizon: T, dt, maturityIndex, exercise };
}

/** Per-option masks at grid index n, as 0/1 Float32Arrays of length J. */
export interface StepMasks {
  /** k_j > n: the option still has a continuation value at t_n (it is trained at step n). */
  alive: Float32Array;
  /** k_j = n: t_n is the option's maturity (value = payoff). */
  terminal: Float32Array;
  /** t_n is an early-exercise date of the option (and k_j > n). */
  exercise: Float32Array;
  anyTerminal: boolean;
  anyExercise: boolean;
}

export function stepMasks(g: Grid, n: number): StepMasks {
  const J = g.maturityIndex.length;
  const alive = new Float32Array(J);
  const terminal = new Float32Array(J);
  const exercise = new Float32Array(J);
  for (let j = 0; j < J; j++) {
    const k = g.maturityIndex[j];
    alive[j] = k > n ? 1 : 0;
    terminal[j] = n === k || (n === g.steps && k <= n) ? 1 : 0;
    exercise[j] = k > n && g.exercise[j][n] ? 1 : 0;
  }
  return { alive, terminal, exercise, anyTerminal: terminal.some((x) => x > 0), anyExercise: exercise.some((x) => x > 0) };
}
