// SPDX-License-Identifier: MIT
import type { BootedClient, RepetitionContext, SessionBoot, SessionJobFile } from '../../artifact/core/experiment.js';
import { waitForShell, type FwCfgFile } from '../../artifact/testbed/index.js';
import { startClient, waitForConsole, type ClientBoot, type HandedFile } from './client-pc.js';
import { jobEndFrame } from './guest-job.js';

/** How a configuration's client is wired up: calls `body` with the boot once server, wire and disk are ready, and undoes them after. */
export type ServeClient = (ctx: RepetitionContext, body: (boot: ClientBoot) => Promise<void>) => Promise<void>;

/** A TCG boot to login takes 0.5-1.5 min here; a machine that needs far longer is broken, not slow. */
const loginTimeoutMs = 10 * 60_000;

/**
 * Where session job n lives: in fw_cfg on a QEMU PC (a name of at most 55 characters), in the
 * served image on a real PC. Neither is the path netboot-bench.service runs at boot
 * (opt/netboot-bench/job.json, /var/lib/netboot-bench/job.json), so the guest boots to login.
 */
const fwCfgName = (index: number) => `opt/netboot-bench/s/${index}.json`;
const fwCfgGuestPath = (index: number) => `/sys/firmware/qemu_fw_cfg/by_name/${fwCfgName(index)}/raw`;
const servedGuestPath = (index: number) => `var/lib/netboot-bench/s/${index}.json`;

/**
 * The command typed into the guest's root shell for each job: the guest's page cache is dropped
 * first, so a job reads from the disk (or the server) and not from what an earlier job of the
 * session left in memory; then the payload's runner runs the job (its job says not to power off).
 */
const jobCommand = (guestPath: string) =>
  `modprobe -q qemu_fw_cfg; sync; echo 3 > /proc/sys/vm/drop_caches; python3 /usr/local/lib/netboot-bench/runner.py ${guestPath}; echo "@@""RUNNER-EXIT:$?"\n`;

/** The line the job command prints when the runner has exited (typed as @@""RUNNER-EXIT, so the terminal's echo never matches). */
const runnerExit = /@@RUNNER-EXIT:\d+/;

/**
 * The boot session of a configuration (artifact/stages/experiments.ts runs them): `serve` sets up
 * what the configuration boots from, the client powers on with every job of the session handed
 * over, the session waits for the login prompt (the boot the boot-time figures measure), and then
 * types each job into the autologin root shell on the guest's console and waits for its job-end
 * frame. The client is powered off at the end, also on failure.
 */
export function bootSession(serve: ServeClient): SessionBoot {
  return (ctx, jobs, body) =>
    serve(ctx, async (boot) => {
      const guestPaths = new Map<string, string>();
      let fwCfgFiles: FwCfgFile[] = [];
      if (boot.handOver !== undefined) {
        const files: HandedFile[] = jobs.map((job, index) => ({ source: job.path, guestPath: servedGuestPath(index) }));
        if (files.length > 0) await boot.handOver(files);
        jobs.forEach((job, index) => guestPaths.set(job.id, `/${servedGuestPath(index)}`));
      } else {
        fwCfgFiles = jobs.map((job, index) => ({ name: fwCfgName(index), path: job.path }));
        jobs.forEach((job, index) => guestPaths.set(job.id, fwCfgGuestPath(index)));
      }
      ctx.progress('booting to login');
      const client = await startClient(ctx, boot, fwCfgFiles);
      try {
        const guestConsole = client.consoles[boot.guestConsole ?? 'com1'];
        const disarm =
          boot.stallSilenceMs === undefined
            ? undefined
            : guestConsole?.failWhenSilent(boot.stallSilenceMs, 'while booting to the login prompt');
        const login = await waitForConsole(client, /login: /, loginTimeoutMs, boot.guestConsole, 'prompt');
        disarm?.();
        ctx.log(`login prompt at ${(login.t / 1000).toFixed(1)} s after power-on`);
        const console = guestConsole!;
        const booted: BootedClient = {
          runJob: async (job: SessionJobFile, timeoutMs: number) => {
            const guestPath = guestPaths.get(job.id);
            if (guestPath === undefined) throw new Error(`job ${job.id} was not handed to this session's client`);
            await waitForShell(console);
            ctx.log(`job ${job.id}: ${guestPath}`);
            const typedAt = console.text.length;
            console.send(jobCommand(guestPath));
            // The runner's exit status without the job's end frame before it means the runner
            // stopped (a crash, a read error): that is said at once, with what it printed, not at
            // the timeout.
            const end = jobEndFrame(job.id);
            const ended = await waitForConsole(
              client,
              new RegExp(`${end.source}|${runnerExit.source}`),
              timeoutMs,
              boot.guestConsole,
            );
            if (!end.test(ended.match[0]))
              throw new Error(
                `job ${job.id}: the runner exited (status ${ended.match[0].replace(/\D/g, '')}) without the job's end frame; it printed:\n${console.text.slice(typedAt).slice(-1500)}`,
              );
          },
        };
        await body(booted);
      } finally {
        await client.powerOff();
      }
    });
}
