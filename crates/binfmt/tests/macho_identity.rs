//! Mach-O: thin headers of both widths and byte orders, universal files,
//! and the Java class files that share the universal magic number.

mod support;

use binfmt::{
    identify, CpuType, FatError, Identity, MachOBinary, MachOError, MachOFileType, Malformed, MAX_FAT_ARCHES,
};
use support::samples::*;

fn macho_identity(bytes: &[u8]) -> MachOBinary {
    match identify(bytes) {
        Identity::MachO(binary) => binary,
        other => panic!("not identified as Mach-O: {other:?}"),
    }
}

#[test]
fn thin_64_bit_executables() {
    let binary = macho_identity(&macho(true, CPU_TYPE_X86_64, MH_EXECUTE, 32));
    assert_eq!((binary.cputype, binary.filetype), (CpuType::X86_64, MachOFileType::Execute));
    assert!(binary.is_64_bit && !binary.is_big_endian);
    assert_eq!((binary.ncmds, binary.sizeofcmds, binary.cpusubtype), (1, 32, 3));
    let binary = macho_identity(&macho(true, CPU_TYPE_ARM64, MH_DYLIB, 0));
    assert_eq!((binary.cputype, binary.filetype), (CpuType::Arm64, MachOFileType::Dylib));
}

#[test]
fn thin_32_bit_and_big_endian() {
    let binary = macho_identity(&macho(false, CPU_TYPE_X86, MH_EXECUTE, 4));
    assert_eq!(binary.cputype, CpuType::X86);
    assert!(!binary.is_64_bit);
    // A PowerPC executable, stored big-endian.
    let mut ppc = Vec::new();
    for word in [0xfeed_faceu32, 18, 0, 2, 0, 0, 0] {
        ppc.extend_from_slice(&word.to_be_bytes());
    }
    let binary = macho_identity(&ppc);
    assert_eq!((binary.cputype, binary.filetype), (CpuType::PowerPc, MachOFileType::Execute));
    assert!(binary.is_big_endian);
}

#[test]
fn cpu_types_round_trip() {
    for raw in [7, 0x0100_0007, 12, 0x0100_000c, 0x0200_000c, 18, 0x0100_0012, 99] {
        assert_eq!(CpuType::from_raw(raw).raw(), raw);
    }
}

#[test]
fn broken_thin_headers() {
    let good = macho(true, CPU_TYPE_ARM64, MH_EXECUTE, 64);
    assert_eq!(identify(&good[..20]), Identity::Malformed(Malformed::MachO(MachOError::Truncated)));
    assert_eq!(identify(&good[..40]), Identity::Malformed(Malformed::MachO(MachOError::CommandsOutOfFile)));
    let mut huge = good.clone();
    huge[20..24].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(identify(&huge), Identity::Malformed(Malformed::MachO(MachOError::CommandsOutOfFile)));
}

#[test]
fn universal_file_lists_its_slices() {
    let bytes = fat_x86_64_and_arm64();
    let Identity::FatMachO(fat) = identify(&bytes) else { panic!("not fat: {:?}", identify(&bytes)) };
    assert_eq!(fat.len(), 2);
    assert!(!fat.is_empty());
    let cputypes: Vec<_> = fat.arches().map(|arch| arch.cputype).collect();
    assert_eq!(cputypes, [CpuType::X86_64, CpuType::Arm64]);
    let arm = fat.find(CpuType::Arm64).unwrap();
    assert_eq!(arm.align, 4);
    let slice = fat.slice(&arm).unwrap();
    let inner = macho_identity(slice);
    assert_eq!((inner.cputype, inner.sizeofcmds), (CpuType::Arm64, 24));
    assert!(fat.find(CpuType::PowerPc).is_none());
}

fn fat_error(bytes: &[u8]) -> FatError {
    match identify(bytes) {
        Identity::Malformed(Malformed::FatMachO(error)) => error,
        other => panic!("not a malformed universal file: {other:?}"),
    }
}

fn set_be(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_be_bytes());
}

#[test]
fn broken_universal_files() {
    let good = fat_x86_64_and_arm64();
    // Entry fields: cputype +0, cpusubtype +4, offset +8, size +12, align +16.
    let first = 8;
    let second = 28;
    assert_eq!(fat_error(&good[..6]), FatError::Truncated);
    assert_eq!(fat_error(&good[..30]), FatError::Truncated);
    let mut none = good.clone();
    set_be(&mut none, 4, 0);
    assert_eq!(fat_error(&none), FatError::NoArches);
    let mut out = good.clone();
    set_be(&mut out, second + 12, 10_000);
    assert_eq!(fat_error(&out), FatError::ArchOutOfFile);
    let mut wrap = good.clone();
    set_be(&mut wrap, second + 8, u32::MAX);
    assert_eq!(fat_error(&wrap), FatError::ArchOutOfFile);
    let mut into_table = good.clone();
    set_be(&mut into_table, first + 8, 16);
    assert_eq!(fat_error(&into_table), FatError::ArchOverlap);
    let mut overlapping = good.clone();
    let first_offset = u32::from_be_bytes(good[first + 8..first + 12].try_into().unwrap());
    set_be(&mut overlapping, second + 8, first_offset + 8);
    assert_eq!(fat_error(&overlapping), FatError::ArchOverlap);
}

#[test]
fn fat64_with_too_many_arches_is_malformed() {
    let mut bytes = vec![0xca, 0xfe, 0xba, 0xbf];
    bytes.extend_from_slice(&(MAX_FAT_ARCHES + 1).to_be_bytes());
    bytes.resize(4096, 0);
    assert_eq!(fat_error(&bytes), FatError::TooManyArches);
}

#[test]
fn java_class_files_are_not_universal_binaries() {
    // magic, minor version 0, major version 52 (Java 8), constant pool...
    let class = [0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x1d, 0x0a];
    assert_eq!(identify(&class), Identity::Unknown);
    let Ok(real) = std::fs::read("/usr/share/gettext/javaversion.class") else {
        eprintln!("skipping: no Java class file on this host");
        return;
    };
    assert_eq!(identify(&real), Identity::Unknown);
}
