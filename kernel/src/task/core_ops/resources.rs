//! How the kernel core implements `ResourceOps` (resource limits, usage, task
//! settings and nice values).

use super::*;

impl ResourceOps for CoreOps<'_> {
    fn limit(&self, resource: Resource) -> Limit {
        self.process.limit(resource)
    }

    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()> {
        if limit.soft > limit.hard {
            return Err(Error::InvalidArgument);
        }
        let mut l = self.process.limits.lock();
        let old = l[resource as usize];
        if limit.hard > old.hard && !self.has(Privilege::SysResource) {
            return Err(Error::NotPermitted);
        }
        l[resource as usize] = limit;
        Ok(())
    }

    fn cpu_times(&self, children: bool) -> (u64, u64) {
        let u = if children {
            crate::task::usage::of_children(self.process)
        } else {
            let running = if self.is_current() { crate::sched::current_slice_ns() } else { 0 };
            crate::task::usage::of_process(self.process, running)
        };
        (u.user_ns, u.system_ns)
    }

    fn resource_usage(&mut self, target: UsageTarget) -> ResourceUsage {
        let running = if self.is_current() { crate::sched::current_slice_ns() } else { 0 };
        if target != UsageTarget::Children {
            crate::task::usage::sample_peak_rss(self.process);
        }
        match target {
            UsageTarget::Process => crate::task::usage::of_process(self.process, running),
            UsageTarget::Thread => crate::task::usage::of_thread(self.thread, running),
            UsageTarget::Children => crate::task::usage::of_children(self.process),
        }
    }

    fn task_setting(&mut self, which: TaskSetting) -> u64 {
        crate::task::settings::get(&self.process.settings, &self.thread.settings, which)
    }

    fn set_task_setting(&mut self, which: TaskSetting, value: u64) -> KResult<()> {
        crate::task::settings::set(&self.process.settings, &self.thread.settings, which, value)
    }

    fn nice(&mut self, target: PriorityTarget) -> KResult<i32> {
        crate::task::priority::nice(self.process, target)
    }

    fn set_nice(&mut self, target: PriorityTarget, nice: i32) -> KResult<()> {
        crate::task::priority::set_nice(self.process, target, nice)
    }
}
