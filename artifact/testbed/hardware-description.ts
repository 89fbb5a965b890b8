// The hardware testbed's description file (issue 9): which client PC the pipeline drives, how it
// reaches the client's console and power, and the server side of the wire. Validated here, with
// errors that name the field and say what to write; then the client is checked against what our
// hypervisor can run on, before anything is powered on.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const macAddress = z
  .string()
  .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'must be a MAC address such as 00:1b:21:0a:0b:0c')
  .transform((mac) => mac.toLowerCase());

/** How the pipeline reads the client's serial console (COM1, 115200 8N1: GRUB, Linux, the payload). */
const consoleSchema = z.discriminatedUnion('kind', [
  /** A serial port on the server wired to the client's COM1 (null-modem cable or USB adapter). */
  z.object({ kind: z.literal('serial'), device: z.string().startsWith('/dev/', 'must be a device path such as /dev/ttyUSB0'), baud: z.literal(115200).default(115200) }).strict(),
  /** A command whose stdin/stdout is the console, e.g. ["ipmitool", "-I", "lanplus", ..., "sol", "activate"]. */
  z.object({ kind: z.literal('command'), argv: z.array(z.string().min(1)).min(1, 'must name the command to run') }).strict(),
  /** qemu-sim: the console of the QEMU PC the pipeline starts (its COM1 socket). */
  z.object({ kind: z.literal('qemu') }).strict(),
]);

/** How the pipeline powers the client on and off. */
const powerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ipmi'), host: z.string().min(1), user: z.string().min(1), passwordFile: z.string().min(1) }).strict(),
  /** Power-on by magic packet on the server's interface; power-off by the guest itself (the payload powers off). */
  z.object({ kind: z.literal('wake-on-lan') }).strict(),
  /** The pipeline prints what to do and waits for the operator to press Enter. */
  z.object({ kind: z.literal('manual') }).strict(),
  /** qemu-sim: the QEMU PC's monitor (QMP): start, system_reset, quit. */
  z.object({ kind: z.literal('qemu') }).strict(),
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
        nic: z.object({ model: z.string().min(1), pciId: z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/i, 'must be a PCI vendor:device id such as 8086:100e').transform((id) => id.toLowerCase()) }).strict(),
        console: consoleSchema,
        power: powerSchema,
      })
      .strict(),
    server: z
      .object({
        /** The server's interface on the client's wire (this host); boot services and vblade use it. */
        interface: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, 'must be a network interface name such as eth1'),
        mtu: z.number().int().min(1500).max(9000),
      })
      .strict(),
    /** Experiment ids (e.g. "fig04-boot-time") to run on this testbed. */
    experiments: z.array(z.string().min(1)).min(1, 'must list at least one experiment'),
  })
  .strict();
export type HardwareDescription = z.infer<typeof hardwareDescriptionSchema>;

/**
 * Reads and validates a description file. Every problem is reported at once, each with the
 * field's path, so that one edit fixes them all.
 */
export function readHardwareDescription(file: string, knownExperiments: readonly string[]): HardwareDescription {
  if (!existsSync(file)) {
    throw new Error(`hardware testbed not configured: ${file} does not exist. Write one (README.md, "Hardware testbed"; data/testbeds/qemu-sim.json is a complete example), or use --testbed emulated.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = hardwareDescriptionSchema.safeParse(json);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  for (const [index, id] of (parsed.success ? parsed.data.experiments : []).entries()) {
    if (!knownExperiments.includes(id)) problems.push(`experiments.${index}: unknown experiment "${id}" (known: ${knownExperiments.join(', ')})`);
  }
  if (!parsed.success || problems.length > 0) throw new Error(`${file} is not a valid hardware description:\n  - ${problems.join('\n  - ')}`);
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
    problems.push('client.cpuVendor is intel: our hypervisor runs on AMD SVM with nested paging only (it has no VT-x backend yet); use an AMD client with SVM enabled in its firmware');
  }
  if (client.firmware === 'uefi') {
    problems.push('client.firmware is uefi: the hypervisor is loaded by a legacy PXE ROM (multiboot) and boots the OS through the BIOS disk services; enable legacy boot (CSM) and set firmware to uefi-csm');
  }
  if (client.diskMode !== 'ide') {
    problems.push(`client.diskMode is ${client.diskMode}: the hypervisor traps the legacy IDE (ATA) controller; set the SATA mode to IDE / legacy / compatible in the firmware setup`);
  }
  if (!(supportedNicPciIds as readonly string[]).includes(client.nic.pciId)) {
    problems.push(
      `client.nic (${client.nic.model}, ${client.nic.pciId}) is not a NIC the hypervisor drives: its e1000 driver binds ${supportedNicPciIds.join(', ')} (PRO/1000 82540EM, 82545EM, 82574L) only; other PRO/1000s (such as the paper's 82567LM) are not supported yet`,
    );
  }
  return problems;
}
