//! The personality table: each entry's number is its place (processes keep
//! the number), and no ELF brand is claimed twice.

use super::TestResult;
use crate::check;
use crate::personality;
use binfmt::ElfOs;

pub fn table_numbers_and_brands() -> TestResult {
    for (i, r) in personality::all().iter().enumerate() {
        check!(usize::from(r.number) == i, "{} is number {} at place {i}", r.personality.name(), r.number);
        check!(core::ptr::eq(personality::by_number(r.number), r), "by_number({}) is another entry", r.number);
    }
    for os in [ElfOs::Helctic, ElfOs::Linux, ElfOs::FreeBsd, ElfOs::NetBsd, ElfOs::OpenBsd, ElfOs::Unknown] {
        let claims = personality::all().iter().filter(|r| r.elf.contains(&os)).count();
        check!(claims <= 1, "{os:?} is claimed by {claims} personalities");
    }
    let linux = personality::for_elf(ElfOs::Linux).ok_or("no personality runs Linux ELF programs")?;
    check!(linux.personality.name() == "linux" && linux.calls == personality::CallPath::Translated);
    let native = personality::for_elf(ElfOs::Helctic).ok_or("no personality runs native programs")?;
    check!(native.calls == personality::CallPath::Native, "native calls are translated");
    let freebsd = personality::for_elf(ElfOs::FreeBsd).ok_or("no personality runs FreeBSD ELF programs")?;
    check!(freebsd.personality.name() == "freebsd" && freebsd.calls == personality::CallPath::Translated);
    let netbsd = personality::for_elf(ElfOs::NetBsd).ok_or("no personality runs NetBSD ELF programs")?;
    check!(netbsd.personality.name() == "netbsd" && netbsd.calls == personality::CallPath::Translated);
    check!(personality::for_elf(ElfOs::Unknown).is_none(), "an unknown brand has a personality");
    Ok(())
}
