// Wraps the hypervisor's C host unit tests (vmm/test/host/*.c) into vitest, one test per case.
import { registerCUnitTests } from '../../artifact/test/support/c-unit.js';

for (const name of ['e820_test', 'insn_decode_test', 'guest_walk_test', 'config_test', 'int15_test', 'acpi_cpus_test', 'policy_test', 'exit_table_test', 'pic_tracker_test', 'ioio_decode_test', 'storage_glue_test', 'ata_channel_test', 'ata_dma_test', 'ata_pending_test', 'aoe_client_test', 'aoe_rto_test']) {
  registerCUnitTests({ makeDir: 'vmm', target: 'host-test', binary: `vmm/build/host/${name}`, label: `vmm ${name}` });
}
