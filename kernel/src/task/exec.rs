//! exec: replacing a process's program.
//!
//! The binary itself says which personality runs it (crates/binfmt): an ELF
//! for Linux gets the Linux personality; PE and Mach-O files are recognised
//! and refused until their personalities exist; `#!` scripts run their
//! interpreter. Segments are mapped lazily from the file (demand paging);
//! the personality then builds its OS's initial stack.

use super::core_ops::CoreOps;
use super::thread::Thread;
use crate::arch::layout::PAGE_SIZE;
use crate::arch::trap_entry::TrapFrame;
use crate::mm::{Backing, Mm, Vma, STACK_RESERVE, STACK_TOP};
use alloc::sync::Arc;
use alloc::vec::Vec;
use binfmt::{ElfOs, Identity};
use kernel_ops::{Error, KResult, KernelOps, LoadedImage, Protection};
use vfs::NodeRef;

/// Where static-PIE programs are placed (Linux's ELF_ET_DYN_BASE on x86_64
/// without randomisation).
const PIE_BASE: u64 = 0x5555_5555_4000;
const MAX_SCRIPT_DEPTH: usize = 4;
/// Largest executable we read (it is mapped lazily, but its headers and the
/// binfmt probe need the bytes).
const MAX_BINARY: usize = 256 << 20;

fn page_down(a: u64) -> u64 {
    a & !(PAGE_SIZE - 1)
}

fn page_up(a: u64) -> u64 {
    (a + PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// Replaces the program of `t`'s process. On error before the point of no
/// return the old program continues; after it, the process is killed.
pub fn exec(t: &Arc<Thread>, frame: &mut TrapFrame, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    let mut argv = argv.to_vec();
    let mut path = path.to_vec();
    for _ in 0..=MAX_SCRIPT_DEPTH {
        let (node, abs_path) = resolve_executable(t, &path)?;
        let bytes = crate::fs::read_all(node, MAX_BINARY)?;
        match binfmt::identify(&bytes) {
            Identity::Script(script) => {
                // `#!interp arg` runs `interp [arg] path args...`.
                let mut new_argv = alloc::vec![script.interpreter.to_vec()];
                if let Some(a) = script.argument {
                    new_argv.push(a.to_vec());
                }
                new_argv.push(path.clone());
                new_argv.extend(argv.iter().skip(1).cloned());
                path = script.interpreter.to_vec();
                argv = new_argv;
                continue;
            }
            Identity::Elf(e) => return exec_elf(t, frame, node, &abs_path, &bytes, &e, &argv, envp),
            Identity::Pe(_) => {
                log_refusal(t, &abs_path, "a Windows PE program (the Windows personality does not exist yet)");
                return Err(Error::ExecFormat);
            }
            Identity::MachO(_) | Identity::FatMachO(_) => {
                log_refusal(t, &abs_path, "a Mach-O program (the Darwin personality does not exist yet)");
                return Err(Error::ExecFormat);
            }
            Identity::Malformed(_) | Identity::Unknown => return Err(Error::ExecFormat),
        }
    }
    Err(Error::Loop)
}

/// Runs the ELF in `node` (already opened by its holder, e.g. a native
/// task's file capability). Scripts are not followed here.
pub fn exec_node(t: &Arc<Thread>, frame: &mut TrapFrame, node: NodeRef, abs_path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    let bytes = crate::fs::read_all(node, MAX_BINARY)?;
    match binfmt::identify(&bytes) {
        Identity::Elf(e) => exec_elf(t, frame, node, abs_path, &bytes, &e, argv, envp),
        _ => Err(Error::ExecFormat),
    }
}

#[allow(clippy::too_many_arguments)]
fn exec_elf(
    t: &Arc<Thread>,
    frame: &mut TrapFrame,
    node: NodeRef,
    abs_path: &[u8],
    bytes: &[u8],
    e: &binfmt::ElfBinary,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
) -> KResult<()> {
    if e.machine != elf::Machine::X86_64 {
        log_refusal(t, abs_path, "an ELF for another CPU architecture");
        return Err(Error::ExecFormat);
    }
    let personality: &'static dyn kernel_ops::Personality = match e.os {
        ElfOs::Linux => crate::personality::linux(),
        ElfOs::Helctic => crate::personality::native(),
        ElfOs::FreeBsd | ElfOs::NetBsd | ElfOs::OpenBsd | ElfOs::Unknown => {
            log_refusal(t, abs_path, "an ELF for an OS whose personality does not exist yet");
            return Err(Error::ExecFormat);
        }
    };
    load_elf(t, frame, node, abs_path, bytes, argv, envp, personality)
}

fn log_refusal(t: &Arc<Thread>, path: &[u8], what: &str) {
    crate::warn!("exec: pid {} refused {} : {}", t.process().pid, alloc::string::String::from_utf8_lossy(path), what);
}

/// Looks up an executable: a regular file with execute permission.
fn resolve_executable(t: &Arc<Thread>, path: &[u8]) -> KResult<(NodeRef, Vec<u8>)> {
    let p = t.process();
    let fs = p.fs().lock().clone();
    let creds = super::core_ops::vfs_credentials(&p.creds.lock());
    crate::fs::with_vfs(|v| {
        let node = v.resolve(fs.cwd, fs.root, path, true, &creds)?;
        let meta = v.metadata(node)?;
        if meta.file_type != vfs::FileType::Regular {
            return Err(if meta.is_dir() { Error::PermissionDenied } else { Error::PermissionDenied });
        }
        if meta.mode & 0o111 == 0 {
            return Err(Error::PermissionDenied);
        }
        vfs::check_access(&meta, &creds, vfs::Access::EXECUTE).map_err(Error::from)?;
        let abs = crate::fs::absolute_path(v, fs.cwd, fs.root, path, &creds).unwrap_or_else(|| path.to_vec());
        Ok((node, abs))
    })
}

#[allow(clippy::too_many_arguments)]
fn load_elf(
    t: &Arc<Thread>,
    frame: &mut TrapFrame,
    node: NodeRef,
    abs_path: &[u8],
    bytes: &[u8],
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    personality: &'static dyn kernel_ops::Personality,
) -> KResult<()> {
    let file = elf::ElfFile::parse(bytes).map_err(|_| Error::ExecFormat)?;
    let plan = file.load_plan().map_err(|_| Error::ExecFormat)?;
    if plan.has_interpreter {
        log_refusal(t, abs_path, "a dynamically linked program (the dynamic loader is not supported yet)");
        return Err(Error::ExecFormat);
    }
    let bias = if plan.is_position_independent() { PIE_BASE - page_down(plan.lowest_vaddr) } else { 0 };
    let mm = Mm::new().map_err(|_| Error::NoMemory)?;
    let hold = crate::mm::NodeHold::new(node);
    let mut vdso_base = 0;
    {
        let mut a = mm.lock();
        for seg in file.load_segments() {
            if seg.memsz == 0 {
                continue;
            }
            let prot = Protection { read: seg.flags.readable(), write: seg.flags.writable(), execute: seg.flags.executable() };
            let vaddr = seg.vaddr.checked_add(bias).ok_or(Error::ExecFormat)?;
            let start = page_down(vaddr);
            let file_end = vaddr.checked_add(seg.filesz).ok_or(Error::ExecFormat)?;
            let mem_end = page_up(vaddr.checked_add(seg.memsz).filter(|e| *e < STACK_TOP).ok_or(Error::ExecFormat)?);
            let file_part_end = if seg.filesz > 0 { page_up(file_end).min(mem_end) } else { start };
            if start < crate::mm::USER_MIN || mem_end > STACK_TOP - STACK_RESERVE {
                return Err(Error::ExecFormat);
            }
            // Segments may share a page at their boundary; the later one's
            // mapping of the shared file page wins, as with Linux's MAP_FIXED.
            a.unmap(start, mem_end);
            if file_part_end > start {
                a.insert(start, Vma {
                    end: file_part_end,
                    prot,
                    backing: Backing::File { node: hold.clone(), offset: seg.offset - (vaddr - start), valid: file_end - start },
                    pgoff: 0,
                    is_stack: false,
                });
            }
            if mem_end > file_part_end {
                a.insert(file_part_end, Vma { end: mem_end, prot, backing: Backing::Anonymous, pgoff: 0, is_stack: false });
            }
        }
        let end = page_up(plan.highest_vaddr_end + bias);
        a.brk_base = end;
        a.brk = end;
        a.insert(STACK_TOP - STACK_RESERVE, Vma {
            end: STACK_TOP,
            prot: Protection { read: true, write: true, execute: false },
            backing: Backing::Anonymous,
            pgoff: 0,
            is_stack: true,
        });
        // Linux programs get the vDSO (native ones have no use for it).
        if personality.name() == "linux" {
            vdso_base = crate::mm::vdso::map_into(&mut a).unwrap_or(0);
        }
    }
    // A native program may be a server the VFS itself waits on (the ext2
    // server): its code must never fault into the VFS. Its image is read
    // in whole now, while nobody waits for it.
    if personality.name() == "native" {
        let file_ranges: alloc::vec::Vec<(u64, u64)> = mm.lock().vmas().filter(|(_, v)| matches!(v.backing, crate::mm::Backing::File { .. })).map(|(start, v)| (start, v.end)).collect();
        for (start, end) in file_ranges {
            for page in (start..end).step_by(crate::arch::layout::PAGE_SIZE as usize) {
                mm.handle_fault(page, crate::mm::Access::Read).map_err(|_| Error::NoMemory)?;
            }
        }
    }
    let phdr = match plan.phdr_vaddr {
        Some(v) => v + bias,
        None => return Err(Error::ExecFormat),
    };

    // The point of no return: the old program is about to disappear.
    let p = t.process().clone();
    for other in p.threads.lock().iter() {
        if !Arc::ptr_eq(other, t) {
            other.signals.lock().pending |= kernel_ops::Signal::KILL.bit();
            crate::sched::wake(other);
        }
    }
    p.unshare_files();
    let closing = p.files().lock().take_close_on_exec();
    drop(closing);
    p.reset_actions_for_exec();
    let old = p.replace_mm(mm.clone());
    if crate::sched::current().tid == t.tid {
        mm.activate();
    }
    drop(old);
    *p.exe.lock() = abs_path.to_vec();
    let mut cmdline = Vec::new();
    for a in argv {
        cmdline.extend_from_slice(a);
        cmdline.push(0);
    }
    *p.cmdline.lock() = cmdline;
    let base = abs_path.rsplit(|&b| b == b'/').next().unwrap_or(abs_path);
    let mut name = [0u8; 16];
    let n = base.len().min(15);
    name[..n].copy_from_slice(&base[..n]);
    *t.name.lock() = name;
    p.set_personality(personality);
    super::lifecycle::release_vfork_parent(&p);
    t.context().set_fpu(crate::arch::context::FpuState::initial(), crate::sched::current().tid == t.tid);
    t.context().set_fs_base(0, crate::sched::current().tid == t.tid);
    t.signals.lock().alt_stack = kernel_ops::AltStack { base: 0, size: 0, disabled: true };

    let creds = *p.creds.lock();
    let image = LoadedImage {
        entry: file.header().entry + bias,
        phdr,
        phnum: file.program_header_count() as u64,
        phent: u64::from(file.header().phentsize),
        base: 0,
        stack_top: STACK_TOP,
        exec_path: argv.first().cloned().unwrap_or_default(),
        uid: creds.uid,
        gid: creds.gid,
        vdso_base,
    };
    *frame = crate::arch::context::user_entry_frame(image.entry, STACK_TOP);
    let mut ops = CoreOps::new(t.clone(), frame);
    if let Err(e) = personality.start_program(&mut ops, &image, argv, envp) {
        crate::warn!("exec: pid {}: cannot build the initial stack ({e:?}); killing it", p.pid);
        drop(ops);
        super::signal::send_to_process(&p, kernel_ops::Signal::KILL, kernel_ops::SignalCause::Kernel);
        return Ok(());
    }
    let _ = KernelOps::regs(&mut ops);
    drop(ops);
    if p.is_native() {
        if let Err(e) = crate::native::on_exec(t) {
            crate::warn!("exec: pid {}: cannot give the native task its capabilities ({e:?}); killing it", p.pid);
            super::signal::send_to_process(&p, kernel_ops::Signal::KILL, kernel_ops::SignalCause::Kernel);
        }
    }
    Ok(())
}
