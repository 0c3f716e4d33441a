//! How the fake core implements `LockOps` (file locks and leases).

use super::*;

impl LockOps for FakeCore {
    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()> {
        self.lock_calls.push(LockCall::File { fd, kind, wait });
        self.lock_answer
    }
    fn lock_range(
        &mut self,
        fd: Fd,
        kind: Option<LockKind>,
        range: LockRange,
        scope: LockScope,
        wait: bool,
    ) -> KResult<()> {
        self.lock_calls.push(LockCall::Range { fd, kind, range, scope, wait });
        self.lock_answer
    }
    fn test_lock_range(
        &mut self,
        fd: Fd,
        kind: LockKind,
        range: LockRange,
        scope: LockScope,
    ) -> KResult<Option<LockHolder>> {
        self.lock_calls.push(LockCall::Test { fd, kind, range, scope });
        Ok(self.lock_holder)
    }
    fn lease(&mut self, _: Fd) -> KResult<Option<LeaseKind>> {
        unimplemented!("fake core: lease")
    }
    fn set_lease(&mut self, _: Fd, _: Option<LeaseKind>) -> KResult<()> {
        unimplemented!("fake core: set_lease")
    }
}
