import { describe, expect, it } from 'vitest';
import { gradFromZ, hessianFromDz, hessianFromGamma, hessianFromZJacobian, logToPrice, priceToLog } from '../../../../src-main/engine/bsde/greeks';
import { compileMarket } from '../../../../src-main/engine/bsde/market';

/**
 * A function with known derivatives in both coordinates: U(S) = S1^2 S2 + 3 S1 S3 + S3^3, i.e.
 * u(x) = e^{2 x1 + x2} + 3 e^{x1 + x3} + e^{3 x3}.
 */
const S = [1.3, 0.7, 2.1];
const priceDelta = [2 * S[0] * S[1] + 3 * S[2], S[0] ** 2, 3 * S[0] + 3 * S[2] ** 2];
const priceGamma = [
  [2 * S[1], 2 * S[0], 3],
  [2 * S[0], 0, 0],
  [3, 0, 6 * S[2]],
];
const e1 = S[0] ** 2 * S[1]; // e^{2 x1 + x2}
const e2 = 3 * S[0] * S[2]; // 3 e^{x1 + x3}
const e3 = S[2] ** 3; // e^{3 x3}
const logGrad = [2 * e1 + e2, e1, e2 + 3 * e3];
const logHess = [
  [4 * e1 + e2, 2 * e1, e2],
  [2 * e1, e1, 0],
  [e2, 0, e2 + 9 * e3],
];

const close = (a: number[][] | number[], b: number[][] | number[]) =>
  (a as number[]).flat().forEach((x, i) => expect(x).toBeCloseTo((b as number[]).flat()[i] as number, 10));

describe('Greek conversions between log and price coordinates', () => {
  it('log gradient/Hessian -> price Delta/Gamma and back, on U = S1^2 S2 + 3 S1 S3 + S3^3', () => {
    const p = logToPrice(S, logGrad, logHess);
    close(p.delta, priceDelta);
    close(p.gamma, priceGamma);
    const l = priceToLog(S, priceDelta, priceGamma);
    close(l.gradX, logGrad);
    close(l.hessX, logHess);
  });

  it('recovers grad_x u and H from Z = grad u Sig, DZ = Sig^T H Sig, G = Sig^T H and Jac Z = H Sig', () => {
    const m = compileMarket({
      rate: 0,
      assets: [0.2, 0.3, 0.25].map((sigma, i) => ({ name: `A${i}`, s0: 100, mu: 0.05, sigma, q: 0 })),
      correlation: [
        [1, 0.5, -0.2],
        [0.5, 1, 0.1],
        [-0.2, 0.1, 1],
      ],
    });
    const d = 3;
    const sig = (i: number, j: number) => m.sig[i * d + j];
    const z = [0, 1, 2].map((l) => logGrad.reduce((s, g, a) => s + g * sig(a, l), 0));
    close(gradFromZ(z, m.sigInv, d), logGrad);
    const hSig = [0, 1, 2].map((a) => [0, 1, 2].map((l) => [0, 1, 2].reduce((s, k) => s + logHess[a][k] * sig(k, l), 0)));
    const dz = [0, 1, 2].map((mm) => [0, 1, 2].map((l) => [0, 1, 2].reduce((s, a) => s + sig(a, mm) * hSig[a][l], 0)));
    close(hessianFromDz(dz, m.sigInv, d), logHess);
    const G = [0, 1, 2].map((mm) => [0, 1, 2].map((b) => [0, 1, 2].reduce((s, a) => s + sig(a, mm) * logHess[a][b], 0)));
    close(hessianFromGamma(G, m.sigInv, d), logHess);
    close(hessianFromZJacobian(hSig, m.sigInv, d), logHess);
  });
});
