// SPDX-License-Identifier: MIT
// The KVM + NFS baseline's server configuration (paper 5.7): nfs-ganesha's config file, and the
// client's mount options. Pure, so both are unit-tested on the host.

/** The paper's mount options, plus what a server without lock manager and UDP needs (why: nfs-server.ts). */
export const paperMountOptions = 'noac,rsize=4096,wsize=4096';
export const nfsMountOptions = `vers=3,proto=tcp,nolock,${paperMountOptions}`;

export interface NfsExport {
  /** Directory on this host that holds the guest's image. */
  directory: string;
  /** The export's NFSv4 pseudo path (NFSv3 clients, as here, mount `directory` itself). */
  pseudo: string;
}

/**
 * nfs-ganesha 4.3: NFSv3 over TCP only, no NLM or RQUOTA, one export of `directory`, read-write,
 * root not squashed. It listens on every address of the namespace it runs in (with UDP off,
 * ganesha 4.3 ignores Bind_addr); the namespace holds only the client's wire.
 */
export function ganeshaConfig(exp: NfsExport): string {
  if (!exp.directory.startsWith('/') || /["\n]/.test(exp.directory))
    throw new Error(`NFS export directory must be an absolute path without quotes or newlines: ${exp.directory}`);
  if (!/^\/[A-Za-z0-9_/-]*$/.test(exp.pseudo))
    throw new Error(`NFS pseudo path must be /letters-digits: ${exp.pseudo}`);
  return `NFS_CORE_PARAM {
  Protocols = 3;
  Enable_UDP = false;
  Enable_NLM = false;
  Enable_RQUOTA = false;
  NFS_Port = 2049;
  MNT_Port = 20048;
}
NFS_KRB5 { Active_krb5 = false; }
EXPORT {
  Export_Id = 1;
  Path = "${exp.directory}";
  Pseudo = ${exp.pseudo};
  Access_Type = RW;
  Squash = No_Root_Squash;
  Protocols = 3;
  Transports = TCP;
  SecType = sys;
  FSAL { Name = VFS; }
}
LOG { Default_Log_Level = EVENT; }
`;
}
