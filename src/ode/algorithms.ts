/**
 * The algorithm registry: a name → a stepper factory. A new explicit integrator is a new tableau plus a
 * line here; the loop (erk.ts) is shared.
 */
import { makeExplicitRkStepper } from './erk.js';
import { makeGbsStepper } from './gbs.js';
import { makeRadauIIAStepper } from './radauIIA.js';
import { DOP853_TABLEAU } from './tableaus/dop853.js';
import { DP5_TABLEAU } from './tableaus/dp5.js';
import type { StepperContext, StepperFactory } from './types.js';

export interface AlgorithmInfo {
  readonly name: string;
  readonly description: string;
  /** Nominal order of the propagated solution (GBS: variable). */
  readonly order: number;
  readonly stiff: boolean;
  readonly factory: StepperFactory;
}

const registry = {
  DP5: {
    name: 'DP5',
    description: 'Dormand–Prince 5(4), FSAL, 4th-order dense output; exact rational coefficients (any precision)',
    order: 5,
    stiff: false,
    factory: <S>(ctx: StepperContext<S>) => makeExplicitRkStepper(DP5_TABLEAU, ctx),
  },
  DOP853: {
    name: 'DOP853',
    description: "Dormand–Prince 8(5,3) (Hairer's dop853 coefficients, 27 valid digits: float64 and Decimal ≤ 27 digits); dense output by re-integration",
    order: 8,
    stiff: false,
    factory: <S>(ctx: StepperContext<S>) => makeExplicitRkStepper(DOP853_TABLEAU, ctx),
  },
  RadauIIA5: {
    name: 'RadauIIA5',
    description: 'Radau IIA, 3 stages, order 5 (radau5), L-stable, simplified Newton with the problem Jacobian; coefficients at working precision',
    order: 5,
    stiff: true,
    factory: <S>(ctx: StepperContext<S>) => makeRadauIIAStepper(ctx, 3),
  },
  RadauIIA9: {
    name: 'RadauIIA9',
    description: 'Radau IIA, 5 stages, order 9, L-stable; for stiff problems at tight (Decimal) tolerances',
    order: 9,
    stiff: true,
    factory: <S>(ctx: StepperContext<S>) => makeRadauIIAStepper(ctx, 5),
  },
  RadauIIA13: {
    name: 'RadauIIA13',
    description: 'Radau IIA, 7 stages, order 13, L-stable; for stiff problems at very tight Decimal tolerances',
    order: 13,
    stiff: true,
    factory: <S>(ctx: StepperContext<S>) => makeRadauIIAStepper(ctx, 7),
  },
  GBS: {
    name: 'GBS',
    description: 'Gragg–Bulirsch–Stoer extrapolation (ODEX-style order and step control); exact coefficients, for high-precision Decimal runs',
    order: 0,
    stiff: false,
    factory: <S>(ctx: StepperContext<S>) => makeGbsStepper(ctx),
  },
} satisfies Record<string, AlgorithmInfo>;

export type AlgorithmName = keyof typeof registry;

export const ALGORITHMS: Readonly<Record<AlgorithmName, AlgorithmInfo>> = registry;

export function getAlgorithm(name: string): AlgorithmInfo {
  const a = (registry as Record<string, AlgorithmInfo>)[name];
  if (!a) throw new RangeError(`unknown ODE algorithm '${name}'; known: ${Object.keys(registry).join(', ')}`);
  return a;
}
