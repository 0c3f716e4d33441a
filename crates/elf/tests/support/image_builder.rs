//! A tiny ELF64 little-endian image writer for tests.
//!
//! It writes exactly what a test asks for and nothing it does not, so tests
//! can build both well-formed images and precisely broken ones. It knows
//! nothing of the `elf` crate, so the reader is checked against an
//! independent writer. The `binfmt` tests include this file by path.
#![allow(dead_code)]

pub const PT_LOAD: u32 = 1;
pub const PT_DYNAMIC: u32 = 2;
pub const PT_INTERP: u32 = 3;
pub const PT_NOTE: u32 = 4;
pub const PT_PHDR: u32 = 6;
pub const PT_TLS: u32 = 7;
pub const PT_GNU_STACK: u32 = 0x6474_e551;
pub const PT_GNU_RELRO: u32 = 0x6474_e552;
pub const PT_GNU_PROPERTY: u32 = 0x6474_e553;

pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;

pub const ET_REL: u16 = 1;
pub const ET_EXEC: u16 = 2;
pub const ET_DYN: u16 = 3;

pub const EM_X86_64: u16 = 62;
pub const EM_AARCH64: u16 = 183;

pub const STT_OBJECT: u8 = 1;
pub const STT_FUNC: u8 = 2;

pub const EHDR_SIZE: usize = 64;
pub const PHDR_SIZE: usize = 56;
pub const SHDR_SIZE: usize = 64;

/// Byte offset of field `field_offset` of program header `index`.
pub fn phdr_field(index: usize, field_offset: usize) -> usize {
    EHDR_SIZE + index * PHDR_SIZE + field_offset
}

/// Offsets of `Elf64_Phdr` fields.
pub mod phdr {
    pub const TYPE: usize = 0;
    pub const FLAGS: usize = 4;
    pub const OFFSET: usize = 8;
    pub const VADDR: usize = 16;
    pub const FILESZ: usize = 32;
    pub const MEMSZ: usize = 40;
    pub const ALIGN: usize = 48;
}

/// Offsets of `Elf64_Ehdr` fields.
pub mod ehdr {
    pub const OSABI: usize = 7;
    pub const TYPE: usize = 16;
    pub const MACHINE: usize = 18;
    pub const ENTRY: usize = 24;
    pub const PHOFF: usize = 32;
    pub const SHOFF: usize = 40;
    pub const PHENTSIZE: usize = 54;
    pub const PHNUM: usize = 56;
    pub const SHENTSIZE: usize = 58;
    pub const SHNUM: usize = 60;
    pub const SHSTRNDX: usize = 62;
}

pub fn put_u16(image: &mut [u8], at: usize, value: u16) {
    image[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

pub fn put_u32(image: &mut [u8], at: usize, value: u32) {
    image[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

pub fn put_u64(image: &mut [u8], at: usize, value: u64) {
    image[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

pub fn get_u64(image: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(image[at..at + 8].try_into().unwrap())
}

/// One note record: `name` must include its NUL, as toolchains write it.
pub fn note(name: &[u8], kind: u32, desc: &[u8], align: usize) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(name.len() as u32).to_le_bytes());
    out.extend_from_slice(&(desc.len() as u32).to_le_bytes());
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(name);
    pad(&mut out, align);
    out.extend_from_slice(desc);
    pad(&mut out, align);
    out
}

/// The GNU ABI tag note glibc's crt1.o carries: OS 0 = Linux, then the
/// minimum kernel version.
pub fn gnu_abi_tag(os: u32) -> Vec<u8> {
    let desc: Vec<u8> = [os, 3, 2, 0].iter().flat_map(|w| w.to_le_bytes()).collect();
    note(b"GNU\0", 1, &desc, 4)
}

fn pad(bytes: &mut Vec<u8>, align: usize) {
    let len = bytes.len().next_multiple_of(align.max(1));
    bytes.resize(len, 0);
}

/// One program header and the file bytes it covers.
#[derive(Clone, Debug)]
pub struct Segment {
    pub kind: u32,
    pub flags: u32,
    pub vaddr: u64,
    /// `None`: same as the file size.
    pub memsz: Option<u64>,
    pub align: u64,
    pub data: Vec<u8>,
    /// Placed at offset 0 so that it covers the file and program headers and
    /// the data of every segment placed before it, as the first `PT_LOAD` of
    /// a real executable does.
    pub covers_headers: bool,
    /// Also describe these bytes with a section header of this type.
    pub section: Option<(&'static str, u32)>,
}

impl Segment {
    pub fn new(kind: u32, flags: u32, vaddr: u64, data: Vec<u8>) -> Segment {
        Segment { kind, flags, vaddr, memsz: None, align: 1, data, covers_headers: false, section: None }
    }

    pub fn load(vaddr: u64, flags: u32, data: Vec<u8>) -> Segment {
        Segment { align: 0x1000, ..Segment::new(PT_LOAD, flags, vaddr, data) }
    }

    /// A read-only `PT_LOAD` at `vaddr` covering the headers.
    pub fn headers(vaddr: u64) -> Segment {
        Segment { covers_headers: true, ..Segment::load(vaddr, PF_R, Vec::new()) }
    }

    pub fn interp(path: &str) -> Segment {
        let mut data = path.as_bytes().to_vec();
        data.push(0);
        Segment::new(PT_INTERP, PF_R, 0, data).in_section(".interp", 1)
    }

    pub fn notes(data: Vec<u8>, align: u64) -> Segment {
        Segment { align, ..Segment::new(PT_NOTE, PF_R, 0, data) }.in_section(".note", 7)
    }

    pub fn gnu_stack(flags: u32) -> Segment {
        Segment { align: 16, ..Segment::new(PT_GNU_STACK, flags, 0, Vec::new()) }
    }

    pub fn with_memsz(mut self, memsz: u64) -> Segment {
        self.memsz = Some(memsz);
        self
    }

    pub fn with_align(mut self, align: u64) -> Segment {
        self.align = align;
        self
    }

    pub fn in_section(mut self, name: &'static str, kind: u32) -> Segment {
        self.section = Some((name, kind));
        self
    }
}

/// A symbol for `.symtab`.
#[derive(Clone, Debug)]
pub struct Sym {
    pub name: &'static str,
    pub value: u64,
    pub size: u64,
    pub kind: u8,
    pub defined: bool,
}

impl Sym {
    pub fn func(name: &'static str, value: u64, size: u64) -> Sym {
        Sym { name, value, size, kind: STT_FUNC, defined: true }
    }
}

#[derive(Clone, Debug)]
pub struct ImageBuilder {
    pub e_type: u16,
    pub machine: u16,
    pub osabi: u8,
    pub entry: u64,
    pub segments: Vec<Segment>,
    pub symbols: Vec<Sym>,
    /// Write no section header table at all (`e_shoff = 0`), like `sstrip`.
    pub no_sections: bool,
}

impl ImageBuilder {
    pub fn new(e_type: u16) -> ImageBuilder {
        ImageBuilder {
            e_type,
            machine: EM_X86_64,
            osabi: 0,
            entry: 0,
            segments: Vec::new(),
            symbols: Vec::new(),
            no_sections: false,
        }
    }

    pub fn segment(mut self, segment: Segment) -> ImageBuilder {
        self.segments.push(segment);
        self
    }

    pub fn entry(mut self, entry: u64) -> ImageBuilder {
        self.entry = entry;
        self
    }

    pub fn osabi(mut self, osabi: u8) -> ImageBuilder {
        self.osabi = osabi;
        self
    }

    pub fn machine(mut self, machine: u16) -> ImageBuilder {
        self.machine = machine;
        self
    }

    pub fn symbol(mut self, symbol: Sym) -> ImageBuilder {
        self.symbols.push(symbol);
        self
    }

    pub fn without_sections(mut self) -> ImageBuilder {
        self.no_sections = true;
        self
    }

    pub fn build(&self) -> Vec<u8> {
        let headers_end = EHDR_SIZE + self.segments.len() * PHDR_SIZE;
        let mut image = vec![0u8; headers_end];
        // (offset, filesz) of each segment.
        let mut placed = Vec::new();
        for segment in &self.segments {
            if segment.kind == PT_PHDR && segment.data.is_empty() {
                placed.push((EHDR_SIZE, headers_end - EHDR_SIZE));
                continue;
            }
            let offset = if segment.covers_headers {
                0
            } else {
                let modulus = segment.align.max(1) as usize;
                let cursor = image.len();
                let wanted = segment.vaddr as usize % modulus;
                cursor + (wanted + modulus - cursor % modulus) % modulus
            };
            image.resize(image.len().max(offset), 0);
            image.extend_from_slice(&segment.data);
            // A header-covering segment spans everything written so far.
            placed.push((offset, image.len() - offset));
        }

        let mut sections: Vec<[u8; SHDR_SIZE]> = Vec::new();
        let mut shstrtab = vec![0u8];
        let mut shoff = 0;
        let mut shstrndx = 0;
        if !self.no_sections {
            sections.push([0; SHDR_SIZE]);
            for (segment, &(offset, filesz)) in self.segments.iter().zip(&placed) {
                if let Some((name, kind)) = segment.section {
                    let name = add_string(&mut shstrtab, name);
                    let size = segment.data.len();
                    let data_at = offset + filesz - size;
                    sections.push(shdr(name, kind, 2, segment.vaddr, data_at, size, 0, 0, segment.align, 0));
                }
            }
            if !self.symbols.is_empty() {
                let mut strtab = vec![0u8];
                let mut symtab = vec![0u8; 24];
                for symbol in &self.symbols {
                    let name = add_string(&mut strtab, symbol.name);
                    symtab.extend_from_slice(&name.to_le_bytes());
                    symtab.push((1 << 4) | symbol.kind);
                    symtab.push(0);
                    symtab.extend_from_slice(&(symbol.defined as u16).to_le_bytes());
                    symtab.extend_from_slice(&symbol.value.to_le_bytes());
                    symtab.extend_from_slice(&symbol.size.to_le_bytes());
                }
                pad(&mut image, 8);
                let symtab_at = image.len();
                image.extend_from_slice(&symtab);
                let strtab_at = image.len();
                image.extend_from_slice(&strtab);
                let strtab_index = sections.len() as u32 + 1;
                let name = add_string(&mut shstrtab, ".symtab");
                sections.push(shdr(name, 2, 0, 0, symtab_at, symtab.len(), strtab_index, 1, 8, 24));
                let name = add_string(&mut shstrtab, ".strtab");
                sections.push(shdr(name, 3, 0, 0, strtab_at, strtab.len(), 0, 0, 1, 0));
            }
            let name = add_string(&mut shstrtab, ".shstrtab");
            let shstrtab_at = image.len();
            image.extend_from_slice(&shstrtab);
            shstrndx = sections.len();
            sections.push(shdr(name, 3, 0, 0, shstrtab_at, shstrtab.len(), 0, 0, 1, 0));
            pad(&mut image, 8);
            shoff = image.len();
            for section in &sections {
                image.extend_from_slice(section);
            }
        }

        image[..4].copy_from_slice(b"\x7fELF");
        image[4] = 2; // ELFCLASS64
        image[5] = 1; // ELFDATA2LSB
        image[6] = 1; // EV_CURRENT
        image[ehdr::OSABI] = self.osabi;
        put_u16(&mut image, ehdr::TYPE, self.e_type);
        put_u16(&mut image, ehdr::MACHINE, self.machine);
        put_u32(&mut image, 20, 1);
        put_u64(&mut image, ehdr::ENTRY, self.entry);
        put_u64(&mut image, ehdr::PHOFF, if self.segments.is_empty() { 0 } else { EHDR_SIZE as u64 });
        put_u64(&mut image, ehdr::SHOFF, shoff as u64);
        put_u16(&mut image, 52, EHDR_SIZE as u16);
        put_u16(&mut image, ehdr::PHENTSIZE, PHDR_SIZE as u16);
        put_u16(&mut image, ehdr::PHNUM, self.segments.len() as u16);
        put_u16(&mut image, ehdr::SHENTSIZE, SHDR_SIZE as u16);
        put_u16(&mut image, ehdr::SHNUM, sections.len() as u16);
        put_u16(&mut image, ehdr::SHSTRNDX, shstrndx as u16);

        for (index, (segment, &(offset, filesz))) in self.segments.iter().zip(&placed).enumerate() {
            let at = phdr_field(index, 0);
            put_u32(&mut image, at + phdr::TYPE, segment.kind);
            put_u32(&mut image, at + phdr::FLAGS, segment.flags);
            put_u64(&mut image, at + phdr::OFFSET, offset as u64);
            put_u64(&mut image, at + phdr::VADDR, segment.vaddr);
            put_u64(&mut image, at + 24, segment.vaddr);
            put_u64(&mut image, at + phdr::FILESZ, filesz as u64);
            put_u64(&mut image, at + phdr::MEMSZ, segment.memsz.unwrap_or(filesz as u64));
            put_u64(&mut image, at + phdr::ALIGN, segment.align);
        }
        image
    }
}

fn add_string(table: &mut Vec<u8>, name: &str) -> u32 {
    let at = table.len() as u32;
    table.extend_from_slice(name.as_bytes());
    table.push(0);
    at
}

#[allow(clippy::too_many_arguments)]
fn shdr(
    name: u32,
    kind: u32,
    flags: u64,
    addr: u64,
    offset: usize,
    size: usize,
    link: u32,
    info: u32,
    align: u64,
    entsize: u64,
) -> [u8; SHDR_SIZE] {
    let mut out = [0u8; SHDR_SIZE];
    put_u32(&mut out, 0, name);
    put_u32(&mut out, 4, kind);
    put_u64(&mut out, 8, flags);
    put_u64(&mut out, 16, addr);
    put_u64(&mut out, 24, offset as u64);
    put_u64(&mut out, 32, size as u64);
    put_u32(&mut out, 40, link);
    put_u32(&mut out, 44, info);
    put_u64(&mut out, 48, align);
    put_u64(&mut out, 56, entsize);
    out
}

/// A static, non-PIE executable laid out the way GNU ld does: headers in a
/// read-only `PT_LOAD`, then text, then data with `.bss`, plus TLS, a
/// non-executable stack, a GNU ABI tag note and two function symbols.
pub fn static_executable() -> ImageBuilder {
    ImageBuilder::new(ET_EXEC)
        .entry(0x40_1000)
        .segment(Segment::notes(gnu_abi_tag(0), 4))
        .segment(Segment::headers(0x40_0000))
        .segment(Segment::load(0x40_1000, PF_R | PF_X, vec![0xc3; 64]).in_section(".text", 1))
        .segment(Segment::new(PT_TLS, PF_R, 0x40_2000, vec![7; 8]).with_memsz(24).with_align(8))
        .segment(Segment::gnu_stack(PF_R | PF_W))
        .segment(Segment::load(0x40_2000, PF_R | PF_W, vec![7; 40]).with_memsz(0x2000))
        .symbol(Sym::func("_start", 0x40_1000, 16))
        .symbol(Sym::func("main", 0x40_1010, 48))
        .symbol(Sym { name: "counter", value: 0x40_2010, size: 8, kind: STT_OBJECT, defined: true })
        .symbol(Sym { name: "imported", value: 0, size: 0, kind: STT_FUNC, defined: false })
}

/// A dynamically linked PIE: `PT_PHDR`, `PT_INTERP`, then code.
pub fn dynamic_pie(interpreter: &str) -> ImageBuilder {
    ImageBuilder::new(ET_DYN)
        .entry(0x1000)
        .segment(Segment::new(PT_PHDR, PF_R, 0x40, Vec::new()).with_align(8))
        .segment(Segment::interp(interpreter))
        .segment(Segment::headers(0))
        .segment(Segment::load(0x1000, PF_R | PF_X, vec![0x90; 32]))
        .segment(Segment::gnu_stack(PF_R | PF_W))
}
