//! Compressed sparse rows: many short lists (a task's predecessors, its risks, its resource
//! demands) stored as one flat array and an index, so a walk over them touches contiguous
//! memory and allocates nothing.

use std::ops::Range;

/// Rows of `T`: row `i` is `items[start[i]..start[i + 1]]`.
///
/// Guarantees: `start` is non-decreasing, begins at 0 and ends at `items.len()`, so every
/// `row(i)` for `i < rows()` is a valid (possibly empty) slice.
#[derive(Debug, Clone, PartialEq)]
pub struct Csr<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Csr<T> {
    fn default() -> Self {
        Csr::new()
    }
}

impl<T> Csr<T> {
    /// No rows.
    pub fn new() -> Self {
        Csr {
            start: vec![0],
            items: Vec::new(),
        }
    }

    /// No rows, with room for `rows` rows and `items` items.
    pub fn with_capacity(rows: usize, items: usize) -> Self {
        let mut start = Vec::with_capacity(rows + 1);
        start.push(0);
        Csr {
            start,
            items: Vec::with_capacity(items),
        }
    }

    /// The rows of `rows`, in order, at exact capacity (a plan's arrays live through the run:
    /// grown by doubling, they held up to twice their size).
    pub fn from_rows<R, I>(rows: R) -> Self
    where
        R: IntoIterator<Item = I>,
        I: IntoIterator<Item = T>,
    {
        let rows = rows.into_iter();
        let mut csr = Csr::with_capacity(rows.size_hint().0, 0);
        for row in rows {
            csr.push_row(row);
        }
        csr.start.shrink_to_fit();
        csr.items.shrink_to_fit();
        csr
    }

    /// Appends one row.
    ///
    /// # Panics
    /// If the total number of items would exceed `u32::MAX`.
    pub fn push_row<I: IntoIterator<Item = T>>(&mut self, row: I) {
        self.items.extend(row);
        let end = u32::try_from(self.items.len()).expect("at most u32::MAX items in a Csr");
        self.start.push(end);
    }

    /// Removes every row, keeping the allocations.
    pub fn clear(&mut self) {
        self.start.clear();
        self.start.push(0);
        self.items.clear();
    }

    /// Row `i`.
    ///
    /// # Panics
    /// If `i >= self.rows()`.
    #[inline(always)]
    pub fn row(&self, i: usize) -> &[T] {
        &self.items[self.start[i] as usize..self.start[i + 1] as usize]
    }

    /// The positions of row `i` in [`Self::items`] (for arrays kept parallel to the items).
    #[inline(always)]
    pub fn range(&self, i: usize) -> Range<usize> {
        self.start[i] as usize..self.start[i + 1] as usize
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.start.len() - 1
    }

    /// Every item, row after row.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Whether there are no items in any row.
    pub fn has_no_items(&self) -> bool {
        self.items.is_empty()
    }
}

impl Csr<u32> {
    /// The transpose into `out` (reusing its allocations): row `c` of `out` lists, in
    /// increasing order, the rows of `self` that contain `c`. Every item must be `< columns`.
    pub fn transpose_into(&self, columns: usize, out: &mut Csr<u32>) {
        out.start.clear();
        out.start.resize(columns + 1, 0);
        for &c in &self.items {
            out.start[c as usize + 1] += 1;
        }
        for c in 0..columns {
            out.start[c + 1] += out.start[c];
        }
        out.items.clear();
        out.items.resize(self.items.len(), 0);
        // Fill with `start[c]` as the cursor of row c (it ends at the next row's start)...
        for r in 0..self.rows() {
            for &c in self.row(r) {
                let cursor = &mut out.start[c as usize];
                out.items[*cursor as usize] = r as u32;
                *cursor += 1;
            }
        }
        // ... then shift the cursors back into row starts.
        for c in (1..=columns).rev() {
            out.start[c] = out.start[c - 1];
        }
        out.start[0] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_transpose() {
        let csr = Csr::from_rows([vec![1u32, 2], vec![], vec![0, 2]]);
        assert_eq!(csr.rows(), 3);
        assert_eq!(csr.row(0), &[1, 2]);
        assert!(csr.row(1).is_empty());
        assert_eq!(csr.row(2), &[0, 2]);
        assert_eq!(csr.range(2), 2..4);
        let mut t = Csr::new();
        csr.transpose_into(3, &mut t);
        assert_eq!(t, Csr::from_rows([vec![2u32], vec![0], vec![0, 2]]));
        let mut again = Csr::new();
        t.transpose_into(3, &mut again);
        assert_eq!(again, csr);
        let mut c = csr.clone();
        c.clear();
        assert_eq!(c.rows(), 0);
        assert!(c.has_no_items());
    }
}
