/**
 * Data format of an explicit embedded Runge–Kutta pair (Butcher tableau) and its conversion into a field.
 *
 * Coefficients are strings: exact rationals "p/q" where the source publishes them that way, otherwise
 * decimal strings with every published digit. `validDigits` says how many significant digits the
 * coefficients carry (Infinity for exact rationals); the engine refuses a Decimal context needing more.
 */
import type { Field } from '../../numeric/Field.js';

export interface ExplicitTableauData {
  readonly name: string;
  /** Bibliographic source of the coefficients. */
  readonly source: string;
  /** Significant digits the coefficients carry; Infinity when all are exact rationals. */
  readonly validDigits: number;
  /** Order of the propagated solution (b). */
  readonly order: number;
  /** Order of the embedded solution used for the error estimate. */
  readonly embeddedOrder: number;
  readonly c: readonly string[];
  /** Strictly lower-triangular rows: a[i] has i entries (a[0] = []). */
  readonly a: readonly (readonly string[])[];
  readonly b: readonly string[];
  /** Error weights e = b − b̂ (the error estimate is h Σ e_i k_i). */
  readonly e: readonly string[];
  /**
   * 'embedded' (default): err = ‖h Σ e_i k_i‖. 'dop853': Hairer's combination of the 5th-order (`e`) and
   * 3rd-order (`e3`) differences, err = s5/sqrt(d(s3 + 0.01 s5)) (dop853.f).
   */
  readonly errorModel?: 'embedded' | 'dop853';
  readonly e3?: readonly string[];
  /** First Same As Last: the last stage is f(t+h, y_new) (c_s = 1, a_s = b). */
  readonly fsal: boolean;
  /**
   * Continuous extension y(t0+θh) = y0 + h Σ_i B_i(θ) k_i with B_i(θ) = Σ_p bTheta[i][p-1] θ^p over the
   * same stages (no extra stages), or absent (the engine then uses cubic Hermite interpolation).
   */
  readonly bTheta?: readonly (readonly string[])[];
  /** Order of the continuous extension. */
  readonly denseOrder?: number;
}

/** A tableau with coefficients in a field, plus the index sets of non-zero entries (skipped work). */
export interface ExplicitTableau<S> {
  readonly data: ExplicitTableauData;
  readonly stages: number;
  readonly c: S[];
  readonly a: S[][];
  readonly b: S[];
  readonly e: S[];
  readonly e3: S[] | undefined;
  readonly bTheta: S[][] | undefined;
}

/** Throws when the field needs more digits than the coefficients carry (see module doc). */
export function checkTableauPrecision<S>(F: Field<S>, data: { name: string; validDigits: number; source: string }): void {
  if (F.digits > data.validDigits + 1e-9) {
    throw new RangeError(
      `tableau ${data.name} carries ${data.validDigits} significant digits (${data.source}) but the field ` +
        `works with ${Math.round(F.digits)}; use a method with exact or computed coefficients (e.g. 'DP5', 'GBS', 'RadauIIA5')`,
    );
  }
}

export function tableauInField<S>(F: Field<S>, data: ExplicitTableauData): ExplicitTableau<S> {
  checkTableauPrecision(F, data);
  const s = data.c.length;
  if (data.a.length !== s || data.b.length !== s || data.e.length !== s) {
    throw new RangeError(`tableau ${data.name}: inconsistent stage counts`);
  }
  return {
    data,
    stages: s,
    c: data.c.map((x) => F.of(x)),
    a: data.a.map((row) => row.map((x) => F.of(x))),
    b: data.b.map((x) => F.of(x)),
    e: data.e.map((x) => F.of(x)),
    e3: data.e3?.map((x) => F.of(x)),
    bTheta: data.bTheta?.map((row) => row.map((x) => F.of(x))),
  };
}
