// The crypto benchmark's rates (bench/out/crypto.json, from `npm run bench -- crypto`) as a chart: the operations
// a payment and a withdrawal use, per scheme, on a log scale since the schemes differ by three orders of magnitude.

import type { CryptoReport } from '../bench/crypto.ts';
import { type Chart, type Row, SI, withConfig } from './chart-style.ts';

const BENCH_OPERATIONS = ['sign', 'verify', 'blindSign', 'finalize'] as const;

/** bench/out/crypto.json's rates for the operations a payment and a withdrawal use, per scheme, log scale. */
export function cryptoChart(report: CryptoReport): Chart | null {
  const values: Row[] = report.rows
    .filter((row) => row.kind !== 'baseline' && (BENCH_OPERATIONS as readonly string[]).includes(row.operation))
    .map((row) => ({ scheme: row.scheme, operation: row.operation, kind: row.kind === 'blind' ? 'blind (bank) schemes' : 'signature schemes', opsPerSecond: row.opsPerSecond, rme: row.rmePercent }));
  if (values.length === 0) return null;
  const rates = values.map((v) => v['opsPerSecond'] as number).filter((x) => x > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...rates)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...rates)));
  const decades: number[] = [];
  for (let x = lo; x <= hi; x *= 10) decades.push(x);
  return {
    id: 'crypto-rates',
    title: 'Key schemes: operations per second (crypto benchmark)',
    caption: `From bench/out/crypto.json (${report.mode} mode, ${report.machine.cpu}, Node ${report.machine.node}); log scale, one bar per operation.`,
    wide: true,
    spec: withConfig({
      data: { values },
      facet: { row: { field: 'kind', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
      spec: {
        width: 520,
        height: { step: 12 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'scheme', type: 'nominal', title: null, axis: { labelLimit: 480 } },
          yOffset: { field: 'operation', type: 'nominal', sort: [...BENCH_OPERATIONS] },
          x: { field: 'opsPerSecond', type: 'quantitative', stack: null, scale: { type: 'log', domain: [lo, hi] }, title: 'operations per second (log scale)', axis: { ...SI, values: decades } },
          color: { field: 'operation', type: 'nominal', title: null, sort: [...BENCH_OPERATIONS], scale: { domain: [...BENCH_OPERATIONS], range: ['#1f63b4', '#2a9d8f', '#e08e0b', '#7b3fa0'] } },
          tooltip: [{ field: 'scheme', type: 'nominal' }, { field: 'operation', type: 'nominal' }, { field: 'opsPerSecond', type: 'quantitative', format: ',.0f' }, { field: 'rme', type: 'quantitative', format: '.1f', title: '± %' }],
        },
      },
      resolve: { scale: { y: 'independent' } },
    }),
  };
}
