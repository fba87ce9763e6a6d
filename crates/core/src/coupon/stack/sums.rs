//! The largest sum of store savings at or under a limit, taking at most one saving per store: a
//! multiple-choice subset-sum query, answered exactly whenever the work it is allowed suffices,
//! and otherwise with the best sum found and a word that it is only that.
//!
//! Why not list every reachable sum: in a currency of large units (VND, IDR, KRW) the sums of
//! sixteen stores' 5 % and 10 % coupons are millions of distinct values (1.8 s and 450 MB here;
//! twenty stores, 5.4 s and 840 MB). Instead, the stores whose savings are smallest are folded
//! into a table of every distinct sum they reach (a few thousand at most, sorted), and the others
//! are searched depth first, largest savings first, each path finished by one binary search in
//! the table. A path stops as soon as it cannot beat the best sum found, or when every store
//! left can give its largest saving and still fit (that is then the path's best); the whole
//! search stops once it reaches the limit itself. Carts of a few stores, and most carts of many
//! (where some path hits the limit exactly), are answered exactly well inside the allowance.

use super::super::{sort_keyed, Minor};

/// Most ways (sums before repeats are removed) one stage of the table may list: 8,192 fold
/// eight stores with two coupons each, or five with five.
const STAGE_WAYS: usize = 8_192;
/// Most sums all stages of the table may keep between them (16 bytes each: 256 KB).
const TABLE_SUMS: usize = 16_384;
/// Most ways all stages may list between them: the work of building the table.
const TABLE_WAYS: usize = 4 * TABLE_SUMS;

/// Marks a store whose saving is not taken.
pub(super) const NOT_TAKEN: u32 = u32::MAX;

/// The stores' savings, ordered for the search, with the table of the smallest stores' sums.
pub(super) struct StoreSums {
    /// Each store's distinct savings, largest first, the stores back to back in search order
    /// (largest saving first).
    savings: Vec<Minor>,
    /// Where each store's savings start in `savings`, in search order, and where the last ends.
    starts: Vec<u32>,
    /// The caller's position of each store, in search order.
    stores: Vec<u32>,
    /// Stores before this (in search order) are searched; the others are in the table.
    searched: usize,
    /// `most[d]`: the most the searched stores from `d` on and the table can add together.
    most: Vec<Minor>,
    /// The table: `stages[0]` is the empty choice, and `stages[k]` lists, ascending, every
    /// distinct sum of the last `k` stores, each with the way it was first reached
    /// (`position in stages[k - 1] × (choices + 1) + choice`, the last choice being none).
    stages: Vec<Vec<(Minor, u32)>>,
    /// Work done building the table (a way listed is one unit).
    built_with: u32,
}

/// What one query found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Pick {
    /// The sum of the savings taken: at most the limit.
    pub sum: Minor,
    /// Whether the search proved it the largest; false when the allowance ran out first.
    pub exact: bool,
    /// The choice at each searched store, in search order (an index into its savings, or
    /// [`NOT_TAKEN`]).
    searched: Vec<u32>,
    /// The part of `sum` the table's stores give.
    from_table: Minor,
}

impl Pick {
    /// The bytes it holds.
    pub(super) fn bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.searched.capacity() * 4
    }
}

impl StoreSums {
    /// The stores' savings, each store's distinct and positive, largest first; stores in the
    /// caller's order.
    pub(super) fn new<'a>(stores: impl ExactSizeIterator<Item = &'a [Minor]>) -> Self {
        let stores: Vec<&[Minor]> = stores.collect();
        // Largest best saving first (the caller's order breaking ties): the big decisions are
        // taken first and the fine adjustments are left to the table.
        let mut order: Vec<(u64, u32)> = stores
            .iter()
            .enumerate()
            .filter_map(|(i, savings)| {
                let largest = savings.first().copied().unwrap_or(0);
                Some((Minor::MAX - largest, u32::try_from(i).ok()?))
            })
            .collect();
        sort_keyed(&mut order);
        let mut savings = Vec::with_capacity(stores.iter().map(|s| s.len()).sum());
        let mut starts = Vec::with_capacity(order.len() + 1);
        for &(_, store) in &order {
            starts.push(u32::try_from(savings.len()).unwrap_or(u32::MAX));
            savings.extend_from_slice(stores.get(store as usize).copied().unwrap_or_default());
        }
        starts.push(u32::try_from(savings.len()).unwrap_or(u32::MAX));
        let mut sums = Self {
            savings,
            starts,
            stores: order.into_iter().map(|(_, store)| store).collect(),
            searched: 0,
            most: Vec::new(),
            stages: Vec::new(),
            built_with: 0,
        };
        sums.build_table();
        sums
    }

    /// How many stores there are.
    fn len(&self) -> usize {
        self.stores.len()
    }

    /// The savings of the store at `at` in search order, largest first.
    fn savings_of(&self, at: usize) -> &[Minor] {
        let start = self.starts.get(at).copied().unwrap_or(0) as usize;
        let end = self.starts.get(at + 1).copied().unwrap_or(0) as usize;
        self.savings.get(start..end).unwrap_or_default()
    }

    /// Folds the smallest stores into the table while its bounds allow, then works out `most`.
    fn build_table(&mut self) {
        self.stages = vec![vec![(0, 0)]];
        let mut searched = self.len();
        let (mut kept, mut listed) = (1usize, 0usize);
        while searched > 0 {
            let store = searched - 1;
            let choices = self.savings_of(store).len() + 1;
            let previous = self.stages.last().map_or(0, Vec::len);
            let ways = previous.saturating_mul(choices);
            if ways > STAGE_WAYS || listed + ways > TABLE_WAYS || kept + ways > TABLE_SUMS {
                break;
            }
            let stage = self.fold(store);
            listed += ways;
            kept += stage.len();
            self.stages.push(stage);
            searched = store;
        }
        self.searched = searched;
        self.built_with = u32::try_from(listed).unwrap_or(u32::MAX);
        let table_most = self.table().last().map_or(0, |(sum, _)| *sum);
        // From the last searched store back to the first: what each one and those after it add.
        let mut most = vec![table_most; searched + 1];
        for at in (0..searched).rev() {
            let largest = self.savings_of(at).first().copied().unwrap_or(0);
            let after = most.get(at + 1).copied().unwrap_or(0);
            if let Some(slot) = most.get_mut(at) {
                *slot = after.saturating_add(largest);
            }
        }
        self.most = most;
    }

    /// The next stage of the table: the last stage's sums, each with every choice at `store`.
    fn fold(&self, store: usize) -> Vec<(Minor, u32)> {
        let savings = self.savings_of(store);
        let choices = savings.len() + 1;
        let previous = self.table();
        let mut ways: Vec<(u64, u32)> = Vec::with_capacity(previous.len() * choices);
        for (position, &(sum, _)) in previous.iter().enumerate() {
            for choice in 0..choices {
                let saving = savings.get(choice).copied().unwrap_or(0);
                let way = position * choices + choice;
                ways.push((
                    sum.saturating_add(saving),
                    u32::try_from(way).unwrap_or(u32::MAX),
                ));
            }
        }
        // Ascending, and of equal sums the first way (the coupon rules' one sort).
        sort_keyed(&mut ways);
        ways.dedup_by_key(|(sum, _)| *sum);
        ways.shrink_to_fit();
        ways
    }

    /// The table's last stage: every distinct sum of the table's stores, ascending.
    fn table(&self) -> &[(Minor, u32)] {
        self.stages.last().map_or(&[], Vec::as_slice)
    }

    /// The largest sum of the table at or under `limit` (zero always is one).
    fn table_at_most(&self, limit: Minor) -> Minor {
        let table = self.table();
        let after = table.partition_point(|(sum, _)| *sum <= limit);
        after
            .checked_sub(1)
            .and_then(|at| table.get(at))
            .map_or(0, |(sum, _)| *sum)
    }

    /// The most all stores can give together.
    pub(super) fn most(&self) -> Minor {
        self.most.first().copied().unwrap_or(0)
    }

    /// Work done building the table.
    pub(super) fn built_with(&self) -> u32 {
        self.built_with
    }

    /// The bytes the table and the savings hold (capacity, so an upper bound of what is used).
    pub(super) fn bytes(&self) -> usize {
        let stages: usize = self.stages.iter().map(|s| s.capacity() * 16).sum();
        self.savings.capacity() * 8
            + (self.starts.capacity() + self.stores.capacity()) * 4
            + self.most.capacity() * 8
            + self.stages.capacity() * std::mem::size_of::<Vec<(Minor, u32)>>()
            + stages
    }

    /// The bytes a query's working lists hold at most.
    pub(super) fn query_bytes(&self) -> usize {
        // The path, its sums, and the best path kept (twice: the query's and the caller's).
        self.searched * (4 + 8 + 4 + 4)
    }

    /// The choice at the store at `at` (search order) if it is `choice`, and what it saves.
    fn choice_saving(&self, at: usize, choice: u32) -> Minor {
        self.savings_of(at)
            .get(choice as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The first choice at `at`, from `from` on, that fits under `room` and can still beat
    /// `best` (with `parent` taken before it); choices are savings largest first, then none.
    fn first_choice(
        &self,
        at: usize,
        parent: Minor,
        from: u32,
        limit: Minor,
        best: Minor,
    ) -> Option<u32> {
        let savings = self.savings_of(at);
        let room = limit.saturating_sub(parent);
        let fits = u32::try_from(savings.partition_point(|s| *s > room)).unwrap_or(u32::MAX);
        let choice = fits.max(from);
        let count = u32::try_from(savings.len()).unwrap_or(u32::MAX);
        if choice > count {
            return None;
        }
        // Every later choice saves less: if this one cannot beat the best, none can.
        let after = self.most.get(at + 1).copied().unwrap_or(0);
        let reach = parent
            .saturating_add(self.choice_saving(at, choice))
            .saturating_add(after);
        (reach > best).then_some(choice)
    }

    /// The largest sum at or under `limit`, within `allowance` units of work (a node of the
    /// search or a look-up in the table is one); with the work it took.
    /// `found`, if given, is a sum already known to be reachable at or under `limit`: the
    /// search starts from it and only looks for better.
    pub(super) fn at_most(
        &self,
        limit: Minor,
        allowance: u32,
        found: Option<&Pick>,
    ) -> (Pick, u32) {
        let mut pick = match found {
            Some(found) if found.sum <= limit => Pick {
                exact: true,
                ..found.clone()
            },
            _ => Pick {
                exact: true,
                ..Pick::default()
            },
        };
        if self.most() <= limit {
            self.take_the_most(&mut pick, &[], 0);
            return (pick, 1);
        }
        let mut spent = 0u32;
        // The choices down the current path, and the sum before each (the root's is zero).
        let mut path: Vec<u32> = Vec::with_capacity(self.searched);
        let mut sums: Vec<Minor> = Vec::with_capacity(self.searched + 1);
        sums.push(0);
        'search: loop {
            let depth = path.len();
            let sum = sums.last().copied().unwrap_or(0);
            spent += 1;
            if spent > allowance {
                pick.exact = false;
                break;
            }
            let reach = sum.saturating_add(self.most.get(depth).copied().unwrap_or(0));
            let mut next = None;
            if reach <= limit {
                // Every store from here gives its largest saving, and that fits: the best here.
                if reach > pick.sum {
                    self.take_the_most(&mut pick, &path, sum);
                }
            } else if reach <= pick.sum {
                // Cannot beat what was found.
            } else if depth == self.searched {
                let from_table = self.table_at_most(limit - sum);
                if sum + from_table > pick.sum {
                    pick.sum = sum + from_table;
                    pick.from_table = from_table;
                    pick.searched.clone_from(&path);
                }
            } else {
                next = self.first_choice(depth, sum, 0, limit, pick.sum);
            }
            if pick.sum == limit {
                break;
            }
            match next {
                Some(choice) => {
                    sums.push(sum + self.choice_saving(depth, choice));
                    path.push(choice);
                }
                None => {
                    // Back up to the nearest store with a choice left worth trying.
                    let mut resumed = false;
                    while let Some(choice) = path.pop() {
                        sums.pop();
                        // Trying the next choice at a store is a node's worth of work too.
                        spent += 1;
                        if spent > allowance {
                            pick.exact = false;
                            break 'search;
                        }
                        let at = path.len();
                        let parent = sums.last().copied().unwrap_or(0);
                        if let Some(choice) =
                            self.first_choice(at, parent, choice + 1, limit, pick.sum)
                        {
                            sums.push(parent + self.choice_saving(at, choice));
                            path.push(choice);
                            resumed = true;
                            break;
                        }
                    }
                    if !resumed {
                        break;
                    }
                }
            }
        }
        (pick, spent.min(allowance))
    }

    /// Records in `pick` the path `path` (reaching `sum`), every later store taking its largest
    /// saving.
    fn take_the_most(&self, pick: &mut Pick, path: &[u32], sum: Minor) {
        let depth = path.len();
        pick.searched.clear();
        pick.searched.extend_from_slice(path);
        pick.searched.extend((depth..self.searched).map(|at| {
            if self.savings_of(at).is_empty() {
                NOT_TAKEN
            } else {
                0
            }
        }));
        pick.from_table = self.table().last().map_or(0, |(sum, _)| *sum);
        pick.sum = sum.saturating_add(self.most.get(depth).copied().unwrap_or(0));
    }

    /// The choice at each store, in the caller's order (an index into its savings, or
    /// [`NOT_TAKEN`]), for what `pick` found.
    pub(super) fn choices(&self, pick: &Pick) -> Vec<u32> {
        let mut by_store = vec![NOT_TAKEN; self.len()];
        let mut set = |at: usize, choice: u32| {
            let count = self.savings_of(at).len();
            let store = self.stores.get(at).copied().unwrap_or(0) as usize;
            if (choice as usize) < count {
                if let Some(slot) = by_store.get_mut(store) {
                    *slot = choice;
                }
            }
        };
        for (at, &choice) in pick.searched.iter().enumerate() {
            set(at, choice);
        }
        // The table's stores, from its last stage (the first table store) back to its first.
        let Some(last) = self.stages.len().checked_sub(1) else {
            return by_store;
        };
        let mut position = self
            .table()
            .binary_search_by_key(&pick.from_table, |(sum, _)| *sum)
            .unwrap_or(0);
        for stage in (1..=last).rev() {
            let at = self.searched + (last - stage);
            let choices = self.savings_of(at).len() + 1;
            let way = self
                .stages
                .get(stage)
                .and_then(|s| s.get(position))
                .map_or(0, |(_, way)| *way as usize);
            let choice = way % choices;
            set(at, u32::try_from(choice).unwrap_or(NOT_TAKEN));
            position = way / choices;
        }
        by_store
    }
}
