// SPDX-License-Identifier: MIT
// Experiments that share a session part's parser (Figs 4, 10 and 12 read the same boot; Figs 5, 11
// and 13 the same fio job) get the same measurements from it, so each must define every metric
// the others do: analysis refuses a result whose metric its experiment does not define, and
// otherwise only a whole run finds out.
import { describe, expect, it } from 'vitest';
import { experiments } from './registry.js';

describe('the experiment registry', () => {
  it('experiments sharing a parser define the same metrics', () => {
    const byParser = new Map<unknown, Set<string>>();
    for (const experiment of experiments)
      for (const plan of Object.values(experiment.configurations)) {
        const parser = plan?.runner?.parse;
        if (parser === undefined) continue;
        byParser.set(parser, (byParser.get(parser) ?? new Set()).add(experiment.id));
      }
    const metricsOf = (id: string) => Object.keys(experiments.find((e) => e.id === id)!.metrics).sort();
    const shared = [...byParser.values()].map((ids) => [...ids]).filter((ids) => ids.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const ids of shared)
      for (const id of ids.slice(1))
        expect({ id, metrics: metricsOf(id) }).toEqual({ id, metrics: metricsOf(ids[0]!) });
  });
});
