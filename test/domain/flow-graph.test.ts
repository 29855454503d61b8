import { describe, expect, it } from 'vitest';
import { buildFlowGraph, flowGraphToDot } from '../../shared/domain/flow-graph.ts';
import { processOrdered } from '../../shared/domain/tracer.ts';
import { addr, ETH, HOT_WALLET, MIXER_POOL, SEED, testTracer, transfer } from './fixtures.ts';

const A = addr('a1');
const OUTSIDER = addr('0f0f');

describe('flow graph', () => {
  const run = () => {
    const tracer = testTracer();
    const { edges } = processOrdered(tracer, [
      transfer(SEED, A, 10n * ETH, { tx: `0x${'01'.repeat(32)}`, block: 1 }),
      transfer(OUTSIDER, A, 1n * ETH, { tx: `0x${'02'.repeat(32)}`, block: 2 }),
      transfer(A, MIXER_POOL, 4n * ETH, { tx: `0x${'03'.repeat(32)}`, block: 3 }),
      transfer(A, HOT_WALLET, 5n * ETH, { tx: `0x${'04'.repeat(32)}`, block: 4 }),
    ]);
    return buildFlowGraph(tracer, edges);
  };

  it('has the seed, the tainted wallets and the custodians as nodes, and tainted transfers as edges', () => {
    const graph = run();
    expect(graph.nodes.map((node) => [node.address, node.hop, node.label?.category ?? null])).toEqual([
      [SEED, 0, null],
      // A swept to the hot wallet, so it is now known as a Binance deposit address.
      [A, 1, 'exchange'],
      [MIXER_POOL, null, 'mixer'],
      [HOT_WALLET, null, 'exchange'],
    ]);
    const a = graph.nodes.find((node) => node.address === A);
    expect(a?.taintedIn).toEqual({ ETH: '10' });
    expect(graph.nodes.find((node) => node.address === MIXER_POOL)?.taintedIn).toEqual({
      ETH: '3.636363636363636363',
    });
    expect(graph.edges.map((edge) => [edge.from, edge.to, edge.taintedAmount])).toEqual([
      [SEED, A, '10'],
      [A, MIXER_POOL, '3.636363636363636363'],
      [A, HOT_WALLET, '4.545454545454545455'], // 5 x 6.363636363636363637 / 7, floored,
    ]);
    expect(graph.nodes.some((node) => node.address === OUTSIDER)).toBe(false);
  });

  it('renders Graphviz DOT with every node and edge, quoting label text', () => {
    const dot = flowGraphToDot(run());
    expect(dot.startsWith('digraph "case case-1 on ethereum" {')).toBe(true);
    expect(dot).toContain(`"${SEED}" -> "${A}"`);
    expect(dot).toContain('Tornado Cash: 10 ETH');
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot.match(/->/g)).toHaveLength(3);
  });

  it('is stable: the same run gives the same JSON', () => {
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
  });
});
