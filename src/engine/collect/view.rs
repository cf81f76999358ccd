//! What collectors see: a finished chunk of lanes, their per-iteration slots, and at the end
//! the run's slot columns.

use super::super::plan::CompiledPlan;
use super::super::spec::RunSpec;

/// A finished chunk: `len()` consecutive iterations (lanes) starting at `first()`. Rows are
/// indexed by position; each holds one value per lane.
pub struct Chunk<'a> {
    pub(crate) plan: &'a CompiledPlan,
    pub(crate) first: u64,
    pub(crate) m: usize,
    pub(crate) lanes: usize,
    pub(crate) end: &'a [f64],
    pub(crate) cost: &'a [f64],
    pub(crate) finish: &'a [f64],
    /// The row of each position's finish: `None` when rows are kept (row = position); on the
    /// plain path, [`crate::engine::plan::Slotting::kept_rows`] (milestones only).
    pub(crate) finish_rows: Option<&'a [u32]>,
    pub(crate) start: &'a [f64],
    pub(crate) duration: &'a [f64],
    pub(crate) occurred: &'a [bool],
    pub(crate) task_cost: &'a [f64],
}

impl<'a> Chunk<'a> {
    /// The plan being simulated.
    pub fn plan(&self) -> &'a CompiledPlan {
        self.plan
    }

    /// The iteration of the first lane (lane i is iteration `first() + i`).
    pub fn first(&self) -> u64 {
        self.first
    }

    /// Number of lanes (iterations) in the chunk.
    pub fn len(&self) -> usize {
        self.m
    }

    /// Whether the chunk has no lanes.
    pub fn is_empty(&self) -> bool {
        self.m == 0
    }

    /// Project duration (working days) of each lane.
    pub fn project_duration(&self) -> &'a [f64] {
        &self.end[..self.m]
    }

    /// Project cost of each lane: fixed costs, drawn costs, risk costs and resource costs.
    pub fn project_cost(&self) -> &'a [f64] {
        &self.cost[..self.m]
    }

    /// Finish of position `pos` in each lane (levelled when the plan is levelled). On the
    /// plain path only milestones' finishes are still held when the chunk is done: read other
    /// tasks' finishes in [`super::Collector::finished`], or need rows.
    ///
    /// # Panics
    /// On the plain path, if `pos` is not a milestone and no collector needs rows.
    #[inline(always)]
    pub fn finish(&self, pos: usize) -> &'a [f64] {
        let row = match self.finish_rows {
            None => pos,
            Some(rows) => {
                let row = rows[pos];
                assert!(
                    row != u32::MAX,
                    "only milestones keep finish rows on the plain path"
                );
                row as usize
            }
        };
        &self.finish[row * self.lanes..][..self.m]
    }

    /// Start of position `pos` in each lane. Only when some collector [`super::Needs::rows`].
    ///
    /// # Panics
    /// If no collector of the run asked for rows.
    #[inline(always)]
    pub fn start(&self, pos: usize) -> &'a [f64] {
        assert!(
            !self.start.is_empty(),
            "a collector reading starts must need rows"
        );
        &self.start[pos * self.lanes..][..self.m]
    }

    /// Duration of position `pos` in each lane (a level of effort's span included). Only when
    /// some collector [`super::Needs::rows`].
    ///
    /// # Panics
    /// If no collector of the run asked for rows.
    #[inline(always)]
    pub fn duration(&self, pos: usize) -> &'a [f64] {
        assert!(
            !self.duration.is_empty(),
            "a collector reading durations must need rows"
        );
        &self.duration[pos * self.lanes..][..self.m]
    }

    /// Position `pos`'s own cost in each lane: its resource cost over its duration plus its
    /// drawn three-point cost (a certain fixed cost, the same in every lane, is left out; risk
    /// costs belong to the risks). Only when some collector [`super::Needs::task_costs`].
    ///
    /// # Panics
    /// If no collector of the run asked for task costs.
    #[inline(always)]
    pub fn task_cost(&self, pos: usize) -> &'a [f64] {
        assert!(
            !self.task_cost.is_empty(),
            "a collector reading task costs must need them"
        );
        &self.task_cost[pos * self.lanes..][..self.m]
    }

    /// Whether risk `r` occurred in each lane (sampled runs; all false otherwise).
    #[inline(always)]
    pub fn risk_occurred(&self, r: usize) -> &'a [bool] {
        &self.occurred[r * self.lanes..][..self.m]
    }
}

/// A collector's per-iteration slots for the lanes of one chunk.
pub struct Slots<'a> {
    data: &'a mut [f64],
    stride: usize,
    offset: usize,
}

impl<'a> Slots<'a> {
    pub(crate) fn new(data: &'a mut [f64], stride: usize) -> Self {
        Slots {
            data,
            stride,
            offset: 0,
        }
    }

    /// Sets slot `k` of lane `lane` to `value`.
    #[inline(always)]
    pub fn set(&mut self, lane: usize, k: usize, value: f64) {
        self.data[lane * self.stride + self.offset + k] = value;
    }

    /// The slots from `offset` on (for a member of a tuple collector).
    pub fn sub(&mut self, offset: usize) -> Slots<'_> {
        Slots {
            data: &mut self.data[..],
            stride: self.stride,
            offset: self.offset + offset,
        }
    }
}

/// The end of a run, as a collector's [`super::Collector::finish`] sees it.
pub struct Finish<'a> {
    pub(crate) plan: &'a CompiledPlan,
    pub(crate) spec: &'a RunSpec<'a>,
    pub(crate) data: &'a [f64],
    pub(crate) stride: usize,
    pub(crate) offset: usize,
}

impl<'a> Finish<'a> {
    /// The plan that was simulated.
    pub fn plan(&self) -> &'a CompiledPlan {
        self.plan
    }

    /// What was run.
    pub fn spec(&self) -> &'a RunSpec<'a> {
        self.spec
    }

    /// Number of iterations run.
    pub fn iterations(&self) -> usize {
        self.spec.iterations().len()
    }

    /// Slot `k` of every iteration, in iteration order.
    pub fn column(&self, k: usize) -> Vec<f64> {
        self.data
            .chunks_exact(self.stride)
            .map(|row| row[self.offset + k])
            .collect()
    }

    /// The view of a member of a tuple collector whose slots start at `offset`.
    pub fn sub(&self, offset: usize) -> Finish<'a> {
        Finish {
            offset: self.offset + offset,
            ..*self
        }
    }
}
