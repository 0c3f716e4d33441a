//! The reader against hand-built images: what it reports for well-formed
//! files, and which precise error each kind of breakage gives.

#[path = "support/image_builder.rs"]
mod image_builder;
#[path = "support/walk.rs"]
mod walk;

use elf::{ElfFile, ElfType, Error, LoadPlan, Machine, OsAbi, SegmentType, StackPermission};
use image_builder::*;

fn load_plan(image: &[u8]) -> Result<LoadPlan, Error> {
    ElfFile::parse(image)?.load_plan()
}

#[test]
fn static_executable_is_read_completely() {
    let image = static_executable().osabi(3).build();
    assert_eq!(walk::walk(&image), Ok(()));
    let file = ElfFile::parse(&image).unwrap();
    let header = file.header();
    assert_eq!(header.kind, ElfType::Executable);
    assert_eq!(header.machine, Machine::X86_64);
    assert_eq!(header.os_abi, OsAbi::GNU);
    assert_eq!(header.entry, 0x40_1000);
    assert_eq!(file.program_header_count(), 6);
    let kinds: Vec<_> = file.program_headers().map(|ph| ph.kind).collect();
    assert_eq!(
        kinds,
        [
            SegmentType::Note,
            SegmentType::Load,
            SegmentType::Load,
            SegmentType::Tls,
            SegmentType::GnuStack,
            SegmentType::Load
        ]
    );

    let plan = file.load_plan().unwrap();
    assert_eq!(plan.kind, ElfType::Executable);
    assert_eq!(plan.load_segments, 3);
    assert_eq!(plan.lowest_vaddr, 0x40_0000);
    assert_eq!(plan.highest_vaddr_end, 0x40_4000);
    assert_eq!(plan.span(), 0x4000);
    assert_eq!(plan.max_align, 0x1000);
    assert_eq!(plan.entry, 0x40_1000);
    assert_eq!(plan.phdr_vaddr, Some(0x40_0040), "found through the header-covering PT_LOAD");
    assert!(!plan.has_interpreter && !plan.is_position_independent() && !plan.is_static_pie());
    assert_eq!(plan.bias_for_base(0x40_0000), Some(0));

    let loads: Vec<_> = file.load_segments().collect();
    assert!(loads[1].flags.executable() && !loads[1].flags.writable());
    assert_eq!(loads[2].memsz, 0x2000);
    assert_eq!(file.segment_data(&loads[2]).unwrap(), &[7u8; 40][..]);

    assert_eq!(file.interpreter(), Ok(None));
    assert_eq!(file.stack_permission(), StackPermission::NonExecutable);
    let tls = file.tls_template().unwrap().unwrap();
    assert_eq!((tls.image, tls.vaddr, tls.memsz, tls.align), (&[7u8; 8][..], 0x40_2000, 24, 8));
}

#[test]
fn dynamic_pie_reports_interpreter_and_phdr() {
    let image = dynamic_pie("/lib64/ld-linux-x86-64.so.2").build();
    assert_eq!(walk::walk(&image), Ok(()));
    let file = ElfFile::parse(&image).unwrap();
    assert_eq!(file.interpreter(), Ok(Some(&b"/lib64/ld-linux-x86-64.so.2"[..])));
    let plan = file.load_plan().unwrap();
    assert!(plan.is_position_independent() && plan.has_interpreter && !plan.is_static_pie());
    assert_eq!(plan.phdr_vaddr, Some(0x40), "taken from PT_PHDR");
    assert_eq!(plan.lowest_vaddr, 0);
    assert_eq!(plan.highest_vaddr_end, 0x1020);
}

#[test]
fn static_pie_can_be_placed_at_an_aligned_base() {
    let image = ImageBuilder::new(ET_DYN)
        .entry(0x1000)
        .segment(Segment::headers(0))
        .segment(Segment::load(0x1000, PF_R | PF_X, vec![0x90; 16]))
        .segment(Segment::load(0x2000, PF_R | PF_W, vec![1; 8]).with_memsz(0x1800))
        .build();
    let plan = load_plan(&image).unwrap();
    assert!(plan.is_static_pie());
    assert_eq!((plan.lowest_vaddr, plan.highest_vaddr_end), (0, 0x3800));
    assert_eq!(plan.bias_for_base(0x5555_5555_4000), Some(0x5555_5555_4000));
    assert_eq!(plan.bias_for_base(0x5555_5555_4800), None);
}

#[test]
fn missing_gnu_stack_is_unspecified_and_px_is_executable() {
    let base = || ImageBuilder::new(ET_EXEC).segment(Segment::load(0x40_0000, PF_R | PF_X, vec![0; 8]));
    let image = base().build();
    assert_eq!(ElfFile::parse(&image).unwrap().stack_permission(), StackPermission::Unspecified);
    let image = base().segment(Segment::gnu_stack(PF_R | PF_W | PF_X)).build();
    assert_eq!(ElfFile::parse(&image).unwrap().stack_permission(), StackPermission::Executable);
}

#[test]
fn aarch64_machine_is_named() {
    let image = static_executable().machine(EM_AARCH64).build();
    assert_eq!(ElfFile::parse(&image).unwrap().header().machine, Machine::Aarch64);
    let image = static_executable().machine(3).build();
    assert_eq!(ElfFile::parse(&image).unwrap().header().machine, Machine::Other(3));
}

#[test]
fn relocatable_and_core_files_parse_but_cannot_be_loaded() {
    let image = ImageBuilder::new(ET_REL).symbol(Sym::func("f", 0, 4)).build();
    let file = ElfFile::parse(&image).unwrap();
    assert_eq!(file.header().kind, ElfType::Relocatable);
    assert_eq!(file.program_header_count(), 0);
    assert_eq!(file.load_plan(), Err(Error::UnsupportedType(1)));
    assert_eq!(file.function_symbols().unwrap().count(), 1);
    let image = ImageBuilder::new(4).build();
    assert_eq!(load_plan(&image), Err(Error::UnsupportedType(4)));
}

#[test]
fn executable_without_load_segments_is_refused() {
    let image = ImageBuilder::new(ET_EXEC).segment(Segment::gnu_stack(PF_R | PF_W)).build();
    assert_eq!(load_plan(&image), Err(Error::NoLoadSegments));
}

/// The static executable with `patch` applied (its text segment is program
/// header 2, its data segment 5).
fn patched(patch: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut image = static_executable().build();
    patch(&mut image);
    image
}

#[test]
fn load_segment_errors_are_precise() {
    let text = 2;
    let data = 5;
    let cases: Vec<(&str, Vec<u8>, Error)> = vec![
        ("filesz > memsz", patched(|i| put_u64(i, phdr_field(data, phdr::MEMSZ), 39)), Error::FileszExceedsMemsz),
        (
            "bytes past end of file",
            patched(|i| {
                let len = i.len() as u64;
                put_u64(i, phdr_field(data, phdr::FILESZ), len);
                put_u64(i, phdr_field(data, phdr::MEMSZ), len);
            }),
            Error::SegmentOutOfFile,
        ),
        (
            "offset + filesz overflows",
            patched(|i| put_u64(i, phdr_field(data, phdr::OFFSET), u64::MAX - 4)),
            Error::Overflow,
        ),
        (
            "vaddr + memsz overflows",
            patched(|i| put_u64(i, phdr_field(data, phdr::MEMSZ), u64::MAX - 0x1000)),
            Error::Overflow,
        ),
        (
            "vaddr and offset disagree modulo align",
            patched(|i| put_u64(i, phdr_field(text, phdr::VADDR), 0x40_1010)),
            Error::Misaligned,
        ),
        (
            "align not a power of two",
            patched(|i| put_u64(i, phdr_field(text, phdr::ALIGN), 0x1800)),
            Error::BadAlignment,
        ),
        ("text runs into data", patched(|i| put_u64(i, phdr_field(text, phdr::MEMSZ), 0x1001)), Error::Overlap),
        ("data before text", patched(|i| put_u64(i, phdr_field(data, phdr::VADDR), 0x3f_0000)), Error::Unsorted),
    ];
    for (what, image, expected) in cases {
        assert_eq!(load_plan(&image), Err(expected), "{what}");
    }
}

#[test]
fn touching_segments_do_not_overlap_and_align_zero_or_one_is_unconstrained() {
    let image = ImageBuilder::new(ET_EXEC)
        .segment(Segment::load(0x40_0000, PF_R | PF_X, vec![0; 0x10]).with_align(1).with_memsz(0x1000))
        .segment(Segment::load(0x40_1000, PF_R, vec![1; 0x10]).with_align(0))
        .segment(Segment::load(0x40_1010, PF_R, Vec::new()).with_align(0))
        .build();
    let plan = load_plan(&image).unwrap();
    assert_eq!(plan.load_segments, 3);
    assert_eq!(plan.max_align, 1);
    assert_eq!(plan.phdr_vaddr, None, "no loaded segment covers the table");
}

#[test]
fn program_header_table_checks() {
    let image = patched(|i| put_u16(i, ehdr::PHENTSIZE, 32));
    assert_eq!(ElfFile::parse(&image).err(), Some(Error::BadPhdrSize));
    let image = patched(|i| put_u16(i, ehdr::PHNUM, 2000));
    assert_eq!(ElfFile::parse(&image).err(), Some(Error::ProgramHeadersOutOfFile));
    let image = patched(|i| put_u64(i, ehdr::PHOFF, u64::MAX - 8));
    assert_eq!(ElfFile::parse(&image).err(), Some(Error::ProgramHeadersOutOfFile));
    // With no program headers, their entry size does not matter.
    let mut image = ImageBuilder::new(ET_REL).build();
    put_u16(&mut image, ehdr::PHENTSIZE, 0);
    assert!(ElfFile::parse(&image).is_ok());
}

#[test]
fn pn_xnum_takes_the_count_from_section_zero() {
    let mut image = static_executable().build();
    let shoff = get_u64(&image, ehdr::SHOFF) as usize;
    put_u16(&mut image, ehdr::PHNUM, 0xffff);
    put_u32(&mut image, shoff + 44, 6); // section 0's sh_info
    let file = ElfFile::parse(&image).unwrap();
    assert_eq!(file.program_header_count(), 6);
    assert_eq!(file.load_plan().unwrap().load_segments, 3);

    put_u32(&mut image, shoff + 44, 0);
    assert_eq!(ElfFile::parse(&image).unwrap().program_header_count(), 0);

    let mut image = static_executable().without_sections().build();
    put_u16(&mut image, ehdr::PHNUM, 0xffff);
    assert_eq!(ElfFile::parse(&image).err(), Some(Error::MissingExtendedCount));
}

#[test]
fn escaped_section_count_and_name_index_are_resolved() {
    let mut image = static_executable().build();
    let shoff = get_u64(&image, ehdr::SHOFF) as usize;
    let shnum = u16::from_le_bytes([image[ehdr::SHNUM], image[ehdr::SHNUM + 1]]);
    let shstrndx = u16::from_le_bytes([image[ehdr::SHSTRNDX], image[ehdr::SHSTRNDX + 1]]);
    put_u16(&mut image, ehdr::SHNUM, 0);
    put_u64(&mut image, shoff + 32, u64::from(shnum)); // sh_size
    put_u16(&mut image, ehdr::SHSTRNDX, 0xffff);
    put_u32(&mut image, shoff + 40, u32::from(shstrndx)); // sh_link
    let file = ElfFile::parse(&image).unwrap();
    assert_eq!(file.section_count(), Ok(usize::from(shnum)));
    assert!(file.section_by_name(b".symtab").unwrap().is_some());
    assert_eq!(walk::walk(&image), Ok(()));
}

#[test]
fn interpreter_errors() {
    let with = |data: Vec<u8>| {
        ImageBuilder::new(ET_DYN)
            .segment(Segment::new(PT_INTERP, PF_R, 0, data))
            .segment(Segment::load(0, PF_R, vec![0; 8]))
            .build()
    };
    fn interpreter(image: &[u8]) -> Result<Option<&[u8]>, Error> {
        ElfFile::parse(image).unwrap().interpreter()
    }
    assert_eq!(interpreter(&with(b"/lib/ld.so".to_vec())), Err(Error::InterpreterNotTerminated));
    // Linux's order: the size first (2 to PATH_MAX bytes), then the NUL.
    assert_eq!(interpreter(&with(Vec::new())), Err(Error::InterpreterTooShort));
    assert_eq!(interpreter(&with(b"\0".to_vec())), Err(Error::InterpreterTooShort));
    assert_eq!(interpreter(&with(b"a".to_vec())), Err(Error::InterpreterTooShort));
    assert_eq!(interpreter(&with(b"\0\0".to_vec())), Err(Error::InterpreterEmpty));
    assert_eq!(interpreter(&with(b"a\0".to_vec())), Ok(Some(&b"a"[..])));
    let mut at_limit = vec![b'a'; 4095];
    at_limit.push(0);
    assert_eq!(interpreter(&with(at_limit)).map(|p| p.map(<[u8]>::len)), Ok(Some(4095)));
    let mut past_limit = vec![b'a'; 4096];
    past_limit.push(0);
    assert_eq!(interpreter(&with(past_limit)), Err(Error::InterpreterTooLong));
    assert_eq!(interpreter(&with(vec![b'a'; 5000])), Err(Error::InterpreterTooLong));
    assert_eq!(interpreter(&with(b"/a\0junk\0".to_vec())), Ok(Some(&b"/a"[..])), "C string semantics");

    let mut image = with(b"/lib/ld.so\0".to_vec());
    put_u64(&mut image, phdr_field(0, phdr::FILESZ), 4095);
    let near_end = image.len() as u64 - 100;
    put_u64(&mut image, phdr_field(0, phdr::OFFSET), near_end);
    assert_eq!(interpreter(&image), Err(Error::SegmentOutOfFile));
}

#[test]
fn tls_errors() {
    let mut image = static_executable().build();
    put_u64(&mut image, phdr_field(3, phdr::MEMSZ), 4);
    assert_eq!(ElfFile::parse(&image).unwrap().tls_template(), Err(Error::FileszExceedsMemsz));
    let mut image = static_executable().build();
    put_u64(&mut image, phdr_field(3, phdr::ALIGN), 12);
    assert_eq!(ElfFile::parse(&image).unwrap().tls_template(), Err(Error::BadAlignment));
}

#[test]
fn notes_from_segments_and_sections() {
    let property = note(b"GNU\0", 5, &[2, 0, 0, 0xc0, 4, 0, 0, 0, 3, 0, 0, 0], 8);
    let mut tags = gnu_abi_tag(0);
    tags.extend(note(b"GNU\0", 3, &[0xab; 20], 4));
    let image = ImageBuilder::new(ET_EXEC)
        .segment(Segment::notes(property, 8))
        .segment(Segment::notes(tags, 4))
        .segment(Segment::headers(0x40_0000))
        .build();
    assert_eq!(walk::walk(&image), Ok(()));
    let file = ElfFile::parse(&image).unwrap();
    let notes: Vec<_> = file.notes().map(Result::unwrap).collect();
    assert_eq!(notes.len(), 3);
    assert!(notes[0].is(b"GNU", 5));
    assert_eq!(notes[0].desc.len(), 12);
    assert!(notes[1].is(b"GNU", 1));
    assert_eq!(notes[1].desc_word(0), Some(0));
    assert_eq!(notes[1].desc_word(1), Some(3));
    assert!(notes[2].is(b"GNU", 3));
    assert_eq!(notes[2].desc, &[0xab; 20][..]);

    let sections: Vec<_> = file.section_headers().unwrap().filter(|sh| sh.kind == elf::SectionType::Note).collect();
    assert_eq!(sections.len(), 2);
    let from_section: Vec<_> = file.section_notes(&sections[1]).unwrap().map(Result::unwrap).collect();
    assert_eq!(from_section, notes[1..]);
}

#[test]
fn bad_note_segments_are_reported_without_hiding_others() {
    let mut broken = gnu_abi_tag(0);
    broken[4] = 200; // descsz far past the end
    let image = ImageBuilder::new(ET_EXEC)
        .segment(Segment::notes(broken, 4))
        .segment(Segment::notes(gnu_abi_tag(0), 16))
        .segment(Segment::notes(gnu_abi_tag(0), 4))
        .segment(Segment::headers(0x40_0000))
        .build();
    let results: Vec<_> = ElfFile::parse(&image).unwrap().notes().collect();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0], Err(Error::BadNote));
    assert_eq!(results[1], Err(Error::BadNoteAlignment));
    assert!(results[2].unwrap().is(b"GNU", 1));
}

#[test]
fn function_symbols_are_defined_functions_only() {
    let image = static_executable().build();
    let file = ElfFile::parse(&image).unwrap();
    let functions: Vec<_> = file
        .function_symbols()
        .unwrap()
        .map(|s| s.map(|s| (s.name, s.value, s.size)))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(functions, [(&b"_start"[..], 0x40_1000, 16), (&b"main"[..], 0x40_1010, 48)]);
    let all: Vec<_> = file.symbol_table().unwrap().map(Result::unwrap).collect();
    assert_eq!(all.len(), 5, "null symbol + 4");
    assert_eq!(all[0].name, b"");
    assert_eq!(all[3].kind, elf::SymbolType::Object);
    assert_eq!(all[3].binding, elf::SymbolBinding::Global);
    assert!(!all[4].is_defined());
    let symtab = file.section_by_name(b".symtab").unwrap().unwrap();
    assert_eq!(file.section_name(&symtab), Ok(&b".symtab"[..]));
    assert_eq!(file.section_by_name(b".nope"), Ok(None));
}

#[test]
fn symbol_table_errors() {
    let stripped = static_executable().without_sections().build();
    let file = ElfFile::parse(&stripped).unwrap();
    assert_eq!(file.section_count(), Ok(0));
    assert_eq!(file.function_symbols().err(), Some(Error::NoSymbolTable));
    assert!(file.load_plan().is_ok(), "loading never needs sections");

    let mut image = static_executable().build();
    let file = ElfFile::parse(&image).unwrap();
    let symtab = file.section_by_name(b".symtab").unwrap().unwrap();
    let at = get_u64(&image, ehdr::SHOFF) as usize + symtab.index * SHDR_SIZE;

    put_u64(&mut image, at + 56, 16); // sh_entsize
    assert_eq!(ElfFile::parse(&image).unwrap().function_symbols().err(), Some(Error::BadSymbolSize));
    put_u64(&mut image, at + 56, 24);

    put_u32(&mut image, at + 40, 1); // sh_link to a non-string table
    assert_eq!(ElfFile::parse(&image).unwrap().function_symbols().err(), Some(Error::NotAStringTable));
    put_u32(&mut image, at + 40, 99);
    assert_eq!(ElfFile::parse(&image).unwrap().function_symbols().err(), Some(Error::SectionIndexOutOfRange));
    put_u32(&mut image, at + 40, symtab.link);

    // A name offset past the string table spoils that symbol only.
    let symbols_at = symtab.offset as usize;
    put_u32(&mut image, symbols_at + 24, 0xffff);
    let file = ElfFile::parse(&image).unwrap();
    let results: Vec<_> = file.function_symbols().unwrap().collect();
    assert_eq!(results[0], Err(Error::StringOutOfBounds));
    assert_eq!(results[1].unwrap().name, b"main");
}

#[test]
fn section_table_errors() {
    let mut image = static_executable().build();
    put_u16(&mut image, ehdr::SHENTSIZE, 40);
    let file = ElfFile::parse(&image).unwrap();
    assert_eq!(file.section_headers().err(), Some(Error::BadShdrSize));
    assert!(file.load_plan().is_ok());

    let mut image = static_executable().build();
    put_u16(&mut image, ehdr::SHNUM, 500);
    assert_eq!(ElfFile::parse(&image).unwrap().section_headers().err(), Some(Error::SectionHeadersOutOfFile));

    let mut image = static_executable().build();
    put_u16(&mut image, ehdr::SHSTRNDX, 1);
    assert_eq!(ElfFile::parse(&image).unwrap().section_names(), Err(Error::NotAStringTable));
}
