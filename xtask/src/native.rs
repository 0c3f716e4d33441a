//! Building the native Helctic programs: every binary of the `user/`
//! workspace (see user/README.md), for the kernel's bare-metal target with
//! the kernel's toolchain, linked with `user/rt/link.ld`.

use crate::toolchain::{self, KERNEL_TARGET};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Builds every program in `user/` and returns `(name, path)` for each,
/// sorted by name: the binary's name (its crate's name unless a `[[bin]]`
/// says otherwise) and the built static ELF, to be installed as
/// `/native/<name>`. A new program is a new directory in `user/` with a
/// Cargo.toml and a `src/main.rs`; the workspace takes every directory in.
#[allow(dead_code)] // Until the initramfs installs /native.
pub fn build_native(release: bool) -> Result<Vec<(String, PathBuf)>, String> {
    let tc = toolchain::kernel_toolchain()?;
    let root = crate::root();
    let script = root.join("user/rt/link.ld");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root.join("user"))
        .args(["build", "--workspace", "--bins", "--target", KERNEL_TARGET, "--target-dir"])
        .arg(root.join("target/user"))
        // Diagnostics still go to the terminal; stdout carries one JSON
        // line per artifact, which names every executable built.
        .arg("--message-format=json-render-diagnostics")
        .stdout(Stdio::piped())
        .env("RUSTC", &tc.rustc)
        // The outer `cargo xtask` may have set these for the host build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    if release {
        cmd.arg("--release");
    }
    if tc.build_std {
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .arg("-Zbuild-std=core,alloc,compiler_builtins")
            .arg("-Zbuild-std-features=compiler-builtins-mem");
    }
    // Static and non-PIE at the address link.ld gives (the target's default
    // is a static PIE in the kernel code model); frame pointers for
    // backtraces, as in the kernel.
    let mut flags = vec![
        "-Crelocation-model=static".to_string(),
        "-Ccode-model=small".to_string(),
        "-Cforce-frame-pointers=yes".to_string(),
        format!("-Clink-arg=-T{}", script.display()),
    ];
    if let Some(linker) = &tc.linker {
        flags.push(format!("-Clinker={}", linker.display()));
    }
    cmd.env("CARGO_ENCODED_RUSTFLAGS", flags.join("\x1f"));

    let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut programs = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
            if line.contains("\"reason\":\"compiler-artifact\"") {
                if let Some(path) = json_string_field(&line, "executable") {
                    programs.push(PathBuf::from(path));
                }
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cannot wait for cargo: {e}"))?;
    if !status.success() {
        return Err(format!("native programs failed to build ({status}) with {}", tc.description));
    }
    let mut named = Vec::new();
    for path in programs {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("odd program path {}", path.display()))?
            .to_string();
        if named.iter().any(|(n, _)| *n == name) {
            return Err(format!("two native programs are called `{name}`"));
        }
        named.push((name, path));
    }
    named.sort();
    if named.is_empty() {
        return Err("the user workspace built no programs".into());
    }
    for (name, path) in &named {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        eprintln!("xtask: native {name}: {} ({} KiB)", path.display(), size / 1024);
    }
    Ok(named)
}

/// The value of `"field":"..."` in one line of cargo's JSON output, or
/// `None` if absent or not a string (`"executable":null` for libraries).
fn json_string_field(line: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\":\"");
    let start = line.find(&key)? + key.len();
    let mut value = String::new();
    let mut chars = line[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_executables_from_cargo_json() {
        let bin = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"hello"},"executable":"/w/target/user/x86_64-unknown-none/release/hello","fresh":true}"#;
        let lib =
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"rt"},"executable":null,"fresh":true}"#;
        let odd = r#"{"executable":"/a \"b\"\\c\u00e9"}"#;
        assert_eq!(
            json_string_field(bin, "executable").as_deref(),
            Some("/w/target/user/x86_64-unknown-none/release/hello")
        );
        assert_eq!(json_string_field(lib, "executable"), None);
        assert_eq!(json_string_field(odd, "executable").as_deref(), Some("/a \"b\"\\c\u{e9}"));
        assert_eq!(json_string_field(r#"{"executable":"cut"#, "executable"), None);
    }

    /// Builds the user workspace (a bare-metal build, about a minute from
    /// cold) and checks `hello` is what the kernel will load as native:
    /// static, non-PIE, entry above 0x400000, W^X segments, the Helctic note
    /// in a PT_NOTE segment.
    #[test]
    #[ignore = "builds the user workspace with the bare-metal toolchain"]
    fn hello_is_a_static_native_executable() {
        let programs = build_native(true).unwrap();
        let (_, path) = programs.iter().find(|(name, _)| name == "hello").expect("hello is built");
        let bytes = std::fs::read(path).unwrap();
        let file = elf::ElfFile::parse(&bytes).unwrap();
        let plan = file.load_plan().unwrap();
        assert_eq!(plan.kind, elf::ElfType::Executable);
        assert!(!plan.has_interpreter);
        assert!(plan.lowest_vaddr >= 0x40_0000 && plan.entry > plan.lowest_vaddr);
        for segment in file.load_segments() {
            assert!(!(segment.flags.writable() && segment.flags.executable()), "W^X: {segment:?}");
        }
        let note = file.notes().flatten().find(|n| n.name == b"Helctic").expect("the Helctic note");
        assert_eq!((note.kind, note.desc_word(0)), (1, Some(1)));
    }
}
