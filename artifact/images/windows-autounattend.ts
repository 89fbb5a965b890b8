// SPDX-License-Identifier: MIT
/**
 * The answer file Windows Setup (Windows 7 and later, amd64) reads from the root of a CD when it
 * starts: it makes the install unattended, the Windows counterpart of the Debian preseed.
 * Layout like the Debian image: disk 0 wiped, one primary, active NTFS partition (no "System
 * Reserved" partition), an MBR for the BIOS. At the first logon it turns on Emergency Management
 * Services (SAC on COM1, 115200 baud: Windows' own serial console, the boot marker later runs can
 * read), writes `setupDoneMarker` to COM1 and shuts down, which ends the QEMU install run.
 */
export interface AutounattendOptions {
  /** Windows image index on the medium (install.wim); 1 = the first edition. */
  imageIndex: number;
  /** Omitted when the medium needs none (volume-licensed media, or a key typed later). */
  productKey?: string;
  computerName: string;
  /** Password of the local Administrator, who logs on by itself once to finish the setup. */
  administratorPassword: string;
}

/** What the first logon prints on COM1 when everything before it succeeded. */
export const setupDoneMarker = 'netboot-bench: windows setup complete';

const xmlEscape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const component = (name: string, body: string) =>
  `    <component name="${name}" processorArchitecture="amd64" publicKeyToken="31bf3856ad364e35" language="neutral" versionScope="nonSxS">\n${body}    </component>\n`;

/** First-logon commands, run in order by the Administrator's first (automatic) logon. */
function firstLogonCommands(): string[] {
  return [
    'bcdedit /ems {current} on',
    'bcdedit /emssettings EMSPORT:1 EMSBAUDRATE:115200',
    'cmd /c mode COM1 BAUD=115200 PARITY=n DATA=8 STOP=1',
    `cmd /c echo ${setupDoneMarker}>COM1`,
    'shutdown /s /t 0',
  ];
}

export function autounattendXml(options: AutounattendOptions): string {
  if (!/^[A-Za-z0-9-]{1,15}$/.test(options.computerName))
    throw new Error(`computer name "${options.computerName}": 1-15 letters, digits or hyphens`);
  const key =
    options.productKey === undefined
      ? ''
      : `        <ProductKey>\n          <Key>${xmlEscape(options.productKey)}</Key>\n          <WillShowUI>OnError</WillShowUI>\n        </ProductKey>\n`;
  const password = `<Value>${xmlEscape(options.administratorPassword)}</Value>\n            <PlainText>true</PlainText>`;
  const windowsPE =
    component(
      'Microsoft-Windows-International-Core-WinPE',
      '      <SetupUILanguage>\n        <UILanguage>en-US</UILanguage>\n      </SetupUILanguage>\n' +
        '      <InputLocale>en-US</InputLocale>\n      <SystemLocale>en-US</SystemLocale>\n      <UILanguage>en-US</UILanguage>\n      <UserLocale>en-US</UserLocale>\n',
    ) +
    component(
      'Microsoft-Windows-Setup',
      '      <DiskConfiguration>\n        <WillShowUI>OnError</WillShowUI>\n        <Disk wcm:action="add">\n          <DiskID>0</DiskID>\n          <WillWipeDisk>true</WillWipeDisk>\n' +
        '          <CreatePartitions>\n            <CreatePartition wcm:action="add">\n              <Order>1</Order>\n              <Type>Primary</Type>\n              <Extend>true</Extend>\n            </CreatePartition>\n          </CreatePartitions>\n' +
        '          <ModifyPartitions>\n            <ModifyPartition wcm:action="add">\n              <Order>1</Order>\n              <PartitionID>1</PartitionID>\n              <Active>true</Active>\n              <Format>NTFS</Format>\n              <Label>Windows</Label>\n              <Letter>C</Letter>\n            </ModifyPartition>\n          </ModifyPartitions>\n' +
        '        </Disk>\n      </DiskConfiguration>\n' +
        '      <ImageInstall>\n        <OSImage>\n          <InstallFrom>\n            <MetaData wcm:action="add">\n              <Key>/IMAGE/INDEX</Key>\n' +
        `              <Value>${options.imageIndex}</Value>\n            </MetaData>\n          </InstallFrom>\n` +
        '          <InstallTo>\n            <DiskID>0</DiskID>\n            <PartitionID>1</PartitionID>\n          </InstallTo>\n          <WillShowUI>OnError</WillShowUI>\n        </OSImage>\n      </ImageInstall>\n' +
        `      <UserData>\n        <AcceptEula>true</AcceptEula>\n${key}      </UserData>\n`,
    );
  const specialize = component(
    'Microsoft-Windows-Shell-Setup',
    `      <ComputerName>${options.computerName}</ComputerName>\n      <TimeZone>UTC</TimeZone>\n`,
  );
  const commands = firstLogonCommands()
    .map(
      (command, index) =>
        `        <SynchronousCommand wcm:action="add">\n          <Order>${index + 1}</Order>\n          <CommandLine>${xmlEscape(command)}</CommandLine>\n        </SynchronousCommand>\n`,
    )
    .join('');
  const oobeSystem = component(
    'Microsoft-Windows-Shell-Setup',
    '      <OOBE>\n        <HideEULAPage>true</HideEULAPage>\n        <NetworkLocation>Work</NetworkLocation>\n        <ProtectYourPC>3</ProtectYourPC>\n        <SkipMachineOOBE>true</SkipMachineOOBE>\n        <SkipUserOOBE>true</SkipUserOOBE>\n      </OOBE>\n' +
      `      <UserAccounts>\n        <AdministratorPassword>\n            ${password}\n        </AdministratorPassword>\n      </UserAccounts>\n` +
      `      <AutoLogon>\n        <Enabled>true</Enabled>\n        <LogonCount>1</LogonCount>\n        <Username>Administrator</Username>\n        <Password>\n            ${password}\n        </Password>\n      </AutoLogon>\n` +
      `      <FirstLogonCommands>\n${commands}      </FirstLogonCommands>\n`,
  );
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<unattend xmlns="urn:schemas-microsoft-com:unattend" xmlns:wcm="http://schemas.microsoft.com/WMIConfig/2002/State">\n' +
    `  <settings pass="windowsPE">\n${windowsPE}  </settings>\n` +
    `  <settings pass="specialize">\n${specialize}  </settings>\n` +
    `  <settings pass="oobeSystem">\n${oobeSystem}  </settings>\n` +
    '</unattend>\n'
  );
}
