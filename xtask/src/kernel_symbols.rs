//! Copies the kernel's function symbols into its reserved `.ksyms` section,
//! so backtraces printed by the running kernel carry names.

use elf::{ElfFile, SymbolType};

/// Patches `image` in place; returns how many symbols went in.
pub fn patch(image: &mut [u8]) -> Result<usize, String> {
    let (blob, offset, room) = {
        let file = ElfFile::parse(image).map_err(|e| format!("kernel ELF: {e:?}"))?;
        let ksyms = file
            .section_by_name(b".ksyms")
            .map_err(|e| format!("kernel ELF sections: {e:?}"))?
            .ok_or("kernel ELF has no .ksyms section (linker script out of date?)")?;
        // Executable sections: .text and the low .boot entry code.
        const SHF_EXECINSTR: u64 = 0x4;
        let code: Vec<_> = file
            .section_headers()
            .map_err(|e| format!("kernel ELF sections: {e:?}"))?
            .filter(|sh| sh.flags & SHF_EXECINSTR != 0)
            .map(|sh| sh.addr..sh.addr + sh.size)
            .collect();
        let mut symbols = Vec::new();
        for sym in file.symbol_table().map_err(|e| format!("kernel symbol table: {e:?}"))?.flatten() {
            // Functions, plus the named labels of the assembly entry code.
            let wanted = sym.is_defined_function()
                || (sym.kind == SymbolType::NoType
                    && !sym.name.is_empty()
                    && code.iter().any(|r| r.contains(&sym.value)));
            if !wanted {
                continue;
            }
            let raw = String::from_utf8_lossy(sym.name);
            let name = format!("{:#}", rustc_demangle::demangle(&raw));
            symbols.push(ksyms::Symbol { addr: sym.value, size: u32::try_from(sym.size).unwrap_or(u32::MAX), name });
        }
        let blob = ksyms::build(symbols);
        (blob, ksyms.offset as usize, ksyms.size as usize)
    };
    if blob.len() > room {
        return Err(format!(
            "kernel symbol table needs {} bytes but .ksyms reserves {room}; grow it in linker.ld",
            blob.len()
        ));
    }
    let end =
        offset.checked_add(blob.len()).filter(|&e| e <= image.len()).ok_or(".ksyms section lies outside the file")?;
    image[offset..end].copy_from_slice(&blob);
    let table = ksyms::Table::parse(&image[offset..offset + room])
        .map_err(|e| format!("patched .ksyms does not parse: {e:?}"))?;
    Ok(table.len())
}
