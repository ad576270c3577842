/**
 * φ = ln dt/dτ and its τ-derivative for flows without an analytic Hessian: dφ/dτ by a central difference
 * along the flow direction, φ(θ ± εv), with ε chosen from the working precision and bounded by the
 * curvature scale so that e^{φ} is resolved (φ changes by ≤ ~1e-3 across the difference).
 */
import type { Field } from '../numeric/Field.js';
import { norm2 } from '../numeric/Field.js';

export function directionalTimeRate<S>(
  F: Field<S>,
  th: readonly S[],
  velocity: (th: readonly S[]) => S[],
  logRate: (th: readonly S[]) => S | null,
): { phi: S; dphi: S } | null {
  const phi = logRate(th);
  if (phi === null) return null;
  const v = velocity(th);
  const speed = norm2(F, v);
  if (F.isZero(speed)) return { phi, dphi: F.zero };
  const scale = F.max(F.one, norm2(F, th));
  let eps = F.div(F.mul(F.pow(F.of(10), F.of(-F.digits / 3)), scale), speed);
  for (let k = 0; k < 40; k++) {
    const up = logRate(th.map((x, j) => F.add(x, F.mul(eps, v[j]!))));
    const dn = logRate(th.map((x, j) => F.sub(x, F.mul(eps, v[j]!))));
    if (up === null || dn === null) return { phi, dphi: F.zero };
    const change = F.abs(F.sub(up, dn));
    if (F.lt(change, F.of(1e-3)) || k === 39) return { phi, dphi: F.div(F.sub(up, dn), F.scale(eps, 2)) };
    eps = F.div(F.mul(eps, F.of(1e-4)), change); // shrink until φ is locally linear
  }
  return { phi, dphi: F.zero };
}
