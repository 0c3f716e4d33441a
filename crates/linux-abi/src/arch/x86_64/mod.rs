//! Linux on x86_64.

pub mod arch_prctl;
pub mod sigframe;
pub mod user_regs;
