//! How the kernel core implements `TransferOps` (moving data between
//! descriptors inside the kernel).

use super::*;

impl TransferOps for CoreOps<'_> {
    fn transfer(&mut self, output: Fd, input: Fd, offset: Option<u64>, count: usize) -> KResult<(usize, Option<u64>)> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        if !src.can_read() || !dst.can_write() {
            return Err(Error::BadDescriptor);
        }
        if offset.is_some() && !src.seekable() {
            return Err(Error::IllegalSeek);
        }
        let mut buf = fs::buffer(count.min(IO_CHUNK))?;
        let mut done = 0usize;
        let mut pos = offset;
        while done < count {
            let want = (count - done).min(buf.len());
            let got = match src.read(&mut buf[..want], pos) {
                Ok(n) => n,
                Err(e) if done > 0 && matches!(e, Error::Restart | Error::WouldBlock) => break,
                Err(e) => return Err(e),
            };
            if got == 0 {
                break;
            }
            let put = match dst.write(&buf[..got], None) {
                Ok(n) => n,
                Err(Error::BrokenPipe) => {
                    self.sigpipe();
                    return if done > 0 { Ok((done, pos)) } else { Err(Error::BrokenPipe) };
                }
                Err(e) if done > 0 => {
                    let _ = e;
                    break;
                }
                Err(e) => return Err(e),
            };
            done += put;
            pos = pos.map(|p| p + put as u64);
            if put < got {
                break;
            }
            // A signal ends a long transfer with what was moved, as on
            // Linux, and others get the CPU between chunks.
            if self.thread.has_deliverable_signal() {
                break;
            }
            crate::sched::preemption_point();
        }
        Ok((done, pos))
    }

    fn copy_range(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
    ) -> KResult<usize> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        fs::splice::copy_range(&src, in_offset, &dst, out_offset, count)
    }

    fn splice(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
        flags: SpliceFlags,
    ) -> KResult<usize> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        let moved = fs::splice::splice(&src, in_offset, &dst, out_offset, count, flags.non_blocking);
        if moved == Err(Error::BrokenPipe) {
            self.sigpipe();
        }
        moved
    }

    fn tee(&mut self, input: Fd, output: Fd, count: usize, flags: SpliceFlags) -> KResult<usize> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        let copied = fs::splice::tee(&src, &dst, count, flags.non_blocking);
        if copied == Err(Error::BrokenPipe) {
            self.sigpipe();
        }
        copied
    }

    fn vmsplice(&mut self, fd: Fd, buffers: &[(u64, usize)], flags: SpliceFlags) -> KResult<usize> {
        let file = self.file(fd)?;
        let Some(pipe) = fs::splice::pipe_of(&file).cloned() else { return Err(Error::BadDescriptor) };
        let nb = flags.non_blocking;
        let mut done = 0usize;
        if file.can_write() {
            // As Linux: wait for room once, then put in what fits.
            let room = match pipe.wait_for_room(nb) {
                Err(Error::BrokenPipe) => {
                    self.sigpipe();
                    return Err(Error::BrokenPipe);
                }
                r => r?,
            };
            for &(addr, len) in buffers {
                let mut at = 0usize;
                while at < len && done < room {
                    let mut buf = fs::buffer((len - at).min(room - done).min(IO_CHUNK))?;
                    if let Err(e) = self.copy_in(addr.wrapping_add(at as u64), &mut buf) {
                        return if done > 0 { Ok(done) } else { Err(e) };
                    }
                    let put = pipe.write(&buf, true).or_else(|e| if done > 0 { Ok(0) } else { Err(e) })?;
                    done += put;
                    at += put;
                    if put < buf.len() {
                        return Ok(done);
                    }
                }
            }
            Ok(done)
        } else if file.can_read() {
            for &(addr, len) in buffers {
                let mut at = 0usize;
                while at < len {
                    let want = (len - at).min(IO_CHUNK);
                    // Bytes taken from a pipe cannot be put back: the
                    // buffer must be writable before they are.
                    if let Err(e) = self.mm().prepare_write(addr.wrapping_add(at as u64), want) {
                        let _ = e;
                        return if done > 0 { Ok(done) } else { Err(Error::Fault) };
                    }
                    let mut buf = fs::buffer(want)?;
                    let got = match pipe.read(&mut buf, nb || done > 0) {
                        Ok(n) => n,
                        Err(_) if done > 0 => return Ok(done),
                        Err(e) => return Err(e),
                    };
                    self.copy_out(addr.wrapping_add(at as u64), &buf[..got])?;
                    done += got;
                    at += got;
                    if got < want {
                        return Ok(done);
                    }
                }
            }
            Ok(done)
        } else {
            Err(Error::BadDescriptor)
        }
    }
}
