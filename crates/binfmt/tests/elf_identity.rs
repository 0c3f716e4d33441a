//! Which OS an ELF file is for: every rule and the precedence between them,
//! on built images and on real binaries where the host has them.

mod support;

use binfmt::{identify, ElfBinary, ElfOs, Identity, Malformed, OsEvidence};
use elf::{ElfType, Machine};
use std::process::Command;
use support::image_builder::*;
use support::samples::{build, have, scratch_dir};

fn elf_identity(image: &[u8]) -> ElfBinary {
    match identify(image) {
        Identity::Elf(binary) => binary,
        other => panic!("not identified as ELF: {other:?}"),
    }
}

fn os_of(image: &[u8]) -> (ElfOs, OsEvidence) {
    let binary = elf_identity(image);
    (binary.os, binary.evidence)
}

fn with_notes(notes: Vec<u8>) -> ImageBuilder {
    ImageBuilder::new(ET_EXEC)
        .segment(Segment::notes(notes, 4))
        .segment(Segment::headers(0x40_0000))
        .segment(Segment::load(0x40_1000, PF_R | PF_X, vec![0xc3; 16]))
}

fn freebsd_tag() -> Vec<u8> {
    note(b"FreeBSD\0", 1, &1_403_000u32.to_le_bytes(), 4)
}

fn netbsd_ident() -> Vec<u8> {
    note(b"NetBSD\0", 1, &1_000_000_000u32.to_le_bytes(), 4)
}

fn openbsd_ident() -> Vec<u8> {
    note(b"OpenBSD\0", 1, &0u32.to_le_bytes(), 4)
}

/// The note `user/rt` emits: owner "Helctic\0", type 1, the native ABI
/// version as one word.
fn helctic_note(version: u32) -> Vec<u8> {
    note(b"Helctic\0", 1, &version.to_le_bytes(), 4)
}

#[test]
fn helctic_note_means_native() {
    assert_eq!(os_of(&with_notes(helctic_note(1)).build()), (ElfOs::Helctic, OsEvidence::Note));
    // The constants the runtime builds its note from say the same.
    assert_eq!(binfmt::HELCTIC_NOTE_OWNER, b"Helctic");
    assert_eq!(binfmt::NT_HELCTIC_ABI, 1);
    assert_eq!(binfmt::HELCTIC_ABI_VERSION, 1);
}

/// What the runtime's linker script produces: the note inside the first,
/// read-only `PT_LOAD` (with the ELF headers) and a `PT_NOTE` over it,
/// entry in the executable segment, no interpreter.
#[test]
fn helctic_note_inside_a_load_segment() {
    let image = ImageBuilder::new(ET_EXEC)
        .entry(0x40_1000)
        .segment(Segment::notes(helctic_note(1), 4))
        .segment(Segment::headers(0x40_0000))
        .segment(Segment::load(0x40_1000, PF_R | PF_X, vec![0xc3; 16]))
        .segment(Segment::load(0x40_2000, PF_R | PF_W, vec![0; 8]).with_memsz(0x1000))
        .segment(Segment::gnu_stack(PF_R | PF_W))
        .build();
    let binary = elf_identity(&image);
    assert_eq!(binary.machine, Machine::X86_64);
    assert_eq!(binary.kind, ElfType::Executable);
    assert_eq!((binary.os, binary.evidence), (ElfOs::Helctic, OsEvidence::Note));
}

#[test]
fn helctic_note_for_another_abi_version_is_unknown() {
    for version in [0, 2, u32::MAX] {
        assert_eq!(
            os_of(&with_notes(helctic_note(version)).build()),
            (ElfOs::Unknown, OsEvidence::Note),
            "version {version}"
        );
    }
    // A longer descriptor is fine: only word 0 is the version.
    let long = note(b"Helctic\0", 1, &[1, 0, 0, 0, 9, 9, 9, 9], 4);
    assert_eq!(os_of(&with_notes(long).build()), (ElfOs::Helctic, OsEvidence::Note));
}

#[test]
fn helctic_note_takes_precedence() {
    // Over a contradicting EI_OSABI and a later OS note.
    let mut notes = helctic_note(1);
    notes.extend(gnu_abi_tag(0));
    let image = with_notes(notes).osabi(9).build();
    assert_eq!(os_of(&image), (ElfOs::Helctic, OsEvidence::Note));
    // But, like every OS note, not over an earlier one.
    let mut notes = netbsd_ident();
    notes.extend(helctic_note(1));
    assert_eq!(os_of(&with_notes(notes).build()), (ElfOs::NetBsd, OsEvidence::Note));
}

#[test]
fn malformed_helctic_notes_do_not_decide() {
    // Descriptor too short for the version word: skipped, the next note decides.
    let mut short = note(b"Helctic\0", 1, &[1, 0], 4);
    short.extend(openbsd_ident());
    assert_eq!(os_of(&with_notes(short).build()), (ElfOs::OpenBsd, OsEvidence::Note));
    // Empty descriptor, nothing after it: the default rule.
    assert_eq!(os_of(&with_notes(note(b"Helctic\0", 1, &[], 4)).build()), (ElfOs::Linux, OsEvidence::Default));
    // descsz running past the end of the segment: the note cannot be read.
    let mut truncated = helctic_note(1);
    truncated[4] = 0xff;
    assert_eq!(os_of(&with_notes(truncated).osabi(12).build()), (ElfOs::OpenBsd, OsEvidence::OsAbi));
    // The segment cut off inside the descriptor.
    let mut cut = helctic_note(1);
    cut.truncate(cut.len() - 2);
    assert_eq!(os_of(&with_notes(cut).build()), (ElfOs::Linux, OsEvidence::Default));
    // Another type, or an owner that only starts with "Helctic", says nothing.
    assert_eq!(
        os_of(&with_notes(note(b"Helctic\0", 2, &1u32.to_le_bytes(), 4)).build()),
        (ElfOs::Linux, OsEvidence::Default)
    );
    assert_eq!(
        os_of(&with_notes(note(b"HelcticOS\0", 1, &1u32.to_le_bytes(), 4)).build()),
        (ElfOs::Linux, OsEvidence::Default)
    );
    // A name without its NUL (namesz 7) is still the owner "Helctic", as
    // readers compare up to the first NUL.
    assert_eq!(
        os_of(&with_notes(note(b"Helctic", 1, &1u32.to_le_bytes(), 4)).build()),
        (ElfOs::Helctic, OsEvidence::Note)
    );
}

#[test]
fn glibc_abi_tag_means_linux() {
    let image = static_executable().build();
    let binary = elf_identity(&image);
    assert_eq!(binary.machine, Machine::X86_64);
    assert_eq!(binary.kind, ElfType::Executable);
    assert_eq!((binary.os, binary.evidence), (ElfOs::Linux, OsEvidence::Note));
}

#[test]
fn bsd_notes_name_their_os() {
    assert_eq!(os_of(&with_notes(freebsd_tag()).build()), (ElfOs::FreeBsd, OsEvidence::Note));
    assert_eq!(os_of(&with_notes(netbsd_ident()).build()), (ElfOs::NetBsd, OsEvidence::Note));
    assert_eq!(os_of(&with_notes(openbsd_ident()).build()), (ElfOs::OpenBsd, OsEvidence::Note));
    let android = note(b"Android\0", 1, &30u32.to_le_bytes(), 4);
    assert_eq!(os_of(&with_notes(android).build()), (ElfOs::Linux, OsEvidence::Note));
}

#[test]
fn gnu_abi_tag_for_other_kernels() {
    assert_eq!(os_of(&with_notes(gnu_abi_tag(3)).build()), (ElfOs::FreeBsd, OsEvidence::Note), "GNU/kFreeBSD");
    assert_eq!(os_of(&with_notes(gnu_abi_tag(1)).build()), (ElfOs::Unknown, OsEvidence::Note), "GNU/Hurd");
    let dragonfly = note(b"DragonFly\0", 1, &600_000u32.to_le_bytes(), 4);
    assert_eq!(os_of(&with_notes(dragonfly).build()), (ElfOs::Unknown, OsEvidence::Note));
}

#[test]
fn go_style_freebsd_notes_with_os_abi() {
    // Go writes three FreeBSD notes (ABI tag, no-init, feature control) in
    // `.note.tag` and sets EI_OSABI to FreeBSD.
    let mut notes = freebsd_tag();
    notes.extend(note(b"FreeBSD\0", 2, &0u32.to_le_bytes(), 4));
    notes.extend(note(b"FreeBSD\0", 4, &0u32.to_le_bytes(), 4));
    let image = with_notes(notes).osabi(9).build();
    assert_eq!(os_of(&image), (ElfOs::FreeBsd, OsEvidence::Note));
    // Go's NetBSD note has a 7-byte name ("NetBSD\0"), padded to 8.
    let image = with_notes(netbsd_ident()).osabi(2).build();
    assert_eq!(os_of(&image), (ElfOs::NetBsd, OsEvidence::Note));
}

#[test]
fn notes_that_say_nothing_about_the_os_are_skipped() {
    let mut notes = note(b"GNU\0", 3, &[0x5a; 20], 4); // build ID
    notes.extend(note(b"Go\0\0", 4, b"go-build-id", 4));
    notes.extend(note(b"PaX\0", 3, &0x20u32.to_le_bytes(), 4));
    notes.extend(note(b"FreeBSD\0", 4, &0u32.to_le_bytes(), 4)); // feature control alone
    notes.extend(netbsd_ident());
    assert_eq!(os_of(&with_notes(notes).build()), (ElfOs::NetBsd, OsEvidence::Note));
}

#[test]
fn os_abi_decides_when_there_is_no_os_note() {
    for (os_abi, os) in
        [(3, ElfOs::Linux), (9, ElfOs::FreeBsd), (2, ElfOs::NetBsd), (12, ElfOs::OpenBsd), (6, ElfOs::Unknown)]
    {
        let image = with_notes(Vec::new()).osabi(os_abi).build();
        assert_eq!(os_of(&image), (os, OsEvidence::OsAbi), "EI_OSABI {os_abi}");
    }
}

#[test]
fn interpreter_decides_when_there_is_neither() {
    for (path, os) in [
        ("/lib/ld-musl-x86_64.so.1", ElfOs::Linux),
        ("/lib64/ld-linux-x86-64.so.2", ElfOs::Linux),
        ("/lib/ld-linux-aarch64.so.1", ElfOs::Linux),
        ("/nix/store/abc-glibc-2.39/lib/ld-linux-x86-64.so.2", ElfOs::Linux),
        ("/system/bin/linker64", ElfOs::Linux),
        ("/libexec/ld-elf.so.1", ElfOs::FreeBsd),
        ("/usr/libexec/ld.elf_so", ElfOs::NetBsd),
        ("/usr/libexec/ld.so", ElfOs::OpenBsd),
        ("/usr/libexec/ld-elf.so.2", ElfOs::Unknown),
    ] {
        assert_eq!(os_of(&dynamic_pie(path).build()), (os, OsEvidence::Interpreter), "{path}");
    }
    assert_eq!(os_of(&dynamic_pie("/opt/weird/ld.so").build()), (ElfOs::Linux, OsEvidence::Default));
}

#[test]
fn sysv_without_any_evidence_defaults_to_linux() {
    let image = ImageBuilder::new(ET_EXEC).segment(Segment::load(0x40_0000, PF_R | PF_X, vec![0xc3])).build();
    assert_eq!(os_of(&image), (ElfOs::Linux, OsEvidence::Default));
}

#[test]
fn precedence_is_note_then_os_abi_then_interpreter() {
    // A note beats a contradicting EI_OSABI.
    let image = with_notes(gnu_abi_tag(0)).osabi(9).build();
    assert_eq!(os_of(&image), (ElfOs::Linux, OsEvidence::Note));
    let image = with_notes(openbsd_ident()).osabi(3).build();
    assert_eq!(os_of(&image), (ElfOs::OpenBsd, OsEvidence::Note));
    // EI_OSABI beats a contradicting interpreter.
    let image = dynamic_pie("/lib64/ld-linux-x86-64.so.2").osabi(9).build();
    assert_eq!(os_of(&image), (ElfOs::FreeBsd, OsEvidence::OsAbi));
    // The first OS note in file order wins.
    let mut both = netbsd_ident();
    both.extend(freebsd_tag());
    assert_eq!(os_of(&with_notes(both).build()), (ElfOs::NetBsd, OsEvidence::Note));
}

#[test]
fn broken_notes_do_not_decide() {
    let mut broken = freebsd_tag();
    broken[4] = 0xff; // descsz past the end
    let image = with_notes(broken).osabi(12).build();
    assert_eq!(os_of(&image), (ElfOs::OpenBsd, OsEvidence::OsAbi));
    let mut short_tag = note(b"GNU\0", 1, &[0, 0], 4); // descriptor too short for a word
    short_tag.extend(openbsd_ident());
    assert_eq!(os_of(&with_notes(short_tag).build()), (ElfOs::OpenBsd, OsEvidence::Note));
}

#[test]
fn aarch64_is_reported() {
    let image = static_executable().machine(EM_AARCH64).build();
    assert_eq!(elf_identity(&image).machine, Machine::Aarch64);
}

#[test]
fn unusable_elf_headers_are_malformed() {
    let good = static_executable().build();
    let mut elf32 = good.clone();
    elf32[4] = 1;
    assert_eq!(identify(&elf32), Identity::Malformed(Malformed::Elf(elf::Error::NotElf64)));
    let mut big_endian = good.clone();
    big_endian[5] = 2;
    assert_eq!(identify(&big_endian), Identity::Malformed(Malformed::Elf(elf::Error::BigEndian)));
    assert_eq!(identify(&good[..40]), Identity::Malformed(Malformed::Elf(elf::Error::Truncated)));
    assert_eq!(identify(b"\x7fELF"), Identity::Malformed(Malformed::Elf(elf::Error::Truncated)));
    let mut phdrs_out = good.clone();
    phdrs_out[ehdr::PHNUM] = 0xf0;
    assert_eq!(identify(&phdrs_out), Identity::Malformed(Malformed::Elf(elf::Error::ProgramHeadersOutOfFile)));
}

fn host_binary(path: &str) -> Option<Vec<u8>> {
    std::fs::read(path).map_err(|error| eprintln!("skipping {path}: {error}")).ok()
}

#[test]
fn host_bin_true_is_linux() {
    let Some(bytes) = host_binary("/bin/true") else {
        return;
    };
    let binary = elf_identity(&bytes);
    assert_eq!(binary.os, ElfOs::Linux);
    assert!(matches!(binary.machine, Machine::X86_64 | Machine::Aarch64));
}

#[test]
fn host_busybox_is_linux() {
    let Some(bytes) = host_binary("/bin/busybox") else {
        return;
    };
    assert_eq!(elf_identity(&bytes).os, ElfOs::Linux);
}

/// A program with no C library at all, linked by the host toolchain: no OS
/// note, EI_OSABI 0, no interpreter. This is what the default rule is for.
#[test]
fn host_linked_bare_program_defaults_to_linux() {
    if !have("cc") {
        eprintln!("skipping: no C compiler");
        return;
    }
    let dir = scratch_dir("bare");
    let source = dir.join("start.c");
    std::fs::write(&source, "void _start(void) { for (;;) {} }\n").unwrap();
    let output = dir.join("bare");
    let mut command = Command::new("cc");
    command.args(["-nostdlib", "-static", "-O1", "-o"]).arg(&output).arg(&source);
    let Some(bytes) = build(&mut command, &output) else {
        return;
    };
    assert_eq!(os_of(&bytes), (ElfOs::Linux, OsEvidence::Default));
}

/// Go binaries for each OS, if a Go toolchain happens to be installed.
#[test]
fn go_binaries_if_go_is_installed() {
    if !have("go") {
        eprintln!("skipping: go not installed");
        return;
    }
    let dir = scratch_dir("go");
    std::fs::write(dir.join("main.go"), "package main\nfunc main() {}\n").unwrap();
    std::fs::write(dir.join("go.mod"), "module hello\ngo 1.20\n").unwrap();
    for (goos, os) in
        [("linux", ElfOs::Linux), ("freebsd", ElfOs::FreeBsd), ("netbsd", ElfOs::NetBsd), ("openbsd", ElfOs::OpenBsd)]
    {
        let output = dir.join(goos);
        let mut command = Command::new("go");
        command
            .current_dir(&dir)
            .env("CGO_ENABLED", "0")
            .env("GOOS", goos)
            .env("GOARCH", "amd64")
            .env("GOFLAGS", "-mod=mod")
            .args(["build", "-o"])
            .arg(&output);
        let Some(bytes) = build(&mut command, &output) else {
            continue;
        };
        assert_eq!(elf_identity(&bytes).os, os, "GOOS={goos}");
    }
}

#[test]
fn only_the_first_64_notes_are_examined() {
    let build_ids = |count: usize| -> Vec<u8> { (0..count).flat_map(|_| note(b"GNU\0", 3, &[0x5a; 20], 4)).collect() };
    let mut within = build_ids(63);
    within.extend(freebsd_tag());
    assert_eq!(os_of(&with_notes(within).build()), (ElfOs::FreeBsd, OsEvidence::Note));
    let mut beyond = build_ids(64);
    beyond.extend(freebsd_tag());
    assert_eq!(os_of(&with_notes(beyond).build()), (ElfOs::Linux, OsEvidence::Default));
}

/// Thousands of `PT_NOTE` headers over the same bytes: identification
/// still looks at a bounded number of notes and answers.
#[test]
fn many_note_segments_over_the_same_bytes() {
    let notes: Vec<u8> = (0..1000).flat_map(|_| note(b"GNU\0", 3, &[0x5a; 20], 4)).collect();
    let copies = 3000;
    let mut builder = with_notes(notes).osabi(9);
    let empty_note_header = Segment { section: None, ..Segment::notes(Vec::new(), 4) };
    builder.segments.splice(0..0, std::iter::repeat_n(empty_note_header, copies));
    let mut image = builder.build();
    // Point every copy at the real note segment's bytes.
    let offset = get_u64(&image, phdr_field(copies, phdr::OFFSET));
    let size = get_u64(&image, phdr_field(copies, phdr::FILESZ));
    for index in 0..copies {
        put_u64(&mut image, phdr_field(index, phdr::OFFSET), offset);
        put_u64(&mut image, phdr_field(index, phdr::FILESZ), size);
    }
    assert_eq!(os_of(&image), (ElfOs::FreeBsd, OsEvidence::OsAbi));
}
