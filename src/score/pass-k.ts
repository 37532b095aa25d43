// pass^k (τ-bench): the chance that k attempts drawn from n all pass, C(c,k)/C(n,k), exact for small numbers.
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

export function passHatK(n: number, c: number, k: number): number {
  const denom = choose(n, k);
  return denom ? choose(c, k) / denom : 0;
}
