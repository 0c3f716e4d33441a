//! PE images: hand-built headers, real Windows launchers if the host has
//! them (pip vendors distlib's), and a MinGW build if a cross compiler
//! happens to be installed.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use binfmt::{identify, Identity, Malformed, PeBinary, PeError, PeFormat, PeMachine, Subsystem};
use support::samples::*;

fn pe_identity(bytes: &[u8]) -> PeBinary {
    match identify(bytes) {
        Identity::Pe(binary) => binary,
        other => panic!("not identified as PE: {other:?}"),
    }
}

fn malformed(bytes: &[u8]) -> PeError {
    match identify(bytes) {
        Identity::Malformed(Malformed::Pe(error)) => error,
        other => panic!("not a malformed PE: {other:?}"),
    }
}

#[test]
fn pe32_plus_amd64_console_program() {
    let binary = pe_identity(&pe(IMAGE_FILE_MACHINE_AMD64, PE32_PLUS, SUBSYSTEM_CONSOLE, CHARACTERISTICS_EXE));
    assert_eq!(binary.machine, PeMachine::Amd64);
    assert_eq!(binary.format, PeFormat::Pe32Plus);
    assert_eq!(binary.subsystem, Subsystem::WindowsConsole);
    assert!(binary.is_executable_image && !binary.is_dll);
    assert_eq!(binary.entry_rva, 0x1234);
    assert_eq!(binary.image_base, 0x1_4000_0000);
}

#[test]
fn pe32_i386_gui_dll_and_arm64() {
    let binary = pe_identity(&pe(IMAGE_FILE_MACHINE_I386, PE32, SUBSYSTEM_GUI, CHARACTERISTICS_DLL));
    assert_eq!(
        (binary.machine, binary.format, binary.subsystem),
        (PeMachine::I386, PeFormat::Pe32, Subsystem::WindowsGui)
    );
    assert!(binary.is_dll);
    assert_eq!(binary.image_base, 0x40_0000);
    let binary = pe_identity(&pe(IMAGE_FILE_MACHINE_ARM64, PE32_PLUS, 10, CHARACTERISTICS_EXE));
    assert_eq!((binary.machine, binary.subsystem), (PeMachine::Arm64, Subsystem::EfiApplication));
    let binary = pe_identity(&pe(0x01c4, PE32, SUBSYSTEM_CONSOLE, CHARACTERISTICS_EXE));
    assert_eq!(binary.machine, PeMachine::Other(0x01c4));
}

#[test]
fn broken_headers_are_malformed_with_a_reason() {
    let good = pe(IMAGE_FILE_MACHINE_AMD64, PE32_PLUS, SUBSYSTEM_CONSOLE, CHARACTERISTICS_EXE);
    assert_eq!(malformed(b"MZ"), PeError::Truncated);
    assert_eq!(malformed(&good[..0x3f]), PeError::Truncated);
    assert_eq!(malformed(&good[..PE_HEADER_AT + 10]), PeError::HeaderOutOfFile);

    let mut far = good.clone();
    far[0x3c..0x40].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(malformed(&far), PeError::HeaderOutOfFile);

    let mut dos_only = good.clone();
    dos_only[PE_HEADER_AT..PE_HEADER_AT + 4].copy_from_slice(b"NE\0\0");
    assert_eq!(malformed(&dos_only), PeError::NoPeSignature);

    let optional_size_at = PE_HEADER_AT + 4 + 16;
    let mut no_optional = good.clone();
    no_optional[optional_size_at..optional_size_at + 2].copy_from_slice(&0u16.to_le_bytes());
    assert_eq!(malformed(&no_optional), PeError::OptionalHeaderTooSmall);
    assert_eq!(malformed(&good[..PE_HEADER_AT + 24 + 60]), PeError::OptionalHeaderTooSmall);

    let mut rom = good.clone();
    rom[PE_HEADER_AT + 24..PE_HEADER_AT + 26].copy_from_slice(&0x107u16.to_le_bytes());
    assert_eq!(malformed(&rom), PeError::BadOptionalMagic(0x107));
}

/// Directories named `distlib` that hold Windows launcher executables.
fn distlib_dirs() -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "distlib") && path.join("t64.exe").exists() {
                found.push(path);
            } else if depth > 0 {
                walk(&path, depth - 1, found);
            }
        }
    }
    let mut found = Vec::new();
    let home = std::env::var("HOME").unwrap_or_default();
    for root in ["/usr/lib".to_string(), "/usr/local/lib".to_string(), format!("{home}/.pyenv/versions")] {
        walk(Path::new(&root), 7, &mut found);
        if !found.is_empty() {
            break;
        }
    }
    found
}

#[test]
fn real_windows_launchers_if_present() {
    let Some(dir) = distlib_dirs().into_iter().next() else {
        eprintln!("skipping: no distlib launchers on this host");
        return;
    };
    let expectations = [
        ("t32.exe", PeMachine::I386, PeFormat::Pe32, Subsystem::WindowsConsole),
        ("t64.exe", PeMachine::Amd64, PeFormat::Pe32Plus, Subsystem::WindowsConsole),
        ("t64-arm.exe", PeMachine::Arm64, PeFormat::Pe32Plus, Subsystem::WindowsConsole),
        ("w32.exe", PeMachine::I386, PeFormat::Pe32, Subsystem::WindowsGui),
        ("w64.exe", PeMachine::Amd64, PeFormat::Pe32Plus, Subsystem::WindowsGui),
        ("w64-arm.exe", PeMachine::Arm64, PeFormat::Pe32Plus, Subsystem::WindowsGui),
    ];
    let mut checked = 0;
    for (name, machine, format, subsystem) in expectations {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            continue;
        };
        let binary = pe_identity(&bytes);
        assert_eq!((binary.machine, binary.format, binary.subsystem), (machine, format, subsystem), "{name}");
        assert!(binary.is_executable_image && !binary.is_dll, "{name}");
        checked += 1;
    }
    assert!(checked > 0, "t64.exe was there a moment ago");
}

#[test]
fn mingw_build_if_cross_compiler_installed() {
    let compiler = "x86_64-w64-mingw32-gcc";
    if !have(compiler) {
        eprintln!("skipping: {compiler} not installed");
        return;
    }
    let dir = scratch_dir("mingw");
    let source = dir.join("hello.c");
    std::fs::write(&source, "int main(void) { return 0; }\n").unwrap();
    let output = dir.join("hello.exe");
    let mut command = Command::new(compiler);
    command.arg("-o").arg(&output).arg(&source);
    let Some(bytes) = build(&mut command, &output) else {
        return;
    };
    let binary = pe_identity(&bytes);
    assert_eq!(
        (binary.machine, binary.format, binary.subsystem),
        (PeMachine::Amd64, PeFormat::Pe32Plus, Subsystem::WindowsConsole)
    );
}
