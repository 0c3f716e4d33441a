//! Hand-built headers of every format `identify` knows, written from the
//! format specifications independently of the code under test.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const IMAGE_FILE_MACHINE_AMD64: u16 = 0x8664;
pub const IMAGE_FILE_MACHINE_ARM64: u16 = 0xaa64;
pub const IMAGE_FILE_MACHINE_I386: u16 = 0x014c;
pub const PE32: u16 = 0x10b;
pub const PE32_PLUS: u16 = 0x20b;
pub const SUBSYSTEM_GUI: u16 = 2;
pub const SUBSYSTEM_CONSOLE: u16 = 3;
pub const CHARACTERISTICS_EXE: u16 = 0x0022; // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
pub const CHARACTERISTICS_DLL: u16 = 0x2022;

/// Where the PE signature sits in [`pe`] images.
pub const PE_HEADER_AT: usize = 0x80;

/// A PE image header: DOS header, `PE\0\0`, COFF header and an optional
/// header of the standard size, with no sections.
pub fn pe(machine: u16, magic: u16, subsystem: u16, characteristics: u16) -> Vec<u8> {
    let optional_size: usize = if magic == PE32 { 224 } else { 240 };
    let coff = PE_HEADER_AT + 4;
    let optional = coff + 20;
    let mut b = vec![0u8; optional + optional_size];
    b[..2].copy_from_slice(b"MZ");
    b[0x3c..0x40].copy_from_slice(&(PE_HEADER_AT as u32).to_le_bytes());
    b[PE_HEADER_AT..coff].copy_from_slice(b"PE\0\0");
    b[coff..coff + 2].copy_from_slice(&machine.to_le_bytes());
    b[coff + 16..coff + 18].copy_from_slice(&(optional_size as u16).to_le_bytes());
    b[coff + 18..coff + 20].copy_from_slice(&characteristics.to_le_bytes());
    b[optional..optional + 2].copy_from_slice(&magic.to_le_bytes());
    b[optional + 16..optional + 20].copy_from_slice(&0x1234u32.to_le_bytes());
    if magic == PE32 {
        b[optional + 28..optional + 32].copy_from_slice(&0x40_0000u32.to_le_bytes());
    } else {
        b[optional + 24..optional + 32].copy_from_slice(&0x1_4000_0000u64.to_le_bytes());
    }
    b[optional + 68..optional + 70].copy_from_slice(&subsystem.to_le_bytes());
    b
}

pub const CPU_TYPE_X86_64: u32 = 0x0100_0007;
pub const CPU_TYPE_ARM64: u32 = 0x0100_000c;
pub const CPU_TYPE_X86: u32 = 7;
pub const MH_EXECUTE: u32 = 2;
pub const MH_DYLIB: u32 = 6;

/// A little-endian Mach-O header followed by `sizeofcmds` zero bytes of
/// load commands.
pub fn macho(is_64: bool, cputype: u32, filetype: u32, sizeofcmds: u32) -> Vec<u8> {
    let magic: u32 = if is_64 { 0xfeed_facf } else { 0xfeed_face };
    let mut b = Vec::new();
    for word in [magic, cputype, 3, filetype, 1, sizeofcmds, 0x0020_0085] {
        b.extend_from_slice(&word.to_le_bytes());
    }
    if is_64 {
        b.extend_from_slice(&0u32.to_le_bytes());
    }
    b.resize(b.len() + sizeofcmds as usize, 0);
    b
}

/// A universal file holding `slices`, each aligned to 16 bytes (align 4).
pub fn fat(slices: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0xcafe_babeu32.to_be_bytes());
    b.extend_from_slice(&(slices.len() as u32).to_be_bytes());
    let mut offset = (8 + 20 * slices.len()).next_multiple_of(16);
    let mut bodies = Vec::new();
    for (cputype, body) in slices {
        for word in [*cputype, 3, offset as u32, body.len() as u32, 4] {
            b.extend_from_slice(&word.to_be_bytes());
        }
        bodies.push((offset, body));
        offset = (offset + body.len()).next_multiple_of(16);
    }
    for (at, body) in bodies {
        b.resize(at, 0);
        b.extend_from_slice(body);
    }
    b
}

/// A universal file with an x86_64 and an arm64 executable.
pub fn fat_x86_64_and_arm64() -> Vec<u8> {
    fat(&[
        (CPU_TYPE_X86_64, macho(true, CPU_TYPE_X86_64, MH_EXECUTE, 16)),
        (CPU_TYPE_ARM64, macho(true, CPU_TYPE_ARM64, MH_EXECUTE, 24)),
    ])
}

/// One sample of every format, for robustness tests.
pub fn every_format() -> Vec<Vec<u8>> {
    use super::image_builder::*;
    vec![
        static_executable().build(),
        static_executable().osabi(9).without_sections().build(),
        dynamic_pie("/libexec/ld-elf.so.1").build(),
        pe(IMAGE_FILE_MACHINE_AMD64, PE32_PLUS, SUBSYSTEM_CONSOLE, CHARACTERISTICS_EXE),
        pe(IMAGE_FILE_MACHINE_I386, PE32, SUBSYSTEM_GUI, CHARACTERISTICS_DLL),
        macho(true, CPU_TYPE_ARM64, MH_EXECUTE, 64),
        macho(false, CPU_TYPE_X86, MH_DYLIB, 8),
        fat_x86_64_and_arm64(),
        b"#!/usr/bin/env -S python3 -u\nprint('hi')\n".to_vec(),
        // A native Helctic program: the note `user/rt` emits.
        ImageBuilder::new(ET_EXEC)
            .entry(0x40_1000)
            .segment(Segment::notes(note(b"Helctic\0", 1, &1u32.to_le_bytes(), 4), 4))
            .segment(Segment::headers(0x40_0000))
            .segment(Segment::load(0x40_1000, PF_R | PF_X, vec![0xc3; 16]))
            .build(),
    ]
}

/// Whether `program` can be run (it is on `PATH`).
pub fn have(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

/// A fresh scratch directory for files a test builds.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("binfmt-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a build command; `None` (with the reason printed) if it fails, so a
/// test can skip when a toolchain lacks a component.
pub fn build(command: &mut Command, output: &Path) -> Option<Vec<u8>> {
    match command.output() {
        Ok(result) if result.status.success() => std::fs::read(output).ok(),
        Ok(result) => {
            eprintln!("skipping: build failed: {}", String::from_utf8_lossy(&result.stderr));
            None
        }
        Err(error) => {
            eprintln!("skipping: cannot run build: {error}");
            None
        }
    }
}
