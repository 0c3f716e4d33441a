//! The vDSO as a process sees it: mapped into a fresh address space, its
//! bytes the embedded image, its vvar page a consistent, current snapshot.

use super::TestResult;
use crate::check;
use crate::mm::{vdso, Access, Mm};
use alloc::vec;
use vdso_data::VvarSource;

/// Reads the vvar page of `mm` at `page` the way the vDSO does, through
/// copy_in (which faults the page in as a user read would).
struct UserVvar<'a> {
    mm: &'a Mm,
    page: u64,
    failed: bool,
}

impl VvarSource for UserVvar<'_> {
    fn load(&mut self, word: usize) -> u64 {
        let mut bytes = [0u8; 8];
        self.failed |= self.mm.copy_in(self.page + word as u64 * 8, &mut bytes).is_err();
        u64::from_le_bytes(bytes)
    }
}

pub fn maps_image_and_current_vvar() -> TestResult {
    let image = vdso::image();
    check!(!image.is_empty(), "the kernel was built without a vDSO image");
    let mm = Mm::new().map_err(|_| alloc::string::String::from("no memory for an address space"))?;
    let base =
        vdso::map_into(&mut mm.lock()).ok_or(alloc::string::String::from("map_into found no vDSO or no room"))?;
    check!(base % 4096 == 0, "vDSO base {base:#x} is not page aligned");

    let mut copy = vec![0u8; image.len()];
    check!(mm.copy_in(base, &mut copy).is_ok(), "the image cannot be read at {base:#x}");
    check!(copy == image, "the mapped bytes are not the image");
    check!(mm.copy_out(base, b"x").is_err(), "the image is writable");
    check!(mm.handle_fault(base, Access::Execute).is_ok(), "the image is not executable");
    check!(mm.handle_fault(base - 4096, Access::Execute).is_err(), "the vvar page is executable");

    let mut vvar = UserVvar { mm: &mm, page: base - 4096, failed: false };
    let first = vdso_data::read(&mut vvar);
    check!(!vvar.failed, "the vvar page below the image cannot be read");
    let (fp, offset) = crate::time::clock_parameters();
    check!(
        first.clocks_usable() && first.ns_per_tick_fp == fp && first.realtime_offset_ns == offset,
        "vvar {first:?} is not the clock ({fp}, {offset})"
    );
    check!(first.resolution_ns == crate::time::CLOCK_RESOLUTION_NS);
    check!(mm.copy_out(base - 4096, b"x").is_err(), "the vvar page is writable");

    // A publication is seen at once, under a new even counter.
    vdso::publish_clock();
    let second = vdso_data::read(&mut vvar);
    check!(second.seq == first.seq + 2, "counter {} after {}: a publication is not seen", second.seq, first.seq);

    // What the vDSO computes from it is the kernel's clock.
    let before = crate::time::now_ns();
    let tsc = crate::arch::cpu::rdtsc();
    let after = crate::time::now_ns();
    let computed = second.clock_ns(vdso_data::ServedClock::Monotonic, tsc);
    check!(before <= computed && computed <= after, "vDSO arithmetic gives {computed}, the kernel {before}..{after}");
    Ok(())
}
