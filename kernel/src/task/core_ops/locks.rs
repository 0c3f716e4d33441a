//! How the kernel core implements `LockOps` (file locks and leases).

use super::*;

impl LockOps for CoreOps<'_> {
    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()> {
        let file = self.file(fd)?;
        fs::locks::flock(&file, kind, wait)
    }

    fn lock_range(
        &mut self,
        fd: Fd,
        kind: Option<LockKind>,
        range: LockRange,
        scope: LockScope,
        wait: bool,
    ) -> KResult<()> {
        let file = self.file(fd)?;
        let request =
            file_locks::RecordRequest { owner: self.lock_owner(&file, scope), pid: self.process.pid, kind, range };
        let token = u64::from(self.thread.tid);
        fs::locks::set_record(&file, &request, wait, token)?;
        // Another thread may have closed the descriptor while this one
        // waited: the close dropped the process's locks before this one
        // was granted, and nothing would drop it now. Undo it, as Linux
        // does, and say the descriptor is gone.
        if scope == LockScope::Process && kind.is_some() {
            // (The entry is dropped after the table's lock, like any file.)
            let now = self.process.files().lock().get(fd);
            if !now.is_some_and(|e| Arc::ptr_eq(&e.file, &file)) {
                let _ =
                    fs::locks::set_record(&file, &file_locks::RecordRequest { kind: None, ..request }, false, token);
                return Err(Error::BadDescriptor);
            }
        }
        Ok(())
    }

    fn test_lock_range(
        &mut self,
        fd: Fd,
        kind: LockKind,
        range: LockRange,
        scope: LockScope,
    ) -> KResult<Option<LockHolder>> {
        let file = self.file(fd)?;
        let owner = self.lock_owner(&file, scope);
        Ok(fs::locks::test_record(&file, owner, kind, &range).map(|l| LockHolder {
            kind: l.kind,
            range: l.range,
            pid: match l.owner {
                file_locks::RecordOwner::Process(_) => Some(l.pid),
                file_locks::RecordOwner::OpenFile(_) => None,
            },
        }))
    }

    fn lease(&mut self, fd: Fd) -> KResult<Option<LeaseKind>> {
        let file = self.file(fd)?;
        Ok(fs::leases::get(&file))
    }

    fn set_lease(&mut self, fd: Fd, kind: Option<LeaseKind>) -> KResult<()> {
        let file = self.file(fd)?;
        let Some(node) = file.node() else { return Err(Error::InvalidArgument) };
        let meta = fs::with_vfs(|v| v.metadata(node))?;
        let creds = *self.process.creds.lock();
        // Only the owner (by file-system uid) or a holder of CAP_LEASE.
        if creds.fsuid != meta.uid && !creds.has(Privilege::Lease) {
            return Err(Error::PermissionDenied);
        }
        if meta.file_type != FileType::Regular {
            return Err(Error::InvalidArgument);
        }
        fs::leases::set(&file, node, kind, self.process.pid)
    }
}

impl CoreOps<'_> {
    /// Who owns a record lock taken through `file`: the process (by its
    /// descriptor table, as Linux keys POSIX locks) or the open file.
    fn lock_owner(&self, file: &OpenFile, scope: LockScope) -> file_locks::RecordOwner {
        match scope {
            LockScope::Process => file_locks::RecordOwner::Process(self.process.files().lock().lock_owner()),
            LockScope::OpenFile => file_locks::RecordOwner::OpenFile(fs::locks::description_of(file)),
        }
    }
}
