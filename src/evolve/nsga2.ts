// NSGA-II core (Deb et al. 2002), generic over objective vectors so it is testable without backtests: every
// objective is MAXIMISED; an optional constraint violation (0 = feasible) makes feasible points dominate
// infeasible ones, and less-violating infeasible points dominate more-violating ones (constrained domination).

export interface MoPoint {
  objectives: readonly number[];
  violation?: number;
}

/** True when a is at least as good as b in every objective and better in one (after the constraint rule). */
export function dominates(a: MoPoint, b: MoPoint): boolean {
  const va = a.violation ?? 0, vb = b.violation ?? 0;
  if (va !== vb) return va < vb;
  let better = false;
  for (let k = 0; k < a.objectives.length; k++) {
    if (a.objectives[k] < b.objectives[k]) return false;
    if (a.objectives[k] > b.objectives[k]) better = true;
  }
  return better;
}

/** Fronts of indices, best first (fast non-dominated sort); each front lists indices in ascending order. */
export function nonDominatedSort(points: readonly MoPoint[]): number[][] {
  const n = points.length;
  const dominatedBy: number[][] = points.map(() => []);
  const count = new Int32Array(n);
  const fronts: number[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (dominates(points[p], points[q])) {
        dominatedBy[p].push(q);
        count[q]++;
      } else if (dominates(points[q], points[p])) {
        dominatedBy[q].push(p);
        count[p]++;
      }
    }
  }
  for (let p = 0; p < n; p++) if (count[p] === 0) fronts[0].push(p);
  for (let f = 0; fronts[f].length > 0; f++) {
    const next: number[] = [];
    for (const p of fronts[f]) {
      for (const q of dominatedBy[p]) if (--count[q] === 0) next.push(q);
    }
    next.sort((a, b) => a - b);
    fronts.push(next);
  }
  fronts.pop();
  return fronts;
}

/** Crowding distance of each member of one front (same order as `front`); boundary points get Infinity. */
export function crowdingDistance(points: readonly MoPoint[], front: readonly number[]): number[] {
  const m = front.length;
  const dist = new Array<number>(m).fill(0);
  if (m === 0) return dist;
  const k = points[front[0]].objectives.length;
  for (let o = 0; o < k; o++) {
    const order = front.map((_, i) => i).sort((a, b) => points[front[a]].objectives[o] - points[front[b]].objectives[o] || front[a] - front[b]);
    const lo = points[front[order[0]]].objectives[o], hi = points[front[order[m - 1]]].objectives[o];
    dist[order[0]] = Infinity;
    dist[order[m - 1]] = Infinity;
    if (hi === lo) continue;
    for (let i = 1; i < m - 1; i++) {
      dist[order[i]] += (points[front[order[i + 1]]].objectives[o] - points[front[order[i - 1]]].objectives[o]) / (hi - lo);
    }
  }
  return dist;
}

export interface Nsga2Ranking {
  /** Front number per point (0 = non-dominated). */
  rank: number[];
  crowding: number[];
  fronts: number[][];
}

export function rankPoints(points: readonly MoPoint[]): Nsga2Ranking {
  const fronts = nonDominatedSort(points);
  const rank = new Array<number>(points.length).fill(0);
  const crowding = new Array<number>(points.length).fill(0);
  fronts.forEach((front, f) => {
    const d = crowdingDistance(points, front);
    front.forEach((p, i) => {
      rank[p] = f;
      crowding[p] = d[i];
    });
  });
  return { rank, crowding, fronts };
}

/** The crowded-comparison operator: lower rank wins, then larger crowding distance. */
export function crowdedBetter(r: Nsga2Ranking): (i: number, j: number) => boolean {
  return (i, j) => r.rank[i] < r.rank[j] || (r.rank[i] === r.rank[j] && r.crowding[i] > r.crowding[j]);
}

/**
 * NSGA-II survival: whole fronts while they fit, then the last front's most isolated points (largest crowding
 * distance; ties by index), returned in ascending index order.
 */
export function selectSurvivors(points: readonly MoPoint[], n: number): number[] {
  const out: number[] = [];
  for (const front of nonDominatedSort(points)) {
    if (out.length + front.length <= n) {
      out.push(...front);
      if (out.length === n) break;
      continue;
    }
    const d = crowdingDistance(points, front);
    const order = front.map((_, i) => i).sort((a, b) => d[b] - d[a] || front[a] - front[b]);
    for (const i of order.slice(0, n - out.length)) out.push(front[i]);
    break;
  }
  return out.sort((a, b) => a - b);
}
