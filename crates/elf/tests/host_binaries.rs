//! The reader against real binaries on the build host, cross-checked with
//! binutils' `readelf` where it is installed. Each test skips (with a message)
//! when its binary or tool is absent, so the suite runs anywhere.

#[path = "support/walk.rs"]
mod walk;

use std::path::Path;
use std::process::Command;

use elf::{ElfFile, ElfType, Machine, Note, SegmentType, StackPermission};

fn read_host_file(path: &str) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            eprintln!("skipping: cannot read {path}: {error}");
            None
        }
    }
}

/// `readelf` output for `path`, or `None` if readelf is not installed.
fn readelf(args: &[&str], path: &Path) -> Option<String> {
    let output = Command::new("readelf").args(args).arg(path).env("LC_ALL", "C").output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Counts readelf's `LOAD` program header lines.
fn readelf_load_count(path: &Path) -> Option<usize> {
    let text = readelf(&["-lW"], path)?;
    Some(text.lines().filter(|line| line.split_whitespace().next() == Some("LOAD")).count())
}

/// Counts the defined `FUNC` entries of readelf's `.symtab` listing.
fn readelf_function_count(path: &Path) -> Option<usize> {
    let text = readelf(&["-sW"], path)?;
    let mut in_symtab = false;
    let mut count = 0;
    for line in text.lines() {
        if line.starts_with("Symbol table") {
            in_symtab = line.contains("'.symtab'");
            continue;
        }
        let fields: Vec<_> = line.split_whitespace().collect();
        if in_symtab && fields.len() >= 7 && fields[3] == "FUNC" && fields[6] != "UND" {
            count += 1;
        }
    }
    Some(count)
}

fn gnu_abi_tag_os(notes: &[Note<'_>]) -> Option<u32> {
    notes.iter().find(|n| n.is(b"GNU", 1)).and_then(|n| n.desc_word(0))
}

#[test]
fn bin_true_is_a_dynamic_pie() {
    let Some(bytes) = read_host_file("/bin/true") else {
        return;
    };
    assert_eq!(walk::walk(&bytes), Ok(()));
    let file = ElfFile::parse(&bytes).unwrap();
    assert_eq!(file.header().kind, ElfType::SharedObject);
    assert!(matches!(file.header().machine, Machine::X86_64 | Machine::Aarch64));
    let interpreter = file.interpreter().unwrap().expect("dynamically linked");
    assert!(interpreter.starts_with(b"/lib"), "{:?}", String::from_utf8_lossy(interpreter));
    let plan = file.load_plan().unwrap();
    assert!(plan.is_position_independent() && !plan.is_static_pie());
    assert!(plan.phdr_vaddr.is_some());
    assert!(plan.max_align >= 0x1000);
    assert_eq!(file.stack_permission(), StackPermission::NonExecutable);
    if let Some(expected) = readelf_load_count(Path::new("/bin/true")) {
        assert_eq!(plan.load_segments, expected);
    }
    let notes: Vec<_> = file.notes().collect::<Result<_, _>>().unwrap();
    assert!(notes.iter().any(|n| n.is(b"GNU", 3)), "build ID");
    if let Some(os) = gnu_abi_tag_os(&notes) {
        assert_eq!(os, 0, "GNU ABI tag says Linux");
    }
}

#[test]
fn busybox_is_read_if_installed() {
    let path = "/bin/busybox";
    if !Path::new(path).exists() {
        eprintln!("skipping: {path} not installed");
        return;
    }
    let Some(bytes) = read_host_file(path) else {
        return;
    };
    assert_eq!(walk::walk(&bytes), Ok(()));
    let file = ElfFile::parse(&bytes).unwrap();
    let plan = file.load_plan().unwrap();
    if let Some(expected) = readelf_load_count(Path::new(path)) {
        assert_eq!(plan.load_segments, expected);
    }
    // Debian's busybox is static; a distribution may ship a dynamic one.
    if file.interpreter().unwrap().is_none() {
        assert!(!plan.has_interpreter);
        if file.first_segment(SegmentType::Tls).is_some() {
            let tls = file.tls_template().unwrap().unwrap();
            assert!(tls.image.len() as u64 <= tls.memsz);
        }
    }
    for note in file.notes() {
        note.unwrap();
    }
}

/// `readelf -V`'s version definitions: (index, flags say BASE, name).
fn readelf_version_definitions(path: &Path) -> Option<Vec<(u16, bool, String)>> {
    let text = readelf(&["-VW"], path)?;
    let mut out = Vec::new();
    let mut in_definitions = false;
    for line in text.lines() {
        if line.starts_with("Version") {
            in_definitions = line.starts_with("Version definition section");
            continue;
        }
        // "  0x001c: Rev: 1  Flags: none  Index: 2  Cnt: 1  Name: GLIBC_2.2.5"
        let fields: Vec<_> = line.split_whitespace().collect();
        if !in_definitions || fields.get(1) != Some(&"Rev:") {
            continue;
        }
        let after =
            |key: &str| fields.iter().position(|f| *f == key).and_then(|i| fields.get(i + 1)).map(|s| s.to_string());
        out.push((after("Index:")?.parse().ok()?, after("Flags:")? == "BASE", after("Name:")?));
    }
    Some(out)
}

/// A glibc shared library: its dynamic section, dynamic symbols, version
/// definitions and symbol versions, checked against readelf.
#[test]
fn glibc_library_versions_agree_with_readelf() {
    let path = Path::new("/lib/x86_64-linux-gnu/libdl.so.2");
    let Some(bytes) = read_host_file(path.to_str().unwrap()) else {
        return;
    };
    assert_eq!(walk::walk(&bytes), Ok(()));
    let file = ElfFile::parse(&bytes).unwrap();
    assert_eq!(file.header().kind, ElfType::SharedObject);
    let dynamic: Vec<_> = file.dynamic_entries().unwrap().expect("PT_DYNAMIC").collect();
    assert!(dynamic.iter().any(|e| e.tag == elf::DynamicEntry::DT_VERDEF));
    assert!(dynamic.iter().any(|e| e.tag == elf::DynamicEntry::DT_SONAME));
    let definitions: Vec<_> =
        file.version_definition_table().unwrap().expect(".gnu.version_d").map(Result::unwrap).collect();
    assert_eq!(Some(definitions.len() as u64), file.dynamic_value(elf::DynamicEntry::DT_VERDEFNUM).unwrap());
    assert_eq!(definitions[0].name, b"libdl.so.2");
    assert!(definitions[0].is_base());
    let symbols: Vec<_> = file.dynamic_symbol_table().unwrap().map(Result::unwrap).collect();
    let versions = file.symbol_version_table().unwrap().expect(".gnu.version");
    assert_eq!(versions.len(), symbols.len(), "one version entry per dynamic symbol");
    if let Some(expected) = readelf_version_definitions(path) {
        let ours: Vec<_> =
            definitions.iter().map(|d| (d.index, d.is_base(), String::from_utf8_lossy(d.name).into_owned())).collect();
        assert_eq!(ours, expected);
    }
}

/// A function that certainly exists in `.symtab` under a findable name.
#[inline(never)]
fn symbol_lookup_marker() -> u32 {
    std::hint::black_box(0x5eed)
}

#[test]
fn this_test_binary_has_function_symbols() {
    assert_eq!(std::hint::black_box(symbol_lookup_marker as fn() -> u32)(), 0x5eed);
    let path = std::env::current_exe().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let file = ElfFile::parse(&bytes).unwrap();
    file.load_plan().unwrap();
    let functions: Vec<_> = match file.function_symbols() {
        Ok(functions) => functions.collect::<Result<_, _>>().unwrap(),
        Err(elf::Error::NoSymbolTable) => {
            eprintln!("skipping: test binary is stripped");
            return;
        }
        Err(error) => panic!("{error}"),
    };
    let ours = functions.iter().find(|symbol| {
        let name = String::from_utf8_lossy(symbol.name);
        name.contains("symbol_lookup_marker")
    });
    let ours = ours.expect("the marker function is in .symtab");
    assert!(ours.size > 0 && ours.value != 0);
    // The symbol's address lies in an executable loadable segment.
    assert!(file
        .load_segments()
        .any(|ph| ph.flags.executable() && ph.vaddr <= ours.value && ours.value < ph.vaddr + ph.memsz));
    if let Some(expected) = readelf_function_count(&path) {
        assert_eq!(functions.len(), expected, "same defined FUNC count as readelf");
    }
}

/// A static PIE built by the host's C toolchain: `ET_DYN` without
/// `PT_INTERP`, which the kernel must place itself. Skips if the toolchain
/// lacks static C libraries.
#[test]
fn host_built_static_pie_is_movable() {
    let dir = std::env::temp_dir().join(format!("elf-test-{}-static-pie", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("main.c");
    std::fs::write(&source, "__thread int counter = 5;\nint main(void) { return counter - 5; }\n").unwrap();
    let output = dir.join("main");
    let built = Command::new("cc").args(["-static-pie", "-O1", "-o"]).arg(&output).arg(&source).output();
    match built {
        Ok(result) if result.status.success() => {}
        Ok(result) => return eprintln!("skipping: cc -static-pie failed: {}", String::from_utf8_lossy(&result.stderr)),
        Err(error) => return eprintln!("skipping: no C compiler: {error}"),
    }
    let bytes = std::fs::read(&output).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(walk::walk(&bytes), Ok(()));
    let file = ElfFile::parse(&bytes).unwrap();
    assert_eq!(file.interpreter(), Ok(None));
    let plan = file.load_plan().unwrap();
    assert!(plan.is_static_pie());
    assert_eq!(plan.lowest_vaddr, 0);
    let base = 0x5555_0000_0000;
    let bias = plan.bias_for_base(base).unwrap();
    assert_eq!(bias, base);
    assert!(file.load_segments().all(|ph| (ph.vaddr.wrapping_add(bias) - ph.offset) % ph.align.max(1) == 0));
    let tls = file.tls_template().unwrap().expect("the thread-local counter");
    // The C library has thread-locals of its own; ours is in there somewhere.
    assert!(tls.image.windows(4).any(|word| word == 5i32.to_le_bytes()));
    assert!(tls.image.len() as u64 <= tls.memsz);
}
