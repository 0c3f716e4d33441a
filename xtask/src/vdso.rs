//! Building the Linux vDSO (`user/linux-vdso`, see its README) and checking
//! the image before the kernel embeds it (`kernel/src/mm/vdso.rs` reads it
//! from the path in `HELCTIC_VDSO`).
//!
//! It is Linux user-space code, so the host's own rustc builds it for
//! `x86_64-unknown-linux-gnu` with that target's prebuilt `core`: first
//! `crates/vdso-data` as an rlib, then the vDSO as an LTO'd staticlib, then
//! `ld.lld -shared` with the directory's linker and version scripts. The
//! result must be a shared object C libraries accept as Linux's vDSO and
//! that the kernel can map anywhere unchanged: [`check_image`] refuses
//! anything else, so a bad image fails the build, not a program.

use elf::{
    DynamicEntry, ElfFile, ElfType, Machine, SectionType, SegmentType, SymbolBinding, SymbolType, SymbolVersions,
};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The functions the vDSO exports, each under version [`VERSION`]
/// (Linux's `arch/x86/entry/vdso/vdso.lds.S`).
pub const FUNCTIONS: [&str; 5] =
    ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu", "__vdso_clock_getres"];
/// The weak unprefixed aliases Linux's vDSO also has.
pub const ALIASES: [&str; 5] = ["clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres"];
pub const VERSION: &str = "LINUX_2.6";
pub const SONAME: &str = "linux-vdso.so.1";
/// Where the vvar page lies relative to the image: the page just below it
/// (`vdso.lds`); the kernel maps it there.
pub const VVAR_OFFSET: i64 = -4096;
/// Largest image the kernel accepts (it copies the file into frames).
pub const MAX_IMAGE: usize = 64 << 10;

const TARGET: &str = "x86_64-unknown-linux-gnu";

/// A rustc with the prebuilt standard library of the host target.
fn host_rustc() -> Result<PathBuf, String> {
    let candidates = crate::toolchain::which("rustc").into_iter().chain([PathBuf::from("/usr/bin/rustc")]);
    for rustc in candidates {
        let Ok(out) = Command::new(&rustc).args(["--print", "sysroot"]).output() else { continue };
        let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && sysroot.join("lib/rustlib").join(TARGET).join("lib").is_dir() {
            return Ok(rustc);
        }
    }
    Err(format!("no rustc with the {TARGET} standard library (needed for the vDSO)"))
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// Builds the vDSO into `target/vdso/vdso.so`, checks it, and returns the
/// path. The file is rewritten only when its bytes change, so the kernel
/// (which depends on it) is not rebuilt for nothing.
pub fn build_vdso() -> Result<PathBuf, String> {
    let linker = crate::toolchain::ensure_program("ld.lld", "lld", "linking the vDSO")?;
    build_with(&host_rustc()?, &linker, &crate::root().join("target/vdso"))
}

fn build_with(rustc: &Path, linker: &Path, out: &Path) -> Result<PathBuf, String> {
    let root = crate::root();
    let src = root.join("user/linux-vdso");
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    // Position-independent, no unwinding, optimised: the code runs at any
    // address in every Linux process. Debug information is left out (the
    // image is mapped whole into every process).
    let common = [
        "--edition",
        "2021",
        "--target",
        TARGET,
        "-C",
        "panic=abort",
        "-C",
        "opt-level=2",
        "-C",
        "relocation-model=pic",
        "-C",
        "debuginfo=0",
    ];
    run(
        Command::new(rustc)
            .args(common)
            .args(["--crate-type", "rlib", "--crate-name", "vdso_data", "--out-dir"])
            .arg(out)
            .arg(root.join("crates/vdso-data/src/lib.rs")),
        "rustc (vdso-data)",
    )?;
    run(
        Command::new(rustc)
            .args(common)
            .args(["--crate-type", "staticlib", "--crate-name", "linux_vdso", "-C", "lto=fat", "-C", "codegen-units=1"])
            .arg("--extern")
            .arg(format!("vdso_data={}", out.join("libvdso_data.rlib").display()))
            .arg("-L")
            .arg(out)
            .arg("--out-dir")
            .arg(out)
            .arg(src.join("vdso.rs"))
            .env("HELCTIC_LINUX_RELEASE", personality_linux::RELEASE),
        "rustc (linux-vdso)",
    )?;
    let linked = out.join("vdso.so.new");
    let mut link = Command::new(linker);
    link.args([
        "-m",
        "elf_x86_64",
        "-shared",
        "-soname",
        SONAME,
        "--hash-style=both",
        "--no-undefined",
        "-z",
        "max-page-size=4096",
        "--build-id=sha1",
        "--eh-frame-hdr",
        "--gc-sections",
    ])
    .arg("--version-script")
    .arg(src.join("vdso.map"))
    .arg("-T")
    .arg(src.join("vdso.lds"));
    // The archive's objects are taken for the symbols asked for.
    for name in FUNCTIONS {
        link.args(["-u", name]);
    }
    link.arg("-o").arg(&linked).arg(out.join("liblinux_vdso.a"));
    run(&mut link, "ld.lld (vdso.so)")?;
    let bytes = std::fs::read(&linked).map_err(|e| format!("cannot read {}: {e}", linked.display()))?;
    check_image(&bytes).map_err(|problems| {
        format!("the vDSO image {} is not right:\n  {}", linked.display(), problems.join("\n  "))
    })?;
    let path = out.join("vdso.so");
    if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
        std::fs::rename(&linked, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    } else {
        let _ = std::fs::remove_file(&linked);
    }
    Ok(path)
}

/// Linux's `KERNEL_VERSION(a, b, c)` of a release string such as
/// "6.1.0-helctic" (what the vDSO's "Linux" note must carry).
pub fn version_code(release: &str) -> u32 {
    let mut parts =
        release.split(|c: char| !c.is_ascii_digit()).take(3).map(|p| p.parse::<u32>().unwrap_or(0).min(255));
    let mut next = || parts.next().unwrap_or(0);
    (next() << 16) | (next() << 8) | next()
}

/// Everything the kernel and the C libraries rely on, checked on the
/// linked image; every problem found is reported.
pub fn check_image(bytes: &[u8]) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let mut problem = |p: String| problems.push(p);
    let file = match ElfFile::parse(bytes) {
        Ok(file) => file,
        Err(e) => return Err(vec![format!("not an ELF file: {e}")]),
    };
    if bytes.len() > MAX_IMAGE {
        problem(format!("{} bytes, more than the kernel's limit of {MAX_IMAGE}", bytes.len()));
    }
    if file.header().kind != ElfType::SharedObject {
        problem(format!("type {:?}, not a shared object (ET_DYN)", file.header().kind));
    }
    if file.header().machine != Machine::X86_64 {
        problem(format!("machine {:?}, not x86-64", file.header().machine));
    }

    // One R+X PT_LOAD from address 0 and file offset 0 covering the whole
    // loaded image, so the kernel can map the file as it is.
    let loads: Vec<_> = file.load_segments().collect();
    match loads.as_slice() {
        [load] => {
            if load.offset != 0 || load.vaddr != 0 {
                problem(format!("PT_LOAD at offset {:#x}, address {:#x}; both must be 0", load.offset, load.vaddr));
            }
            if load.flags.0 != 5 {
                problem(format!("PT_LOAD flags {:#x}, not R+X", load.flags.0));
            }
            if load.filesz != load.memsz || load.filesz > bytes.len() as u64 {
                problem(format!(
                    "PT_LOAD file size {:#x} and memory size {:#x} differ or exceed the file",
                    load.filesz, load.memsz
                ));
            }
        }
        _ => problem(format!("{} PT_LOAD segments, not exactly one", loads.len())),
    }
    for kind in [SegmentType::Dynamic, SegmentType::Note] {
        if file.first_segment(kind).is_none() {
            problem(format!("no {kind:?} segment"));
        }
    }

    // The dynamic section: a soname, both hash styles, versions, and no
    // relocation of any kind (the image is shared by every process).
    let dynamic: Vec<DynamicEntry> = match file.dynamic_entries() {
        Ok(Some(entries)) => entries.collect(),
        Ok(None) => Vec::new(),
        Err(e) => {
            problem(format!("dynamic section: {e}"));
            Vec::new()
        }
    };
    for (tag, name) in [
        (DynamicEntry::DT_SONAME, "DT_SONAME"),
        (DynamicEntry::DT_HASH, "DT_HASH"),
        (DynamicEntry::DT_GNU_HASH, "DT_GNU_HASH"),
        (DynamicEntry::DT_SYMTAB, "DT_SYMTAB"),
        (DynamicEntry::DT_STRTAB, "DT_STRTAB"),
        (DynamicEntry::DT_VERSYM, "DT_VERSYM"),
        (DynamicEntry::DT_VERDEF, "DT_VERDEF"),
    ] {
        if !dynamic.iter().any(|e| e.tag == tag) {
            problem(format!("no {name} in the dynamic section"));
        }
    }
    for entry in dynamic.iter().filter(|e| e.is_relocation()) {
        problem(format!("dynamic relocation entry (tag {:#x})", entry.tag));
    }

    match check_sections(&file) {
        Ok(more) => problems.extend(more),
        Err(e) => problems.push(format!("sections: {e}")),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// The checks that need section headers: symbols, versions, the soname,
/// the vvar symbol, the Linux note, writable data and relocation sections.
fn check_sections(file: &ElfFile<'_>) -> Result<Vec<String>, elf::Error> {
    const SHF_WRITE: u64 = 1;
    const SHF_ALLOC: u64 = 2;
    const SHF_EXECINSTR: u64 = 4;
    let mut problems = Vec::new();
    let names = file.section_names()?;
    let mut code = Vec::new();
    for sh in file.section_headers()? {
        let name = String::from_utf8_lossy(names.get(sh.name_offset)?).into_owned();
        if matches!(sh.kind, SectionType::Rela | SectionType::Rel) {
            problems.push(format!("relocation section {name}"));
        }
        // .dynamic is marked writable by convention, but lies in the R+X
        // segment and PT_DYNAMIC is read-only, so loaders never write it.
        if sh.flags & (SHF_WRITE | SHF_ALLOC) == SHF_WRITE | SHF_ALLOC && name != ".dynamic" && sh.size > 0 {
            problems.push(format!("writable data in {name} ({} bytes)", sh.size));
        }
        if sh.flags & SHF_EXECINSTR != 0 {
            code.push(sh.addr..sh.addr + sh.size);
        }
    }

    let dynstr = file.section_by_name(b".dynstr")?.ok_or(elf::Error::SectionIndexOutOfRange)?;
    let dynstr = file.string_table(&dynstr)?;
    let soname = file
        .dynamic_value(DynamicEntry::DT_SONAME)?
        .and_then(|at| u32::try_from(at).ok())
        .map(|at| dynstr.get(at))
        .transpose()?;
    if soname != Some(SONAME.as_bytes()) {
        problems.push(format!("soname {:?}, not {SONAME}", soname.map(String::from_utf8_lossy)));
    }

    // The version LINUX_2.6, by index, and each symbol's version.
    let definitions: Vec<_> = match file.version_definition_table()? {
        Some(table) => table.collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let base = definitions.iter().find(|d| d.is_base());
    if base.map(|d| d.name) != Some(SONAME.as_bytes()) {
        problems.push(format!("base version definition is not {SONAME}"));
    }
    let version = definitions.iter().find(|d| d.name == VERSION.as_bytes() && !d.is_base()).map(|d| d.index);
    if version.is_none() {
        problems.push(format!("no version definition {VERSION} in .gnu.version_d"));
    }
    let versions = file.symbol_version_table()?.unwrap_or(SymbolVersions::new(&[])?);
    let symbols: Vec<_> = file.dynamic_symbol_table()?.collect::<Result<_, _>>()?;
    for (names, binding) in [(&FUNCTIONS, SymbolBinding::Global), (&ALIASES, SymbolBinding::Weak)] {
        for name in names.iter() {
            let Some(symbol) = symbols.iter().find(|s| s.name == name.as_bytes()) else {
                problems.push(format!("{name} is not a dynamic symbol"));
                continue;
            };
            if !(symbol.is_defined() && symbol.kind == SymbolType::Func && symbol.binding == binding) {
                problems.push(format!(
                    "{name} is {:?} {:?} (defined: {}), not a defined {binding:?} function",
                    symbol.binding,
                    symbol.kind,
                    symbol.is_defined()
                ));
            }
            if !code.iter().any(|r| r.contains(&symbol.value)) {
                problems.push(format!("{name} at {:#x} is not in executable code", symbol.value));
            }
            let raw = versions.get(symbol.index);
            if raw.map(|v| v & !SymbolVersions::HIDDEN) != version
                || raw.is_some_and(|v| v & SymbolVersions::HIDDEN != 0)
            {
                problems.push(format!("{name} has version index {raw:?}, not the default {VERSION} ({version:?})"));
            }
        }
    }
    for symbol in symbols.iter().filter(|s| s.is_defined()) {
        let name = String::from_utf8_lossy(symbol.name);
        if !FUNCTIONS.contains(&&*name) && !ALIASES.contains(&&*name) {
            problems.push(format!("{name} is exported but should not be"));
        }
    }

    // The contract with the kernel: the vvar page right below the image.
    let vvar = file.symbol_table()?.flatten().find(|s| s.name == b"vvar_page").map(|s| s.value as i64);
    if vvar != Some(VVAR_OFFSET) {
        problems
            .push(format!("vvar_page at {vvar:?}, not {VVAR_OFFSET} (vdso.lds and kernel/src/mm/vdso.rs disagree)"));
    }

    let code_wanted = version_code(personality_linux::RELEASE);
    let linux_note = file.notes().flatten().find(|n| n.is(b"Linux", 0)).and_then(|n| n.desc_word(0));
    if linux_note != Some(code_wanted) {
        problems
            .push(format!("Linux version note {linux_note:?}, not {code_wanted:#x} ({})", personality_linux::RELEASE));
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The image, built once for all the tests here (into its own
    /// directory, so a concurrent `cargo xtask build` is not disturbed);
    /// `None`, with a message, where ld.lld is not installed.
    fn built() -> Option<&'static [u8]> {
        static IMAGE: OnceLock<Option<Vec<u8>>> = OnceLock::new();
        IMAGE
            .get_or_init(|| {
                let Some(linker) = crate::toolchain::which("ld.lld") else {
                    eprintln!("skipping: ld.lld is not installed");
                    return None;
                };
                let out = std::env::temp_dir().join(format!("helctic-vdso-test-{}", std::process::id()));
                let path = build_with(&host_rustc().unwrap(), &linker, &out).unwrap_or_else(|e| panic!("{e}"));
                let bytes = std::fs::read(path).unwrap();
                let _ = std::fs::remove_dir_all(&out);
                Some(bytes)
            })
            .as_deref()
    }

    /// Output of a binutils tool on the image, or `None` if it is absent.
    fn binutils(tool: &str, args: &[&str], image: &[u8]) -> Option<String> {
        let path = std::env::temp_dir().join(format!("helctic-vdso-{tool}-{}.so", std::process::id()));
        std::fs::write(&path, image).unwrap();
        let out = Command::new(tool).args(args).arg(&path).env("LC_ALL", "C").output();
        let _ = std::fs::remove_file(&path);
        match out {
            Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
            _ => {
                eprintln!("skipping the {tool} cross-check: {tool} is not installed");
                None
            }
        }
    }

    #[test]
    fn version_codes() {
        assert_eq!(version_code("6.1.0-helctic"), 0x06_01_00);
        assert_eq!(version_code("5.15.120"), 0x05_0f_78);
        assert_eq!(version_code("4.300.2"), 0x04_ff_02);
        assert_eq!(version_code("garbage"), 0);
    }

    #[test]
    fn built_image_passes_every_check() {
        let Some(image) = built() else { return };
        assert_eq!(check_image(image), Ok(()));
        // The kernel maps the loaded part and the vvar page below it: one
        // page of code today, and never more than the kernel accepts.
        assert!(image.len() <= MAX_IMAGE);
    }

    #[test]
    fn binutils_agree() {
        let Some(image) = built() else { return };
        if let Some(text) = binutils("readelf", &["-r"], image) {
            assert!(text.contains("There are no relocations in this file."), "readelf -r:\n{text}");
        }
        if let Some(text) = binutils("readelf", &["-hlW"], image) {
            assert!(text.contains("DYN (Shared object file)"), "{text}");
            let loads: Vec<_> = text.lines().filter(|l| l.trim_start().starts_with("LOAD")).collect();
            assert_eq!(loads.len(), 1, "{text}");
            assert!(loads[0].contains(" R E "), "{}", loads[0]);
            assert!(text.lines().any(|l| l.trim_start().starts_with("DYNAMIC")), "{text}");
        }
        if let Some(text) = binutils("readelf", &["-dW"], image) {
            assert!(text.contains(&format!("Library soname: [{SONAME}]")), "{text}");
            assert!(text.contains("(HASH)") && text.contains("(GNU_HASH)"), "{text}");
        }
        if let Some(text) = binutils("readelf", &["--dyn-syms", "-W"], image) {
            for name in FUNCTIONS.iter().chain(&ALIASES) {
                let line = text
                    .lines()
                    .find(|l| l.split_whitespace().last() == Some(&format!("{name}@@{VERSION}")))
                    .unwrap_or_else(|| panic!("{name}@@{VERSION} missing:\n{text}"));
                assert!(line.contains(" FUNC "), "{line}");
            }
        }
        if let Some(text) = binutils("readelf", &["-VW"], image) {
            assert!(text.contains(&format!("Flags: BASE  Index: 1  Cnt: 1  Name: {SONAME}")), "{text}");
            assert!(text.contains(&format!("Name: {VERSION}")), "{text}");
        }
        if let Some(text) = binutils("objdump", &["-T"], image) {
            for name in FUNCTIONS.iter().chain(&ALIASES) {
                assert!(
                    text.lines().any(|l| l.contains(VERSION) && l.split_whitespace().last() == Some(name)),
                    "objdump -T lacks {name}:\n{text}"
                );
            }
        }
    }

    /// The checks are not vacuous: each damage to a good image is caught.
    #[test]
    fn damaged_images_are_refused() {
        let Some(image) = built() else { return };
        let file = ElfFile::parse(image).unwrap();
        let phoff = file.header().phoff as usize;
        let load_index = file.program_headers().position(|ph| ph.kind == SegmentType::Load).unwrap();

        let mut writable = image.to_vec();
        writable[phoff + load_index * 56 + 4] = 7; // p_flags = RWX
        assert!(check_image(&writable).unwrap_err().iter().any(|p| p.contains("not R+X")));

        let mut executable = image.to_vec();
        executable[16] = 2; // e_type = ET_EXEC
        assert!(check_image(&executable).unwrap_err().iter().any(|p| p.contains("not a shared object")));

        // Renaming the version string in .dynstr renames the definition.
        let mut renamed = image.to_vec();
        let at = renamed.windows(VERSION.len() + 1).position(|w| w == b"LINUX_2.6\0").unwrap();
        renamed[at + 8] = b'7';
        let problems = check_image(&renamed).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("no version definition")), "{problems:?}");

        assert!(check_image(&image[..image.len() / 2]).is_err());
        assert!(check_image(b"not an elf").is_err());
    }
}
