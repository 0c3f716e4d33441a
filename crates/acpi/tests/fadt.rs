//! Parsing the FADT.

mod support;

use acpi::{
    AddressSpace, BootArchFlags, Error, Fadt, FadtFlags, GenericAddress, ResetRegister, Signature, SliceMemory, Table,
    FADT_V1_LEN,
};
use support::*;

fn parse(bytes: Vec<u8>) -> Result<Fadt, Error> {
    let mut mem = FakeMemory::new();
    mem.put(FADT_AT, bytes);
    let table = Table::load(&mem, FADT_AT)?;
    Fadt::parse(&mem, &table)
}

fn io(port: u64, bits: u8) -> GenericAddress {
    GenericAddress { space: AddressSpace::SystemIo, bit_width: bits, bit_offset: 0, access_size: 0, address: port }
}

#[test]
fn acpi_1_fadt_has_legacy_ports_and_no_extended_fields() {
    let fadt = parse(fadt(1, 116, 0x7ffe_5000, 0x0000_01a5)).unwrap();
    assert_eq!(fadt.revision, 1);
    assert_eq!(fadt.dsdt_address, Some(0x7ffe_5000));
    assert_eq!(fadt.facs_address, None);
    assert_eq!(fadt.sci_interrupt, 9);
    assert_eq!(fadt.smi_command, Some(0xb2));
    assert_eq!((fadt.acpi_enable, fadt.acpi_disable), (0xf1, 0xf0));
    assert_eq!(fadt.pm1a_control, Some(io(0x604, 16)));
    assert_eq!(fadt.pm1a_control.unwrap().io_port(), Some(0x604));
    assert_eq!(fadt.pm1b_control, None);
    assert_eq!(fadt.pm_timer, Some(io(0x608, 32)));
    assert!(fadt.flags.pm_timer_32bit());
    assert!(!fadt.flags.hardware_reduced());
    // IAPC_BOOT_ARCH was reserved in ACPI 1.0.
    assert_eq!(fadt.boot_arch, None);
    assert_eq!(fadt.century_index, Some(0x32));
    assert_eq!(fadt.reset, None);
    assert_eq!((fadt.sleep_control, fadt.sleep_status), (None, None));
}

#[test]
fn acpi_2_fadt_has_boot_flags_and_a_reset_register() {
    let fadt = parse(fadt(3, 244, 0x7ffe_5000, 0x0000_04a5)).unwrap();
    let boot = fadt.boot_arch.unwrap();
    assert!(boot.legacy_devices() && boot.has_8042());
    assert!(!boot.no_vga() && !boot.no_msi() && !boot.no_pcie_aspm() && !boot.no_cmos_rtc());
    assert!(fadt.flags.reset_register_supported());
    assert!(!fadt.flags.pm_timer_32bit());
    assert_eq!(
        fadt.reset,
        Some(ResetRegister { register: GenericAddress { access_size: 1, ..io(0xcf9, 8) }, value: 0x0f })
    );
}

#[test]
fn reset_register_needs_the_flag() {
    let fadt = parse(fadt(3, 244, 0x7ffe_5000, 0)).unwrap();
    assert_eq!(fadt.reset, None);
}

#[test]
fn extended_fields_win_when_nonzero() {
    let mut bytes = fadt(3, 244, 0x7ffe_5000, 0);
    put_u64(&mut bytes, fadt_at::X_DSDT, 0x1_2345_6000);
    put_gas(&mut bytes, fadt_at::X_PM1A_CNT_BLK, 1, 16, 2, 0xb004);
    fix_checksum(&mut bytes, 9);
    let fadt = parse(bytes).unwrap();
    assert_eq!(fadt.dsdt_address, Some(0x1_2345_6000));
    assert_eq!(fadt.pm1a_control, Some(GenericAddress { access_size: 2, ..io(0xb004, 16) }));
    // X_PM_TMR_BLK is zero: the 32-bit field stands.
    assert_eq!(fadt.pm_timer, Some(io(0x608, 32)));
}

#[test]
fn hardware_reduced_fadt_uses_sleep_registers() {
    let mut bytes = fadt(6, 276, 0, 1 << 20);
    for at in [40, 56, 64, 76] {
        put_u32(&mut bytes, at, 0);
    }
    put_gas(&mut bytes, fadt_at::SLEEP_CONTROL_REG, 0, 8, 1, 0xfed8_0000);
    put_gas(&mut bytes, fadt_at::SLEEP_STATUS_REG, 0, 8, 1, 0xfed8_0001);
    put_u64(&mut bytes, fadt_at::X_DSDT, 0x9_fd44);
    fix_checksum(&mut bytes, 9);
    let fadt = parse(bytes).unwrap();
    assert!(fadt.flags.hardware_reduced());
    assert_eq!((fadt.pm1a_control, fadt.pm_timer), (None, None));
    assert_eq!(fadt.dsdt_address, Some(0x9_fd44));
    let sleep = fadt.sleep_control.unwrap();
    assert_eq!((sleep.space, sleep.address), (AddressSpace::SystemMemory, 0xfed8_0000));
    assert_eq!(sleep.io_port(), None);
    assert_eq!(fadt.sleep_status.unwrap().address, 0xfed8_0001);
}

#[test]
fn every_length_below_acpi_1_is_an_error_and_longer_ones_parse() {
    let whole = fadt(6, 276, 0x7ffe_5000, 1 << 10);
    for length in 36..whole.len() {
        let result = parse(relength(&whole, length));
        if length < FADT_V1_LEN as usize {
            assert_eq!(result, Err(Error::TableTooShort { signature: Signature::FADT, length: length as u32 }));
        } else {
            let fadt = result.unwrap();
            assert_eq!(fadt.pm1a_control, Some(io(0x604, 16)));
            // The reset register appears only once its value byte fits.
            assert_eq!(fadt.reset.is_some(), length > 128, "{length}");
        }
    }
}

#[test]
fn flag_helpers_name_the_right_bits() {
    let f = FadtFlags;
    assert!(f(1 << 8).pm_timer_32bit());
    assert!(f(1 << 10).reset_register_supported());
    assert!(f(1 << 12).headless());
    assert!(f(1 << 19).force_apic_physical_destination());
    assert!(f(1 << 20).hardware_reduced());
    assert!(f(1 << 21).low_power_s0_idle());
    assert!(!f(!((1 << 8) | (1 << 10) | (1 << 12) | (1 << 19) | (1 << 20) | (1 << 21))).hardware_reduced());
    let b = BootArchFlags;
    assert!(b(1).legacy_devices() && !b(1).has_8042());
    assert!(b(2).has_8042());
    assert!(b(4).no_vga());
    assert!(b(8).no_msi());
    assert!(b(16).no_pcie_aspm());
    assert!(b(32).no_cmos_rtc());
}

/// The FADT of the machine running the tests, when it is readable.
#[test]
fn host_fadt_parses_if_readable() {
    let Ok(bytes) = std::fs::read("/sys/firmware/acpi/tables/FACP") else {
        eprintln!("host FADT not readable; skipped");
        return;
    };
    let mem = SliceMemory::new(0x1000, &bytes);
    let table = Table::load(&mem, 0x1000).expect("host FADT header and checksum");
    let fadt = Fadt::parse(&mem, &table).expect("host FADT");
    assert!(fadt.dsdt_address.is_some(), "{fadt:#?}");
    eprintln!("host FADT: {fadt:?}");
}
