//! Reads the static ACPI tables the kernel needs at boot: where the interrupt
//! controllers are, which timers exist, and which registers power the machine
//! off.
//!
//! Firmware tables are an allegation like any other input: every length is
//! bounded, every checksum is checked, every count is capped, and nothing
//! here can panic or loop without bound. Physical memory is reached only
//! through the caller's [`PhysMemory`], so the crate forbids `unsafe` and is
//! tested on the host against synthetic tables. Nothing allocates: lists have
//! a fixed capacity ([`FixedList`]) and say when entries did not fit.
//!
//! From the bottom up:
//!
//! - [`Rsdp`] finds and checks the Root System Description Pointer, at an
//!   address the boot protocol passed or by scanning the BIOS areas.
//! - [`Table`] is a system description table whose header, length and
//!   checksum have been checked.
//! - [`TableDirectory`] walks the XSDT (or the RSDT), keeping the good
//!   tables and reporting the bad ones.
//! - [`Madt`] (signature `APIC`): local APICs, x2APICs, I/O APICs, interrupt
//!   source overrides, NMI wiring, and whether 8259 PICs must be masked.
//! - [`Hpet`] (signature `HPET`): the HPET's base address and capabilities.
//! - [`Fadt`] (signature `FACP`): PM1 control blocks, sleep and reset
//!   registers, the DSDT address (AML is not parsed) and boot flags.
//! - [`discover`] does all of the above and returns a [`Platform`].
//!
//! Layouts follow the ACPI specification (6.x; 1.0 tables are accepted) and
//! the IA-PC HPET specification 1.0a.
#![no_std]
#![forbid(unsafe_code)]
// Shipped code may not index, overflow, unwrap or truncate; unit tests may.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::cast_possible_truncation
    )
)]

mod bytes;
mod checksum;
mod error;
mod fadt;
mod fixed_list;
mod gas;
mod hpet;
mod interrupt;
mod madt;
mod memory;
mod platform;
mod root;
mod rsdp;
mod signature;
mod table;

pub use error::Error;
pub use fadt::{BootArchFlags, Fadt, FadtFlags, ResetRegister, FADT_V1_LEN};
pub use fixed_list::FixedList;
pub use gas::{AddressSpace, GenericAddress};
pub use hpet::{Hpet, HPET_LEN};
pub use interrupt::{InterruptFlags, Polarity, PolarityFlag, Trigger, TriggerFlag};
pub use madt::{
    Cpu, InterruptOverride, IoApic, LocalApicNmi, Madt, NmiSource, Processors, MADT_HEADER_LEN, MAX_CPUS, MAX_IO_APICS,
    MAX_LOCAL_NMIS, MAX_MADT_ENTRIES, MAX_NMI_SOURCES, MAX_OVERRIDES,
};
pub use memory::{PhysMemory, ReadFailed, SliceMemory};
pub use platform::{discover, Platform};
pub use root::{RootKind, SkippedTable, TableDirectory, MAX_ROOT_ENTRIES, MAX_SKIPPED, MAX_TABLES};
pub use rsdp::{
    Rsdp, BIOS_AREA_END, BIOS_AREA_START, EBDA_POINTER, EBDA_SCAN_LEN, MAX_RSDP_LEN, RSDP_SIGNATURE, RSDP_V1_LEN,
    RSDP_V2_LEN,
};
pub use signature::Signature;
pub use table::{Table, HEADER_LEN, MAX_TABLE_LEN};

/// The result of every fallible operation in this crate.
pub type Result<T> = core::result::Result<T, Error>;
