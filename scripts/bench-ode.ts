/**
 * ODE layer benchmark: machine-readable lines "name value unit".
 * Run: `node dist/scripts/bench-ode.js` (after `npx tsc -p tsconfig.json`), or import `benchOde`.
 */
import { pathToFileURL } from 'node:url';
import { decimalField } from '../src/numeric/decimal.js';
import { float64Field } from '../src/numeric/float64.js';
import type { Field } from '../src/numeric/Field.js';
import { odeProblem, type OdeProblem, solve, type AlgorithmName, type SolveOptions } from '../src/ode/index.js';
import { vanDerPol } from '../properties/ode/problems.js';

/** d-dimensional stiff linear system y' = −diag(λ_j)(y − 1) + coupling, eigenvalues spread to 1e12: LU cost per step. */
function stiffChain<S>(F: Field<S>, d: number): OdeProblem<S> {
  const lam = Array.from({ length: d }, (_, j) => F.of(Math.pow(10, (12 * j) / Math.max(1, d - 1))));
  const eps = F.of('0.01');
  const J: S[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? F.neg(lam[i]!) : j === i + 1 || j === i - 1 ? eps : F.zero)));
  return odeProblem({
    F,
    f: (_t, y) => J.map((row, i) => row.reduce((s, a, j) => F.add(s, F.mul(a, j === i ? F.sub(y[j]!, F.one) : y[j]!)), F.zero)),
    jacobian: () => J,
    t0: 0,
    y0: Array.from({ length: d }, () => 0),
    tEnd: 1,
  });
}

function record<S>(out: string[], name: string, p: OdeProblem<S>, alg: AlgorithmName, opts: SolveOptions<S>): void {
  const sol = solve(p, alg, opts);
  out.push(`${name}.status_ok ${sol.status === 'success' ? 1 : 0} bool`);
  out.push(`${name}.steps ${sol.stats.steps} steps`);
  out.push(`${name}.f_evals ${sol.stats.fEvals} evals`);
  out.push(`${name}.lu ${sol.stats.luDecomps} decomps`);
  out.push(`${name}.seconds ${sol.seconds.toFixed(4)} s`);
}

export async function benchOde(): Promise<string[]> {
  const out: string[] = [];
  const F64 = float64Field;
  const D30 = decimalField(30);
  const D60 = decimalField(60);
  record(out, 'ode.vdp_mu1e6.radau5.float64', vanDerPol(F64, 1e6, 2), 'RadauIIA5', { rtol: 1e-6, atol: 1e-6 });
  record(out, 'ode.vdp_mu1e6.radau5.decimal30', vanDerPol(D30, 1e6, 2), 'RadauIIA5', { rtol: '1e-6', atol: '1e-6' });
  record(out, 'ode.stiff_chain_d30.radau5.float64', stiffChain(F64, 30), 'RadauIIA5', { rtol: 1e-8, atol: 1e-8 });
  record(out, 'ode.stiff_chain_d30.radau5.decimal30', stiffChain(D30, 30), 'RadauIIA5', { rtol: '1e-8', atol: '1e-8' });
  record(out, 'ode.vdp_mu1e6.radau9.decimal30_1e-12', vanDerPol(D30, 1e6, '0.5'), 'RadauIIA9', { rtol: '1e-12', atol: '1e-12' });
  record(out, 'ode.vdp_mu1e6.radau13.decimal30_1e-12', vanDerPol(D30, 1e6, '0.5'), 'RadauIIA13', { rtol: '1e-12', atol: '1e-12' });
  record(out, 'ode.vdp_mu1e6.radau5.decimal30_1e-12', vanDerPol(D30, 1e6, '0.5'), 'RadauIIA5', { rtol: '1e-12', atol: '1e-12' });
  const harmonic = <S>(F: Field<S>, tEnd: number): OdeProblem<S> =>
    odeProblem({ F, f: (_t, y) => [y[1]!, F.neg(y[0]!)], t0: 0, y0: [0, 1], tEnd });
  record(out, 'ode.harmonic_t10.dp5.float64_1e-12', harmonic(F64, 10), 'DP5', { rtol: 1e-12, atol: 1e-12 });
  record(out, 'ode.harmonic_t10.dop853.float64_1e-12', harmonic(F64, 10), 'DOP853', { rtol: 1e-12, atol: 1e-12 });
  record(out, 'ode.harmonic_t10.gbs.decimal60_1e-42', harmonic(D60, 10), 'GBS', { rtol: '1e-42', atol: '1e-42' });
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchOde()) console.log(line);
}
