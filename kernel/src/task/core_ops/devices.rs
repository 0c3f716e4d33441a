//! How the kernel core implements `DeviceOps` (terminal and block-device
//! control).

use super::*;

impl DeviceOps for CoreOps<'_> {
    fn termios(&mut self, fd: Fd) -> KResult<tty::Termios> {
        Ok(self.tty_of(fd)?.termios())
    }

    fn set_termios(&mut self, fd: Fd, termios: &tty::Termios, when: TermiosWhen) -> KResult<()> {
        self.tty_of(fd)?.set_termios(*termios, when == TermiosWhen::Flush);
        Ok(())
    }

    fn tty_request(&mut self, fd: Fd, request: TtyRequest) -> KResult<TtyReply> {
        if request == TtyRequest::BytesReadable {
            let file = self.file(fd)?;
            match &file.object {
                // Either end of a pipe: what it holds (Linux's pipe_ioctl).
                FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => {
                    return Ok(TtyReply::Value(p.available() as u32))
                }
                FileObject::Socket(s) => {
                    let info = s.info();
                    if info.listening {
                        return Err(Error::InvalidArgument);
                    }
                    return Ok(TtyReply::Value(info.readable_bytes.min(u32::MAX as usize) as u32));
                }
                FileObject::InetSocket(s) => {
                    if s.info().listening {
                        return Err(Error::InvalidArgument);
                    }
                    return Ok(TtyReply::Value(s.readable_bytes()?.min(u32::MAX as usize) as u32));
                }
                FileObject::WatchQueue(q) => return Ok(TtyReply::Value(q.bytes_queued() as u32)),
                FileObject::NotificationGroup(g) => return Ok(TtyReply::Value(g.bytes_queued() as u32)),
                FileObject::Node(n) => {
                    let size = fs::with_vfs(|v| v.metadata(*n))?.size;
                    let pos = *file.offset.lock();
                    return Ok(TtyReply::Value(size.saturating_sub(pos).min(u64::from(u32::MAX)) as u32));
                }
                _ => {}
            }
        }
        if request == TtyRequest::BytesUnsent {
            // Internet sockets only (the server's queue). Local sockets
            // and terminals do not answer it yet: ENOTTY, as before.
            if let Some(s) = self.file(fd)?.inet_socket() {
                if s.info().listening {
                    return Err(Error::InvalidArgument);
                }
                let unsent = s.option(netproto::SocketOption::UnsentBytes)?;
                return Ok(TtyReply::Value(unsent.min(u64::from(u32::MAX)) as u32));
            }
        }
        if request == TtyRequest::AtUrgentMark {
            // TCP only (udp_ioctl does not know it: ENOTTY below). smoltcp
            // keeps no urgent pointer: an urgent byte arrives inline with
            // the rest, so a reader is never at a mark.
            if let Some(s) = self.file(fd)?.inet_socket() {
                if s.kind == SocketKind::Stream {
                    return Ok(TtyReply::Value(0));
                }
            }
        }
        let tty = self.tty_of(fd)?;
        let p = self.process.clone();
        Ok(match request {
            TtyRequest::GetWindowSize => TtyReply::WindowSize(tty.window_size()),
            TtyRequest::SetWindowSize(ws) => {
                tty.set_window_size(ws);
                TtyReply::None
            }
            TtyRequest::GetForegroundGroup => {
                if tty.session() != p.sid() {
                    return Err(Error::NotATerminal);
                }
                TtyReply::Value(tty.foreground())
            }
            TtyRequest::SetForegroundGroup(pgrp) => {
                if tty.session() != p.sid() {
                    return Err(Error::NotATerminal);
                }
                if !crate::task::process::all().iter().any(|q| q.pgid() == pgrp && q.sid() == p.sid()) {
                    return Err(Error::NotPermitted);
                }
                tty.set_foreground(pgrp);
                TtyReply::None
            }
            TtyRequest::SetControlling { steal } => {
                if p.sid() != p.pid {
                    return Err(Error::NotPermitted);
                }
                if tty.session() == p.sid() {
                    return Ok(TtyReply::None);
                }
                // Another session's terminal: only root may take it.
                let root = self.has(Privilege::SysAdmin);
                if tty.session() != 0 && !(steal && root) {
                    return Err(Error::NotPermitted);
                }
                if fs::tty::controlling(p.sid()).is_some() {
                    return Err(Error::NotPermitted);
                }
                tty.attach(p.sid(), p.pgid());
                TtyReply::None
            }
            TtyRequest::PtyNumber
            | TtyRequest::SetPtyLock(_)
            | TtyRequest::GetPtyLock
            | TtyRequest::OpenPtyPeer { .. } => {
                let file = self.file(fd)?;
                let FileObject::PtyMaster(m) = &file.object else { return Err(Error::NotATerminal) };
                let pair = m.pair.clone();
                match request {
                    TtyRequest::PtyNumber => TtyReply::Value(pair.index),
                    TtyRequest::SetPtyLock(on) => {
                        pair.set_locked(on);
                        TtyReply::None
                    }
                    TtyRequest::GetPtyLock => TtyReply::Value(u32::from(pair.is_locked())),
                    TtyRequest::OpenPtyPeer { flags, close_on_exec } => {
                        let slave = pair.open_slave()?;
                        let tty = self.opened_terminal(slave, &flags);
                        let path = alloc::format!("/dev/pts/{}", pair.index).into_bytes();
                        // fstat must show the node /dev/pts/N, as if opened by
                        // path: ttyname compares the two (script(1)'s tty).
                        let file = match self.stat(DirFd::Cwd, &path, true) {
                            Ok(node) => fs::OpenFile::new_device(FileObject::Terminal(tty), flags, path, node),
                            Err(_) => fs::OpenFile::new(FileObject::Terminal(tty), flags, path),
                        };
                        let fd = self.install(file, close_on_exec)?;
                        TtyReply::Value(fd as u32)
                    }
                    _ => TtyReply::None,
                }
            }
            TtyRequest::ReleaseControlling => {
                if tty.session() == p.sid() && p.sid() == p.pid {
                    tty.detach();
                }
                TtyReply::None
            }
            TtyRequest::GetSession => {
                if tty.session() == 0 {
                    return Err(Error::NotATerminal);
                }
                TtyReply::Value(tty.session())
            }
            TtyRequest::BytesReadable => TtyReply::Value(tty.available() as u32),
            // Not answered for terminals yet (see above).
            TtyRequest::BytesUnsent | TtyRequest::AtUrgentMark => return Err(Error::NotATerminal),
            TtyRequest::Flush { input, .. } => {
                if input {
                    tty.flush_input();
                }
                TtyReply::None
            }
        })
    }

    fn block_request(&mut self, fd: Fd, request: kernel_ops::BlockRequest) -> KResult<kernel_ops::BlockReply> {
        let file = self.file(fd)?;
        let backing = match request {
            kernel_ops::BlockRequest::LoopSetFd(b)
            | kernel_ops::BlockRequest::LoopChangeFd(b)
            | kernel_ops::BlockRequest::LoopConfigure { fd: b, .. } => Some(self.file(b)?),
            _ => None,
        };
        fs::loop_device::request(&file, request, backing)
    }
}

impl CoreOps<'_> {
    /// The terminal a descriptor is: a terminal, or a pseudo-terminal's
    /// master (whose terminal requests act on the pair, as on Linux).
    fn tty_of(&self, fd: Fd) -> KResult<fs::tty::TtyRef> {
        match &self.file(fd)?.object {
            FileObject::Terminal(t) => Ok(t.clone()),
            FileObject::PtyMaster(m) => Ok(fs::tty::TtyRef::Pair(m.pair.clone())),
            _ => Err(Error::NotATerminal),
        }
    }
}
