//! The device's registers: the virtio structures its PCI capabilities
//! point at (virtio 1.x, 4.1.4), mapped from the BARs that hold them.

#![forbid(unsafe_code)]

use crate::pci::{self, Bdf, Config, VirtioCap};
use crate::transport::COMMON_LEN;
use crate::window::Window;
use abi::PAGE_SIZE;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The device's registers, as found through its PCI capabilities.
pub struct Regs {
    pub common: Window,
    /// The notify structure: queue `q`'s doorbell is at
    /// `queue_notify_off(q) * multiplier`.
    pub notify: Window,
    pub multiplier: u32,
    pub isr: Window,
    pub config: Window,
}

impl Regs {
    /// The registers of function `f`, whose virtio capabilities are
    /// `caps`, mapped through the granted Mmio capabilities `mmio` (slot,
    /// base, length each) from `vaddr` up (a free range of our address
    /// space; each BAR takes its pages and a guard page): each BAR the
    /// virtio capabilities use is mapped once, over the pages its
    /// structures span. `config_min` is the fewest bytes of device
    /// configuration the driver reads. Also returns a description of the
    /// BARs for the log.
    pub fn map(
        cfg: &Config,
        f: Bdf,
        caps: &[VirtioCap],
        mmio: &[(u64, u64, u64)],
        vaddr: u64,
        config_min: u64,
    ) -> Result<(Regs, String), String> {
        // The first capability of each type whose BAR is an assigned memory BAR.
        let mut chosen: [Option<(VirtioCap, u64)>; 5] = [None; 5];
        for cap in caps {
            let t = cap.cfg_type as usize;
            if !(pci::CAP_COMMON as usize..=pci::CAP_DEVICE as usize).contains(&t) || chosen[t].is_some() {
                continue;
            }
            if let Ok(Some(base)) = cfg.memory_bar(f, cap.bar) {
                chosen[t] = Some((*cap, base));
            }
        }
        let names = ["", "common", "notify", "ISR", "device"];
        for t in 1..=4 {
            if chosen[t].is_none() {
                return Err(format!(
                    "{f} has no usable virtio {} configuration capability (in a memory BAR)",
                    names[t]
                ));
            }
        }
        let mut vaddr = vaddr;
        let mut windows: [Option<Window>; 5] = [None; 5];
        let mut described = String::new();
        for t in 1..=4 {
            if windows[t].is_some() {
                continue;
            }
            let (cap, base) = chosen[t].expect("checked above");
            // Every structure in the same BAR: map their span once.
            let same: Vec<usize> = (1..=4).filter(|&u| chosen[u].is_some_and(|(c, _)| c.bar == cap.bar)).collect();
            let lo = same.iter().map(|&u| chosen[u].expect("chosen").0.offset).min().unwrap_or(0);
            let hi = same.iter().map(|&u| chosen[u].expect("chosen").0).map(|c| c.offset + c.length).max().unwrap_or(0);
            // A BAR so high that its structures would wrap the address space.
            if base.checked_add(hi).and_then(|e| e.checked_add(PAGE_SIZE)).is_none() {
                return Err(format!("BAR{} of {f} at {base:#x} cannot hold structures up to offset {hi:#x}", cap.bar));
            }
            let first = (base + lo) & !(PAGE_SIZE - 1);
            let end = (base + hi).next_multiple_of(PAGE_SIZE);
            let pages = (end - first) / PAGE_SIZE;
            let Some(&(slot, mbase, _)) = mmio.iter().find(|&&(_, b, l)| first >= b && end <= b + l) else {
                return Err(format!(
                    "BAR{} of {f} at {base:#x} (structures {:#x}..{:#x}) is outside every granted mmio range {:x?}",
                    cap.bar,
                    base + lo,
                    base + hi,
                    mmio.iter().map(|m| (m.1, m.2)).collect::<Vec<_>>()
                ));
            };
            let window = Window::map(slot, vaddr, (first - mbase) / PAGE_SIZE, pages)
                .map_err(|e| format!("cannot map BAR{} of {f} ({first:#x}, {pages} pages): {}", cap.bar, e.name()))?;
            described.push_str(&format!("{}BAR{} at {base:#x}", if described.is_empty() { "" } else { ", " }, cap.bar));
            for &u in &same {
                let (c, _) = chosen[u].expect("chosen");
                windows[u] = window.sub(base + c.offset - first, c.length);
            }
            vaddr += pages * PAGE_SIZE + PAGE_SIZE;
        }
        let w = |t: u8| windows[t as usize].expect("mapped");
        let multiplier = chosen[pci::CAP_NOTIFY as usize].expect("chosen").0.multiplier;
        let regs = Regs {
            common: w(pci::CAP_COMMON),
            notify: w(pci::CAP_NOTIFY),
            multiplier,
            isr: w(pci::CAP_ISR),
            config: w(pci::CAP_DEVICE),
        };
        if regs.common.len() < COMMON_LEN
            || regs.isr.is_empty()
            || regs.config.len() < config_min
            || regs.notify.len() < 2
        {
            return Err(format!(
                "{f}'s virtio structures are too small (common {}, notify {}, ISR {}, device {} bytes)",
                regs.common.len(),
                regs.notify.len(),
                regs.isr.len(),
                regs.config.len()
            ));
        }
        Ok((regs, described))
    }
}
