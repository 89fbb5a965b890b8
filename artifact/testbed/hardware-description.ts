// SPDX-License-Identifier: MIT
// The hardware testbed's description file (issue 9): which client PC the pipeline drives, how it
// reaches the client's console and power, and the server side of the wire. Validated here, with
// errors that name the field and say what to write; then the client is checked against what our
// hypervisor can run on, before anything is powered on.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const macAddress = z
  .string()
  .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'must be a MAC address such as 00:1b:21:0a:0b:0c')
  .transform((mac) => mac.toLowerCase());

/** How the pipeline reads the client's serial console (COM1, 115200 8N1: GRUB, Linux, the payload). */
const consoleSchema = z.discriminatedUnion('kind', [
  /** A serial port on the server wired to the client's COM1 (null-modem cable or USB adapter). */
  z
    .object({
      kind: z.literal('serial'),
      device: z.string().startsWith('/dev/', 'must be a device path such as /dev/ttyUSB0'),
      baud: z.literal(115200).default(115200),
    })
    .strict(),
  /** A command whose stdin/stdout is the console, e.g. ["ipmitool", "-I", "lanplus", ..., "sol", "activate"]. */
  z
    .object({ kind: z.literal('command'), argv: z.array(z.string().min(1)).min(1, 'must name the command to run') })
    .strict(),
  /** qemu-sim: the simulated PC's serial port, a pty read through the same code as kind 'serial'. */
  z.object({ kind: z.literal('qemu-sim') }).strict(),
]);

/** How the pipeline powers the client on and off. */
const powerSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('ipmi'),
      host: z.string().min(1),
      user: z.string().min(1),
      passwordFile: z.string().min(1),
    })
    .strict(),
  /** Power-on by magic packet on the server's interface; power-off by the guest itself (the payload powers off). */
  z.object({ kind: z.literal('wake-on-lan') }).strict(),
  /** The pipeline prints what to do and waits for the operator to press Enter. */
  z.object({ kind: z.literal('manual') }).strict(),
  /** qemu-sim: the simulated PC's monitor (QMP): system_reset + cont is power-on, stop is power-off. */
  z.object({ kind: z.literal('qemu-sim') }).strict(),
]);

export const hardwareDescriptionSchema = z
  .object({
    /** Names the testbed in manifests and comparisons, e.g. "lab-pc-2026". */
    name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    client: z
      .object({
        mac: macAddress,
        cpuVendor: z.enum(['amd', 'intel']),
        /** bios, or uefi-csm (UEFI with the legacy boot / CSM enabled), or uefi (UEFI only). */
        firmware: z.enum(['bios', 'uefi-csm', 'uefi']),
        /** The SATA controller's mode in the firmware setup. */
        diskMode: z.enum(['ide', 'ahci', 'raid']),
        /** The NIC the client boots from: its model (for the manifest) and PCI vendor:device id (lspci -n). */
        nic: z
          .object({
            model: z.string().min(1),
            pciId: z
              .string()
              .regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/i, 'must be a PCI vendor:device id such as 8086:100e')
              .transform((id) => id.toLowerCase()),
          })
          .strict(),
        console: consoleSchema,
        /**
         * Where the hypervisor prints (its console= option, COM2 by default): gives the VMM-boot
         * time (power-on to hand-over). Optional: without it, VMM boot is not measured.
         */
        hypervisorConsole: consoleSchema.optional(),
        power: powerSchema,
        /**
         * How long the client may stay silent on every console after power-on before the run calls
         * it unreachable (firmware POST plus PXE on a server board can take minutes). Default 300.
         */
        firstOutputSeconds: z.number().int().min(1).max(3600).default(300),
      })
      .strict(),
    server: z
      .object({
        /** The server's interface on the client's wire (this host); boot services and vblade use it. */
        interface: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, 'must be a network interface name such as eth1'),
        mtu: z.number().int().min(1500).max(9000),
        /**
         * dhcp: the pipeline's dnsmasq is the wire's DHCP server (a wire of its own). proxy: another
         * DHCP server hands out addresses and dnsmasq only adds the boot file (proxy-DHCP).
         */
        bootMode: z.enum(['dhcp', 'proxy']).default('dhcp'),
      })
      .strict(),
    /** Experiment ids (e.g. "fig04-boot-time") to run on this testbed. */
    experiments: z.array(z.string().min(1)).min(1, 'must list at least one experiment'),
  })
  .strict();
export type HardwareDescription = z.infer<typeof hardwareDescriptionSchema>;
export type ConsoleLinkSpec = z.infer<typeof consoleSchema>;
export type PowerSpec = z.infer<typeof powerSchema>;

/** A description of the simulated PC (data/testbeds/qemu-sim.json): the pipeline starts that PC itself. */
export const isQemuSim = (description: HardwareDescription): boolean => description.client.power.kind === 'qemu-sim';

/**
 * Reads and validates a description file. Every problem is reported at once, each with the
 * field's path, so that one edit fixes them all.
 */
export function readHardwareDescription(file: string, knownExperiments: readonly string[]): HardwareDescription {
  if (!existsSync(file)) {
    throw new Error(
      `hardware testbed not configured: ${file} does not exist. Write one (README.md, "Hardware testbed"; data/testbeds/qemu-sim.json is a complete example), or use --testbed emulated.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = hardwareDescriptionSchema.safeParse(json);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  if (parsed.success) {
    const { client } = parsed.data;
    const simulated = [client.console, client.power, client.hypervisorConsole].filter(
      (part) => part?.kind === 'qemu-sim',
    ).length;
    const parts = client.hypervisorConsole === undefined ? 2 : 3;
    if (simulated !== 0 && simulated !== parts)
      problems.push(
        'client: kind "qemu-sim" describes the simulated PC; console, power (and hypervisorConsole, if given) must then all be "qemu-sim"',
      );
  }
  for (const [index, id] of (parsed.success ? parsed.data.experiments : []).entries()) {
    if (!knownExperiments.includes(id))
      problems.push(`experiments.${index}: unknown experiment "${id}" (known: ${knownExperiments.join(', ')})`);
  }
  if (!parsed.success || problems.length > 0)
    throw new Error(`${file} is not a valid hardware description:\n  - ${problems.join('\n  - ')}`);
  return parsed.data;
}

/** NICs the hypervisor's e1000 driver binds (vmm/src/net/e1000.c): 82540EM, 82545EM, 82574L. */
export const supportedNicPciIds = ['8086:100e', '8086:100f', '8086:10d3'] as const;

/**
 * What the client must be for our hypervisor to run on it, checked before it is powered on.
 * Returns one line per unmet precondition, each saying what to change; empty when all hold.
 */
export function hardwarePreconditionProblems(description: HardwareDescription): string[] {
  const { client } = description;
  const problems: string[] = [];
  if (client.cpuVendor === 'intel') {
    problems.push(
      'client.cpuVendor is intel: our hypervisor runs on AMD SVM with nested paging only (it has no VT-x backend yet); use an AMD client with SVM enabled in its firmware',
    );
  }
  if (client.firmware === 'uefi') {
    problems.push(
      'client.firmware is uefi: the hypervisor is loaded by a legacy PXE ROM (multiboot) and boots the OS through the BIOS disk services; enable legacy boot (CSM) and set firmware to uefi-csm',
    );
  }
  if (client.diskMode !== 'ide') {
    problems.push(
      `client.diskMode is ${client.diskMode}: the hypervisor traps the legacy IDE (ATA) controller; set the SATA mode to IDE / legacy / compatible in the firmware setup`,
    );
  }
  if (!(supportedNicPciIds as readonly string[]).includes(client.nic.pciId)) {
    problems.push(
      `client.nic (${client.nic.model}, ${client.nic.pciId}) is not a NIC the hypervisor drives: its e1000 driver binds ${supportedNicPciIds.join(', ')} (PRO/1000 82540EM, 82545EM, 82574L) only; other PRO/1000s (such as the paper's 82567LM) are not supported yet`,
    );
  }
  return problems;
}

/** Whether a program is on PATH (command -v). */
function installed(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "$1"`, 'sh', program], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * What this host lacks to reach the described client: console devices and commands, power tools,
 * the password file, the server's interface. Checked before any PC is powered on; one line each.
 */
export function hardwareAccessProblems(description: HardwareDescription): string[] {
  const { client, server } = description;
  if (isQemuSim(description)) return [];
  const problems: string[] = [];
  for (const [field, link] of [
    ['client.console', client.console],
    ['client.hypervisorConsole', client.hypervisorConsole],
  ] as const) {
    if (link?.kind === 'serial' && !existsSync(link.device))
      problems.push(
        `${field}.device ${link.device} does not exist: check the cable or adapter (ls /dev/ttyUSB* /dev/ttyS*)`,
      );
    if (link?.kind === 'command' && !installed(link.argv[0]!))
      problems.push(`${field}.argv: ${link.argv[0]} is not installed or not on PATH`);
  }
  if (client.power.kind === 'ipmi') {
    if (!installed('ipmitool'))
      problems.push('client.power is ipmi but ipmitool is not installed (apt-get install ipmitool)');
    if (!existsSync(client.power.passwordFile))
      problems.push(
        `client.power.passwordFile ${client.power.passwordFile} does not exist: write the BMC password into it (one line, mode 600)`,
      );
  }
  if (client.power.kind === 'wake-on-lan' && !installed('etherwake'))
    problems.push('client.power is wake-on-lan but etherwake is not installed (apt-get install etherwake)');
  if (!existsSync(`/sys/class/net/${server.interface}`))
    problems.push(
      `server.interface ${server.interface} does not exist on this host (ip link lists the interfaces); name the NIC wired to the client`,
    );
  return problems;
}
