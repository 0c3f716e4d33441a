//! Reads everything the `elf` API can read from an image, so robustness
//! tests exercise every accessor and can ask "did anything fail?".
#![allow(dead_code)]

use elf::{ElfFile, Error};

/// Walks the whole file; returns the first error any accessor reported.
pub fn walk(bytes: &[u8]) -> Result<(), Error> {
    let file = ElfFile::parse(bytes)?;
    for ph in file.program_headers() {
        let _ = ph.file_end();
        let _ = file.segment_data(&ph);
    }
    let mut first_error = None;
    let mut note = |result: Result<(), Error>| {
        if let Err(error) = result {
            first_error.get_or_insert(error);
        }
    };
    note(file.load_plan().map(drop));
    note(file.interpreter().map(drop));
    note(file.tls_template().map(drop));
    note(walk_dynamic(&file));
    let _ = file.stack_permission();
    for n in file.notes() {
        note(n.map(drop));
    }
    note(walk_sections(&file));
    first_error.map_or(Ok(()), Err)
}

fn walk_sections(file: &ElfFile<'_>) -> Result<(), Error> {
    let count = file.section_count()?;
    if count == 0 {
        return Ok(());
    }
    let names = file.section_names()?;
    for sh in file.section_headers()? {
        names.get(sh.name_offset)?;
        file.section_data(&sh)?;
        match sh.kind {
            elf::SectionType::SymTab | elf::SectionType::DynSym => {
                for symbol in file.symbols(&sh)? {
                    symbol?;
                }
            }
            elf::SectionType::GnuVerdef => {
                for definition in file.version_definitions(&sh)? {
                    definition?;
                }
            }
            elf::SectionType::GnuVersym => {
                let versions = file.symbol_versions(&sh)?;
                for index in 0..versions.len() {
                    assert!(versions.get(index).is_some());
                }
            }
            elf::SectionType::Note => {
                for n in file.section_notes(&sh)? {
                    n?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn walk_dynamic(file: &ElfFile<'_>) -> Result<(), Error> {
    if let Some(entries) = file.dynamic_entries()? {
        entries.for_each(drop);
    }
    Ok(())
}
