//! The Fixed ACPI Description Table (signature `FACP`), read only as far as
//! powering off, resetting and boot-time device probing need: the PM1
//! control blocks, the sleep and reset registers, the PM timer, the feature
//! and boot-architecture flags, and where the DSDT is (its AML, which holds
//! the `\_S5` sleep type values, is not parsed here).
//!
//! The table grew with each ACPI revision (116 bytes in 1.0, 244 in 2.0, 276
//! in 6.0); fields beyond a table's length are absent. Where a 64-bit `X_`
//! field and a 32-bit field describe the same thing, the `X_` field wins
//! when it is nonzero, as the specification says.

use crate::gas::GenericAddress;
use crate::memory::PhysMemory;
use crate::{bytes, Error, Signature, Table};

/// The length of an ACPI 1.0 FADT, the shortest accepted: it ends with the
/// flags.
pub const FADT_V1_LEN: u32 = 116;
/// The length of an ACPI 6.x FADT; no later byte is read.
const FADT_MAX_READ: usize = 276;

// Byte offsets of the fields read.
const FIRMWARE_CTRL: usize = 36;
const DSDT: usize = 40;
const SCI_INT: usize = 46;
const SMI_CMD: usize = 48;
const ACPI_ENABLE: usize = 52;
const ACPI_DISABLE: usize = 53;
const PM1A_CNT_BLK: usize = 64;
const PM1B_CNT_BLK: usize = 68;
const PM_TMR_BLK: usize = 76;
const PM1_CNT_LEN: usize = 89;
const PM_TMR_LEN: usize = 91;
const CENTURY: usize = 108;
const IAPC_BOOT_ARCH: usize = 109;
const FLAGS: usize = 112;
const RESET_REG: usize = 116;
const RESET_VALUE: usize = 128;
const X_FIRMWARE_CTRL: usize = 132;
const X_DSDT: usize = 140;
const X_PM1A_CNT_BLK: usize = 172;
const X_PM1B_CNT_BLK: usize = 184;
const X_PM_TMR_BLK: usize = 208;
const SLEEP_CONTROL_REG: usize = 244;
const SLEEP_STATUS_REG: usize = 256;

/// The FADT's feature flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FadtFlags(pub u32);

impl FadtFlags {
    fn bit(self, n: u32) -> bool {
        self.0 & (1u32 << n) != 0
    }
    /// TMR_VAL_EXT: the PM timer counts 32 bits, not 24.
    pub fn pm_timer_32bit(self) -> bool {
        self.bit(8)
    }
    /// RESET_REG_SUP: the reset register may be used to reset the machine.
    pub fn reset_register_supported(self) -> bool {
        self.bit(10)
    }
    /// HEADLESS: no local video, keyboard or mouse.
    pub fn headless(self) -> bool {
        self.bit(12)
    }
    /// FORCE_APIC_PHYSICAL_DESTINATION_MODE.
    pub fn force_apic_physical_destination(self) -> bool {
        self.bit(19)
    }
    /// HW_REDUCED_ACPI: no fixed hardware (no PM1 blocks, no SMI command);
    /// sleep goes through the sleep control register.
    pub fn hardware_reduced(self) -> bool {
        self.bit(20)
    }
    /// LOW_POWER_S0_IDLE_CAPABLE.
    pub fn low_power_s0_idle(self) -> bool {
        self.bit(21)
    }
}

/// The IA-PC boot architecture flags (IAPC_BOOT_ARCH), which say which
/// legacy devices the kernel may probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BootArchFlags(pub u16);

impl BootArchFlags {
    fn bit(self, n: u32) -> bool {
        self.0 & (1u16 << n) != 0
    }
    /// LEGACY_DEVICES: user-visible devices (serial, parallel, PS/2, floppy)
    /// on an ISA or LPC bus.
    pub fn legacy_devices(self) -> bool {
        self.bit(0)
    }
    /// 8042: a PS/2 keyboard controller at ports 0x60/0x64. When clear the
    /// kernel must not probe for one.
    pub fn has_8042(self) -> bool {
        self.bit(1)
    }
    /// VGA Not Present: do not blindly probe VGA memory and ports.
    pub fn no_vga(self) -> bool {
        self.bit(2)
    }
    /// MSI Not Supported.
    pub fn no_msi(self) -> bool {
        self.bit(3)
    }
    /// PCIe ASPM Controls: the OS must not enable PCIe ASPM.
    pub fn no_pcie_aspm(self) -> bool {
        self.bit(4)
    }
    /// CMOS RTC Not Present: do not use the RTC through its I/O ports.
    pub fn no_cmos_rtc(self) -> bool {
        self.bit(5)
    }
}

/// Writing `value` to `register` resets the machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ResetRegister {
    pub register: GenericAddress,
    pub value: u8,
}

/// What the FADT says. Absent means absent from the table or zero there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Fadt {
    /// The table's revision (1 for ACPI 1.0).
    pub revision: u8,
    /// Physical address of the FACS.
    pub facs_address: Option<u64>,
    /// Physical address of the DSDT.
    pub dsdt_address: Option<u64>,
    /// The SCI's interrupt: an ISA IRQ with 8259s present, else a GSI.
    pub sci_interrupt: u16,
    /// The port written to switch between legacy and ACPI mode; absent
    /// (0) when the machine is always in ACPI mode.
    pub smi_command: Option<u32>,
    /// Written to `smi_command` to enter ACPI mode.
    pub acpi_enable: u8,
    /// Written to `smi_command` to leave ACPI mode.
    pub acpi_disable: u8,
    /// PM1a control block (SLP_TYP and SLP_EN live here); absent on
    /// hardware-reduced machines.
    pub pm1a_control: Option<GenericAddress>,
    /// PM1b control block, written alongside PM1a when present.
    pub pm1b_control: Option<GenericAddress>,
    /// The ACPI PM timer (3.579545 MHz); see [`FadtFlags::pm_timer_32bit`].
    pub pm_timer: Option<GenericAddress>,
    pub flags: FadtFlags,
    /// Absent in revision 1 tables, where the field was reserved.
    pub boot_arch: Option<BootArchFlags>,
    /// The RTC CMOS RAM index of the century byte.
    pub century_index: Option<u8>,
    /// The reset register, when the table has one and the flags allow it.
    pub reset: Option<ResetRegister>,
    /// Sleep control register of hardware-reduced machines (ACPI 5.0+).
    pub sleep_control: Option<GenericAddress>,
    /// Sleep status register of hardware-reduced machines (ACPI 5.0+).
    pub sleep_status: Option<GenericAddress>,
}

impl Fadt {
    /// Parses a checked FADT of at least [`FADT_V1_LEN`] bytes.
    pub fn parse<M: PhysMemory + ?Sized>(mem: &M, table: &Table) -> Result<Fadt, Error> {
        table.require_signature(Signature::FADT)?;
        table.require_length(FADT_V1_LEN)?;
        let mut buf = [0u8; FADT_MAX_READ];
        let raw = table.read_prefix(mem, 0, &mut buf)?;
        let flags = FadtFlags(bytes::u32_at(raw, FLAGS).unwrap_or(0));
        let reset = match (GenericAddress::decode(raw, RESET_REG), bytes::u8_at(raw, RESET_VALUE)) {
            (Some(register), Some(value)) if flags.reset_register_supported() && register.address != 0 => {
                Some(ResetRegister { register, value })
            }
            _ => None,
        };
        Ok(Fadt {
            revision: table.revision,
            facs_address: address(raw, X_FIRMWARE_CTRL, FIRMWARE_CTRL),
            dsdt_address: address(raw, X_DSDT, DSDT),
            sci_interrupt: bytes::u16_at(raw, SCI_INT).unwrap_or(0),
            smi_command: bytes::u32_at(raw, SMI_CMD).filter(|port| *port != 0),
            acpi_enable: bytes::u8_at(raw, ACPI_ENABLE).unwrap_or(0),
            acpi_disable: bytes::u8_at(raw, ACPI_DISABLE).unwrap_or(0),
            pm1a_control: register(raw, X_PM1A_CNT_BLK, PM1A_CNT_BLK, PM1_CNT_LEN),
            pm1b_control: register(raw, X_PM1B_CNT_BLK, PM1B_CNT_BLK, PM1_CNT_LEN),
            pm_timer: register(raw, X_PM_TMR_BLK, PM_TMR_BLK, PM_TMR_LEN),
            flags,
            boot_arch: (table.revision >= 2).then(|| bytes::u16_at(raw, IAPC_BOOT_ARCH).map(BootArchFlags)).flatten(),
            century_index: bytes::u8_at(raw, CENTURY).filter(|index| *index != 0),
            reset,
            sleep_control: extended(raw, SLEEP_CONTROL_REG),
            sleep_status: extended(raw, SLEEP_STATUS_REG),
        })
    }
}

/// The nonzero Generic Address Structure at `at`, if the table reaches it.
fn extended(raw: &[u8], at: usize) -> Option<GenericAddress> {
    GenericAddress::decode(raw, at).filter(|gas| gas.address != 0)
}

/// A register block: the `X_` structure at `x_at` if nonzero, else the
/// 32-bit I/O port at `legacy_at` with its byte length at `len_at`.
fn register(raw: &[u8], x_at: usize, legacy_at: usize, len_at: usize) -> Option<GenericAddress> {
    extended(raw, x_at).or_else(|| {
        let port = bytes::u32_at(raw, legacy_at).filter(|port| *port != 0)?;
        Some(GenericAddress::io_block(port, bytes::u8_at(raw, len_at).unwrap_or(0)))
    })
}

/// A physical address: the 64-bit field at `x_at` if nonzero, else the
/// 32-bit one at `legacy_at`.
fn address(raw: &[u8], x_at: usize, legacy_at: usize) -> Option<u64> {
    bytes::u64_at(raw, x_at)
        .filter(|address| *address != 0)
        .or_else(|| bytes::u32_at(raw, legacy_at).filter(|a| *a != 0).map(u64::from))
}
