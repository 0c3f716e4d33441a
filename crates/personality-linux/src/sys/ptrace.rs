//! ptrace(2): a tracer's requests, translated to the core's tracing
//! operations; the register and siginfo layouts are Linux's.

use crate::arch::ptrace_regs;
use crate::util::{read_u64, write_u64};
use kernel_ops::{
    Error, KResult, KernelOps, Signal, SignalCause, SignalInfo, TraceOptions, TraceResume, TraceStop, TraceeChange,
    TraceeState,
};
use linux_abi::ptrace::*;

pub fn options_of(bits: u64) -> KResult<TraceOptions> {
    if !options_valid(bits) {
        return Err(Error::InvalidArgument);
    }
    Ok(TraceOptions {
        syscall_good: bits & PTRACE_O_TRACESYSGOOD != 0,
        fork: bits & PTRACE_O_TRACEFORK != 0,
        vfork: bits & PTRACE_O_TRACEVFORK != 0,
        clone: bits & PTRACE_O_TRACECLONE != 0,
        exec: bits & PTRACE_O_TRACEEXEC != 0,
        vfork_done: bits & PTRACE_O_TRACEVFORKDONE != 0,
        exit: bits & PTRACE_O_TRACEEXIT != 0,
        exit_kill: bits & PTRACE_O_EXITKILL != 0,
    })
}

/// The SIGTRAP siginfo a syscall or event stop reports, or the signal's.
pub fn stop_siginfo(state: &TraceeState) -> [u8; 128] {
    crate::siginfo::siginfo_bytes(&state.siginfo)
}

/// Linux's number for an event (0: none).
pub fn event_code(event: Option<kernel_ops::TraceEvent>) -> u32 {
    use kernel_ops::TraceEvent::*;
    match event {
        None => 0,
        Some(Fork) => PTRACE_EVENT_FORK,
        Some(Vfork) => PTRACE_EVENT_VFORK,
        Some(Clone) => PTRACE_EVENT_CLONE,
        Some(Exec) => PTRACE_EVENT_EXEC,
        Some(VforkDone) => PTRACE_EVENT_VFORK_DONE,
        Some(Exit) => PTRACE_EVENT_EXIT,
        Some(Stop) => PTRACE_EVENT_STOP,
    }
}

fn signal_arg(data: u64) -> KResult<Option<Signal>> {
    match data {
        0 => Ok(None),
        n => crate::signals::from_linux(u32::try_from(n).map_err(|_| Error::Io)?).map(Some).ok_or(Error::Io),
    }
}

fn tid_arg(pid: u64) -> KResult<u32> {
    match pid as i32 {
        p if p > 0 => Ok(p as u32),
        _ => Err(Error::NoSuchProcess),
    }
}

pub fn ptrace(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (request, addr, data) = (a[0], a[2], a[3]);
    if request == PTRACE_TRACEME {
        return ops.trace_me().map(|_| 0);
    }
    let tid = tid_arg(a[1])?;
    match request {
        PTRACE_ATTACH => ops.trace_attach(tid, false, TraceOptions::default()).map(|_| 0),
        PTRACE_SEIZE => {
            if addr != 0 {
                return Err(Error::Io);
            }
            let options = options_of(data).map_err(|_| Error::Io)?;
            ops.trace_attach(tid, true, options).map(|_| 0)
        }
        PTRACE_INTERRUPT => ops.trace_interrupt(tid).map(|_| 0),
        PTRACE_LISTEN => ops.trace_listen(tid).map(|_| 0),
        PTRACE_KILL => ops.trace_kill(tid).map(|_| 0),
        PTRACE_CONT | PTRACE_SYSCALL | PTRACE_SINGLESTEP | PTRACE_DETACH => {
            let how = match request {
                PTRACE_CONT => TraceResume::Continue,
                PTRACE_SYSCALL => TraceResume::Syscall,
                PTRACE_SINGLESTEP => TraceResume::SingleStep,
                _ => TraceResume::Detach,
            };
            let signal = signal_arg(data)?;
            ops.trace_resume(tid, how, signal).map(|_| 0)
        }
        PTRACE_SETOPTIONS => {
            let options = options_of(data)?;
            ops.trace_set_options(tid, options).map(|_| 0)
        }
        PTRACE_PEEKTEXT | PTRACE_PEEKDATA => {
            let mut word = [0u8; 8];
            ops.trace_read(tid, addr, &mut word).map_err(memory_error)?;
            write_u64(ops, data, u64::from_le_bytes(word)).map(|_| 0)
        }
        PTRACE_POKETEXT | PTRACE_POKEDATA => {
            ops.trace_write(tid, addr, &data.to_le_bytes()).map_err(memory_error).map(|_| 0)
        }
        PTRACE_GETSIGINFO => {
            let state = ops.trace_state(tid)?;
            ops.copy_out(data, &stop_siginfo(&state)).map(|_| 0)
        }
        PTRACE_SETSIGINFO => {
            ops.trace_state(tid)?;
            let mut raw = [0u8; 128];
            ops.copy_in(data, &mut raw)?;
            let info = siginfo_from(&raw)?;
            ops.trace_change(tid, &TraceeChange { siginfo: Some(info), ..Default::default() }).map(|_| 0)
        }
        PTRACE_GETSIGMASK | PTRACE_SETSIGMASK => {
            // `addr` is the size of the set, as for rt_sigprocmask.
            if addr != 8 {
                return Err(Error::InvalidArgument);
            }
            let state = ops.trace_state(tid)?;
            if request == PTRACE_GETSIGMASK {
                return write_u64(ops, data, state.signal_mask).map(|_| 0);
            }
            let mask = read_u64(ops, data)?;
            ops.trace_change(tid, &TraceeChange { signal_mask: Some(mask), ..Default::default() }).map(|_| 0)
        }
        PTRACE_GETEVENTMSG => {
            let state = ops.trace_state(tid)?;
            write_u64(ops, data, state.event_message).map(|_| 0)
        }
        PTRACE_GET_SYSCALL_INFO => {
            let state = ops.trace_state(tid)?;
            let (bytes, len) = syscall_info(&state).to_bytes();
            let copy = (addr.min(len as u64)) as usize;
            ops.copy_out(data, &bytes[..copy])?;
            Ok(len as u64)
        }
        _ => match ptrace_regs::request(ops, tid, request, addr, data)? {
            Some(value) => Ok(value),
            None => {
                ops.log_unsupported(format_args!("linux: ptrace request {request:#x}"));
                Err(Error::Io)
            }
        },
    }
}

/// A bad address in the tracee: EIO for PEEK/POKE, as Linux answers.
pub(crate) fn memory_error(e: Error) -> Error {
    match e {
        Error::Fault => Error::Io,
        e => e,
    }
}

pub fn syscall_info(state: &TraceeState) -> SyscallInfo {
    let mut info = SyscallInfo {
        op: PTRACE_SYSCALL_INFO_NONE,
        instruction_pointer: state.context.pc(),
        stack_pointer: state.context.sp(),
        nr: 0,
        args: [0; 6],
        rval: 0,
        is_error: false,
    };
    if let Some(call) = state.syscall {
        match state.stop {
            TraceStop::SyscallEntry => {
                info.op = PTRACE_SYSCALL_INFO_ENTRY;
                info.nr = call.nr;
                info.args = call.args;
            }
            TraceStop::SyscallExit => {
                info.op = PTRACE_SYSCALL_INFO_EXIT;
                info.rval = call.result as i64;
                info.is_error = (call.result as i64) < 0 && (call.result as i64) >= -4095;
            }
            _ => {}
        }
    }
    info
}

/// A siginfo a tracer hands in: its signal, and who it says sent it.
fn siginfo_from(raw: &[u8; 128]) -> KResult<SignalInfo> {
    use linux_abi::siginfo::{SigFields, Siginfo};
    let info = Siginfo::from_bytes(raw).ok_or(Error::Fault)?;
    let signal = crate::signals::from_linux(info.signo).ok_or(Error::InvalidArgument)?;
    let cause = match info.fields {
        SigFields::Kill { pid, uid } if info.code <= 0 => SignalCause::User { pid: pid as u32, uid },
        SigFields::Rt { pid, uid, value } => SignalCause::Queued { pid: pid as u32, uid, value },
        _ => SignalCause::Kernel,
    };
    Ok(SignalInfo { signal, cause })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_bits() {
        let o = options_of(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_EXITKILL).unwrap();
        assert!(o.syscall_good && o.fork && o.exit_kill && !o.clone && !o.exec);
        assert_eq!(options_of(1 << 9), Err(Error::InvalidArgument));
    }
}
