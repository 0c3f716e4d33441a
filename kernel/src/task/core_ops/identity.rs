//! How the kernel core implements `IdentityOps` (who the caller is: ids,
//! process groups, sessions, credentials and names).

use super::*;

impl IdentityOps for CoreOps<'_> {
    fn pid(&self) -> u32 {
        self.process.pid
    }

    fn tid(&self) -> u32 {
        self.thread.tid
    }

    fn parent_pid(&self) -> u32 {
        self.process.parent_pid()
    }

    fn process_group(&mut self, pid: u32) -> KResult<u32> {
        if pid == 0 {
            return Ok(self.process.pgid());
        }
        crate::task::process::find(pid).map(|p| p.pgid()).ok_or(Error::NoSuchProcess)
    }

    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()> {
        let target = if pid == 0 || pid == self.process.pid {
            self.process.clone()
        } else {
            let child = self.process.children.lock().iter().find(|c| c.pid == pid).cloned();
            child.ok_or(Error::NoSuchProcess)?
        };
        let pgid = if pgid == 0 { target.pid } else { pgid };
        if target.sid() != self.process.sid() {
            return Err(Error::NotPermitted);
        }
        if target.sid() == target.pid {
            return Err(Error::NotPermitted); // a session leader stays put
        }
        if pgid != target.pid
            && !crate::task::process::all().iter().any(|p| p.pgid() == pgid && p.sid() == target.sid())
        {
            return Err(Error::NotPermitted);
        }
        target.set_pgid(pgid);
        Ok(())
    }

    fn session(&mut self, pid: u32) -> KResult<u32> {
        if pid == 0 {
            return Ok(self.process.sid());
        }
        crate::task::process::find(pid).map(|p| p.sid()).ok_or(Error::NoSuchProcess)
    }

    fn new_session(&mut self) -> KResult<u32> {
        let p = &self.process;
        if crate::task::process::all().iter().any(|q| q.pgid() == p.pid) {
            return Err(Error::NotPermitted);
        }
        p.set_sid(p.pid);
        p.set_pgid(p.pid);
        Ok(p.pid)
    }

    fn credentials(&self) -> Credentials {
        *self.process.creds.lock()
    }

    fn credentials_of(&mut self, pid: u32) -> KResult<Credentials> {
        if pid == 0 || pid == self.process.pid {
            return Ok(*self.process.creds.lock());
        }
        let p = crate::task::process::find(pid).ok_or(Error::NoSuchProcess)?;
        let c = *p.creds.lock();
        Ok(c)
    }

    fn set_credentials(&mut self, new: Credentials) -> KResult<()> {
        let mut c = self.process.creds.lock();
        *c = c.change(&new)?;
        Ok(())
    }

    fn groups(&self) -> Vec<u32> {
        self.process.groups().as_ref().clone()
    }

    fn set_groups(&mut self, groups: &[u32]) -> KResult<()> {
        if !self.has(Privilege::SetGid) {
            return Err(Error::NotPermitted);
        }
        let mut list = Vec::new();
        list.try_reserve_exact(groups.len()).map_err(|_| Error::NoMemory)?;
        list.extend_from_slice(groups);
        list.sort_unstable();
        self.process.set_groups(Arc::new(list));
        Ok(())
    }

    fn thread_name(&self) -> [u8; 16] {
        *self.thread.name.lock()
    }

    fn set_thread_name(&mut self, name: &[u8]) {
        let mut n = [0u8; 16];
        let len = name.iter().position(|&b| b == 0).unwrap_or(name.len()).min(15);
        n[..len].copy_from_slice(&name[..len]);
        *self.thread.name.lock() = n;
    }
}
