// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from '../core/claims.js';
import { loadPaperValues } from '../core/paper-data.js';

describe('data/paper', () => {
  it('holds the numbers the paper text states, with section, claim and quote', async () => {
    const values = await loadPaperValues();
    const find = (id: string) => values.find((v) => v.id === id);
    expect(find('fig05-local-seq-read')).toMatchObject({ value: 45.8, unit: 'MB/s', section: '5.3', kind: 'absolute' });
    expect(find('fig05-local-rand512k-write')).toMatchObject({ value: 30.8 });
    expect(find('fig04-cache-on-os-boot-vs-local')).toMatchObject({
      value: -14,
      kind: 'difference',
      baseline: 'local',
    });
    expect(find('fig04-cache-off-os-boot-vs-local')).toMatchObject({ value: 24 });
    expect(find('fig05-cache-off-seq-read')).toMatchObject({ value: 0.188, kind: 'ratio' });
    expect(find('fig08-overhead-per-access')).toMatchObject({ value: 12, unit: 'ms', section: '5.5' });
    expect(find('fig08-predicted-drop')).toMatchObject({ value: 49 });
    expect(find('fig10-vmm-boot-vs-kvm')).toMatchObject({ value: -20, baseline: 'kvm-nfs' });
    expect(find('fig11-rand512k-write-vs-kvm')).toMatchObject({ value: 56.1 });
    for (const v of values) expect(v.quote.length).toBeGreaterThan(5);
  });

  it('refers only to claims the claims table evaluates', async () => {
    const known = new Set(evaluateClaims(new Map(), {}).map((c) => c.id));
    for (const v of await loadPaperValues()) for (const c of v.claims) expect(known).toContain(c);
  });
});
