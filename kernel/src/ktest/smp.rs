//! The other CPUs: each started one answers an inter-processor interrupt
//! on its own, with its own per-CPU block.

use crate::arch::{self, percpu::MAX_CPUS};
use crate::check;
use crate::ktest::{note, TestResult};
use alloc::vec::Vec;

/// Pings every started CPU but this one and checks each answered, under
/// its own index (found through its own GS base), with the APIC id the
/// boot CPU started it by, and with a per-CPU block of its own.
pub fn every_cpu_answers_pings() -> TestResult {
    let others: Vec<usize> = (1..MAX_CPUS).filter(|&c| arch::smp::is_online(c)).collect();
    if others.is_empty() {
        note("one CPU started: nothing to ping, passed trivially");
        return Ok(());
    }
    check!(arch::percpu::cpu_index() == 0, "the tests run on CPU {}", arch::percpu::cpu_index());
    let before: Vec<u64> = others.iter().map(|&c| arch::ipi::ping_answer(c).count).collect();
    for &c in &others {
        check!(arch::ipi::ping(c).is_ok(), "cannot address CPU {c}");
    }
    let deadline = crate::time::now_ns() + 1_000_000_000;
    while others.iter().zip(&before).any(|(&c, &b)| arch::ipi::ping_answer(c).count == b) {
        check!(crate::time::now_ns() < deadline, "not every CPU answered its ping within 1 s");
        core::hint::spin_loop();
    }
    // Once more, to all at once.
    let before: Vec<u64> = others.iter().map(|&c| arch::ipi::ping_answer(c).count).collect();
    arch::ipi::send_ping_to_others();
    while others.iter().zip(&before).any(|(&c, &b)| arch::ipi::ping_answer(c).count == b) {
        check!(crate::time::now_ns() < deadline + 1_000_000_000, "not every CPU answered the broadcast ping");
        core::hint::spin_loop();
    }
    let mut seen_ids = Vec::new();
    let mut seen_blocks = Vec::new();
    let boot_apic = arch::percpu::apic_id();
    let boot_block = arch::percpu::own_block() as u64;
    for &c in &others {
        let answer = arch::ipi::ping_answer(c);
        let started_as = arch::percpu::apic_id_of(c);
        check!(
            started_as == Some(answer.apic_id),
            "CPU {c}: started as APIC id {started_as:?}, answers as {}",
            answer.apic_id
        );
        check!(answer.block_apic_id == answer.apic_id, "CPU {c}: its block says APIC id {}", answer.block_apic_id);
        check!(arch::percpu::block_of(c) == Some(answer.block as usize), "CPU {c}: its GS base is not its block");
        check!(answer.apic_id != boot_apic && answer.block != boot_block, "CPU {c} shares the boot CPU's identity");
        check!(!seen_ids.contains(&answer.apic_id), "APIC id {} answered for two CPUs", answer.apic_id);
        check!(!seen_blocks.contains(&answer.block), "CPU {c} shares a per-CPU block");
        seen_ids.push(answer.apic_id);
        seen_blocks.push(answer.block);
    }
    // What programs are told: every started CPU, or only the boot CPU
    // while the others park (smp=park).
    let online = arch::percpu::online_cpus() as usize;
    let want = if crate::smp::parked() { 1 } else { others.len() + 1 };
    check!(online == want, "{online} CPUs reported online, {want} scheduling");
    note(&alloc::format!("{} application processors answered", others.len()));
    Ok(())
}
