/** The least-squares slope of `y` over `x` (units of y per unit of x); undefined below 2 points. */
export function slope(points: readonly { x: number; y: number }[]): number | undefined {
  if (points.length < 2) {
    return undefined;
  }
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? undefined : covariance / variance;
}
