// SPDX-License-Identifier: MIT
// The hardware testbed's description file: the shipped ones validate; bad ones, and clients our
// hypervisor cannot run on, get errors that name each field and say what to change.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { experiments } from '../../experiments/registry.js';
import { paths } from '../core/paths.js';
import { checkTestbed } from '../core/testbed-choice.js';
import {
  hardwarePreconditionProblems,
  readHardwareDescription,
  type HardwareDescription,
} from '../testbed/hardware-description.js';

const known = experiments.map((e) => e.id);
const qemuSim = path.join(paths.testbeds, 'qemu-sim.json');
const example = path.join(paths.testbeds, 'hardware.example.json');

describe('hardware testbed description', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hardware-desc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, content: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const valid = (): HardwareDescription => readHardwareDescription(qemuSim, known);

  test('the shipped qemu-sim and example files are valid, and their clients meet every precondition', () => {
    for (const file of [qemuSim, example])
      expect(hardwarePreconditionProblems(readHardwareDescription(file, known))).toEqual([]);
    expect(valid().client.nic.pciId).toBe('8086:100e');
  });

  test('a missing file, bad JSON and bad fields: each problem named with its field', async () => {
    expect(() => readHardwareDescription(path.join(dir, 'none.json'), known)).toThrow(
      /hardware testbed not configured: .*none\.json does not exist.*qemu-sim\.json/,
    );
    expect(() => readHardwareDescription(path.join(dir, 'none.json'), known)).toThrow(/--testbed emulated/);
    const broken = await write('broken.json', '{"name": ');
    expect(() => readHardwareDescription(broken, known)).toThrow(/broken\.json is not valid JSON/);
    const bad = valid() as unknown as {
      client: Record<string, unknown>;
      server: Record<string, unknown>;
      experiments: string[];
    };
    bad.client.mac = '52:54:00:a0:e0';
    delete bad.client.console;
    bad.server.mtu = 100;
    bad.experiments = ['fig04-boot-time', 'fig42'];
    const file = await write('bad.json', bad);
    const error = (() => {
      try {
        readHardwareDescription(file, known);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toMatch(/bad\.json is not a valid hardware description/);
    expect(error).toMatch(/client\.mac: must be a MAC address/);
    expect(error).toMatch(/client\.console: /);
    expect(error).toMatch(/server\.mtu: /);
    // Schema errors come first; the unknown experiment is reported once the shape is right.
    const unknownOnly = await write('unknown.json', { ...valid(), experiments: ['fig42'] });
    expect(() => readHardwareDescription(unknownOnly, known)).toThrow(
      /experiments\.0: unknown experiment "fig42" \(known: fig04-boot-time/,
    );
  });

  test('an Intel CPU, UEFI-only firmware, AHCI and an unsupported NIC are refused with what to change', () => {
    const description = valid();
    const problems = hardwarePreconditionProblems({
      ...description,
      client: {
        ...description.client,
        cpuVendor: 'intel',
        firmware: 'uefi',
        diskMode: 'ahci',
        nic: { model: 'Intel 82567LM', pciId: '8086:10f5' },
      },
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/intel: our hypervisor runs on AMD SVM .* no VT-x backend yet/);
    expect(problems[1]).toMatch(/uefi: .*enable legacy boot \(CSM\)/);
    expect(problems[2]).toMatch(/ahci: .*set the SATA mode to IDE/);
    expect(problems[3]).toMatch(/8086:10f5.*binds 8086:100e, 8086:100f, 8086:10d3 /);
  });

  test('--testbed hardware: checks run before anything else and give the description to the run', async () => {
    expect(checkTestbed('emulated', known, '/nonexistent.json')).toBeUndefined();
    const intel = await write('intel.json', { ...valid(), client: { ...valid().client, cpuVendor: 'intel' } });
    expect(() => checkTestbed('hardware', known, intel)).toThrow(
      /cannot run our hypervisor:\n  - client\.cpuVendor is intel/,
    );
    const simulated = checkTestbed('hardware', known, qemuSim)!;
    expect(simulated.name).toBe('qemu-sim');
    expect(simulated.server.bootMode).toBe('dhcp');
    expect(simulated.client.firstOutputSeconds).toBe(300);
  });

  test('what this host needs to reach a real client is checked up front: console device, power tool, password file, interface', async () => {
    const unreachable = await write('unreachable.json', {
      ...valid(),
      client: {
        ...valid().client,
        console: { kind: 'serial', device: '/dev/ttyUSB97' },
        hypervisorConsole: { kind: 'command', argv: ['no-such-sol-tool', 'activate'] },
        power: { kind: 'ipmi', host: 'bmc', user: 'admin', passwordFile: '/nonexistent/ipmi-password' },
      },
      server: { interface: 'nosuch0', mtu: 1500 },
    });
    expect(() => checkTestbed('hardware', known, unreachable)).toThrow(
      /this host cannot reach the client .*:\n  - client\.console\.device \/dev\/ttyUSB97 does not exist.*\n  - client\.hypervisorConsole\.argv: no-such-sol-tool is not installed.*\n  - client\.power\.passwordFile \/nonexistent\/ipmi-password does not exist.*\n  - server\.interface nosuch0 does not exist on this host/,
    );
  });

  test('the simulated PC is all or nothing: a real console with simulated power is refused', async () => {
    const mixed = await write('mixed.json', {
      ...valid(),
      client: { ...valid().client, console: { kind: 'serial', device: '/dev/ttyS0' } },
    });
    expect(() => readHardwareDescription(mixed, known)).toThrow(
      /client: kind "qemu-sim" describes the simulated PC; console, power \(and hypervisorConsole, if given\) must then all be "qemu-sim"/,
    );
  });
});
