//! Resource limits, usage, task settings and nice values: one part of the
//! core's surface, [`crate::KernelOps`].

use crate::{KResult, Limit, PriorityTarget, Resource, ResourceUsage, TaskSetting, UsageTarget};

/// Resource limits and usage, per-task settings (prctl's) and nice values.
pub trait ResourceOps {
    fn limit(&self, resource: Resource) -> Limit;
    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()>;
    /// (user, system) CPU time in ns: of the process, or of its reaped children.
    fn cpu_times(&self, children: bool) -> (u64, u64);
    /// CPU time, peak memory, faults and context switches (getrusage).
    fn resource_usage(&mut self, target: UsageTarget) -> ResourceUsage;
    fn task_setting(&mut self, which: TaskSetting) -> u64;
    /// The nice value (-20..=19) of the most favoured process `target`
    /// names (`NoSuchProcess` when none).
    fn nice(&mut self, target: PriorityTarget) -> KResult<i32>;
    /// Sets the nice value (clamped to -20..=19) of every process `target`
    /// names. Lowering it needs privilege (`PermissionDenied`); changing
    /// another user's process too (`NotPermitted`).
    fn set_nice(&mut self, target: PriorityTarget, nice: i32) -> KResult<()>;
    fn set_task_setting(&mut self, which: TaskSetting, value: u64) -> KResult<()>;
}
