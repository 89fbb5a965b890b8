// SPDX-License-Identifier: MIT
// The KVM + NFS baseline's server: nfs-ganesha (user space) with a private portmapper inside a
// network namespace; it listens only there, and nothing is left after it stops.
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { describe, expect, test } from 'vitest';
import { createNetns } from '../../artifact/testbed/netns.js';
import { ganeshaConfig, nfsMountOptions } from '../nfs-config.js';
import { withNfsServer } from '../nfs-server.js';
import { processesMentioning } from '../../artifact/test/support/processes.js';

describe('NFS server for the KVM + NFS baseline', () => {
  test('the config exports one folder over NFSv3/TCP only; bad input is refused', () => {
    const config = ganeshaConfig({ directory: '/srv/export', pseudo: '/guest' });
    expect(config).toMatch(/Protocols = 3;[\s\S]*Enable_UDP = false;[\s\S]*Enable_NLM = false;/);
    expect(config).toMatch(/Path = "\/srv\/export";\s*Pseudo = \/guest;/);
    expect(nfsMountOptions).toBe('vers=3,proto=tcp,nolock,noac,rsize=4096,wsize=4096');
    expect(() => ganeshaConfig({ directory: 'relative', pseudo: '/guest' })).toThrow(/absolute path/);
    expect(() => ganeshaConfig({ directory: '/srv', pseudo: 'guest' })).toThrow(/pseudo path/);
  });

  test('ganesha and rpcbind serve inside the namespace only and are gone afterwards', async () => {
    const netns = await createNetns(`nfstest-${process.pid}`, { taps: ['tap0'] });
    try {
      await netns.run(['ip', 'addr', 'add', '10.79.0.1/24', 'dev', 'tap0']);
      const exportDir = await mkdtemp(path.join(os.tmpdir(), 'nfs-export-'));
      const logDir = await mkdtemp(path.join(os.tmpdir(), 'nfs-log-'));
      const hostListenersBefore = (await $`ss -ltn`.quiet()).stdout;
      await withNfsServer({ netns: netns.name, directory: exportDir, pseudo: '/guest', logDir }, async () => {
        const listening = await netns.run(['ss', '-ltn']);
        expect(listening).toMatch(/:2049 /);
        expect(listening).toMatch(/:111 /);
        // Nothing new listens in the host's namespace.
        expect((await $`ss -ltn`.quiet()).stdout.split('\n').filter((l) => /:(2049|20048) /.test(l))).toEqual(
          hostListenersBefore.split('\n').filter((l) => /:(2049|20048) /.test(l)),
        );
      });
      expect(await readFile(path.join(logDir, 'ganesha.log'), 'utf8')).toContain('NFS SERVER INITIALIZED');
      // This server's ganesha (its config is in logDir) is gone; another test's may be running.
      expect(await processesMentioning(logDir)).toEqual([]);
      expect(await netns.run(['ss', '-ltn'])).not.toMatch(/:2049|:111 /);
    } finally {
      await netns.destroy();
    }
  });
});
